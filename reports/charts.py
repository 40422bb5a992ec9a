"""Horizontal bar charts as inline SVG, built on the server: no JavaScript, no chart library.

The same markup goes into the PDF (WeasyPrint draws inline SVG) and into web pages. Every text
that comes from the records is escaped; the result is safe to embed as it is.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .typeface import FAMILY

# The documents' own typeface, with no generic fallback: in a PDF nothing else may stand in for
# it (a web page without it uses the browser's default face).
PDF_FONT_FAMILY = f"'{FAMILY}'"

# Drawing units: 4 to the millimetre, so a 160 mm wide chart is 640 units across.
UNITS_PER_MM = 4
ROW_HEIGHT = 28
BAR_HEIGHT = 18
FONT_SIZE = 15  # about 10.5 pt
LABEL_WIDTH = 210
VALUE_WIDTH = 110
LABEL_CHARS = 30
BAR_COLOUR = "#1f4e79"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    percent: float | None = None

    @property
    def value_text(self) -> str:
        if self.percent is None:
            return number_format(self.value, force_grouping=True)
        return f"{number_format(self.value, force_grouping=True)} ({_format_percent(self.percent)})"


def _format_percent(value: float) -> str:
    return f"{number_format(value, decimal_pos=1)}%"


def bar_chart(
    bars: Iterable[Bar],
    *,
    title: str,
    chart_id: str,
    width_mm: int = 160,
    font_family: str = PDF_FONT_FAMILY,
) -> SafeString:
    """One bar per row: the label on the left, the bar, then the value (and share) after it."""
    bars = list(bars)
    width = width_mm * UNITS_PER_MM
    track = width - LABEL_WIDTH - VALUE_WIDTH
    height = max(len(bars), 1) * ROW_HEIGHT + 8
    largest = max((bar.value for bar in bars), default=0)
    summary = "; ".join(f"{bar.label}: {bar.value_text}" for bar in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'width="{width_mm}mm" height="{height / UNITS_PER_MM:g}mm" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(font_family)}" '
        f'font-size="{FONT_SIZE}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(summary)}</desc>',
    ]
    for index, bar in enumerate(bars):
        top = 4 + index * ROW_HEIGHT
        baseline = top + ROW_HEIGHT / 2 + FONT_SIZE * 0.35
        length = round(track * bar.value / largest, 1) if largest else 0
        label = Truncator(bar.label).chars(LABEL_CHARS)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{baseline:g}" text-anchor="end">{escape(label)}</text>'
        )
        if length:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{top + (ROW_HEIGHT - BAR_HEIGHT) / 2:g}" '
                f'width="{length:g}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            )
        value_x = LABEL_WIDTH + length + 6
        parts.append(f'<text x="{value_x:g}" y="{baseline:g}">{escape(bar.value_text)}</text>')
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="2" x2="{LABEL_WIDTH}" y2="{height - 2}" '
        f'stroke="#000" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def opinions_by_field_chart(figures, **options) -> SafeString:
    return bar_chart(
        (Bar(row.label, row.count, row.percent) for row in figures.by_field),
        title=_("Opinions by field"),
        chart_id="chart-fields",
        **options,
    )


def opinions_by_status_chart(figures, **options) -> SafeString:
    return bar_chart(
        (Bar(row.label, row.count, row.percent) for row in figures.by_status),
        title=_("Opinions by status"),
        chart_id="chart-statuses",
        **options,
    )
