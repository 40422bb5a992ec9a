"""The periodic report as a document model: its header, sections, tables and closing, in words.

One home for what the report says. The PDF (templates/reports/pdf/report.html through
reports/pdf.py) and the Word file (reports/docx.py) both lay out this model; neither writes a
sentence or a column title of its own. Built inside `translation.override("vi")`.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from dialogues.documents import official_date
from obligations.compliance import Compliance, compliance, requirement

from .figures import ReportFigures, half_up, report_figures
from .periods import period_label

# The page of Hướng dẫn 36-HD/VPTW, in millimetres: A4, margins top 20, bottom 20, left 30,
# right 15; a Times-like serif at 14pt.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_RIGHT_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM = 20, 15, 20, 30
FONT_SIZE_PT = 14


def day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def number(value) -> str:
    return str(intcomma(value))


def share(value) -> str:
    """A share to one decimal, rounded half up by figures.half_up (the one rounding)."""
    return str(floatformat(half_up(value), 1)) if value is not None else ""


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float | None = None  # None: takes what is left
    align: str = "left"  # left, centre, num (right)
    nowrap: bool = False  # dates, kept on one line


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]  # a cell may hold several lines, joined by "\n"
    total: tuple[str, ...] | None = None  # the bold last row; its label spans `total_span` cells
    total_span: int = 1
    small: bool = False  # the sessions' table, in a smaller size

    @property
    def cells(self) -> list[list[tuple[str, Column]]]:
        """Each row's cells, each with its column (for its alignment)."""
        return [list(zip(row, self.columns, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Block:
    """One piece of the body: kind is section, subsection, paragraph, dashes, note, table, chart."""

    kind: str
    text: str = ""
    items: tuple[tuple[Run, ...], ...] = ()  # the lines of a "dashes" list
    table: Table | None = None
    chart: str = ""  # "field" or "status": the PDF draws the chart of that name


@dataclass(frozen=True)
class ReportDocument:
    parent_body: str
    issuing_body: str
    number_line: str
    national: str
    date_line: str
    title: str
    subject: str
    blocks: tuple[Block, ...]
    recipients_title: str
    recipients: tuple[str, ...]
    signer_lines: tuple[str, ...]
    signer_name: str
    figures: ReportFigures = field(repr=False)

    @property
    def tables(self) -> list[Table]:
        return [block.table for block in self.blocks if block.table is not None]


def _dashes(*lines: tuple[Run, ...]) -> Block:
    return Block("dashes", items=tuple(lines))


def _tally_table(rows, title: str, total: int) -> Table:
    return Table(
        columns=(
            Column(_("No."), 12, "centre"),
            Column(title),
            Column(_("Opinions"), 30, "num"),
            Column(_("Share (%)"), 30, "num"),
        ),
        rows=tuple(
            (str(index), row.label, number(row.count), share(row.percent) or "–")
            for index, row in enumerate(rows, 1)
        ),
        total=(_("Total"), number(total), "100" if total else "–"),
        total_span=2,
    )


def _sessions_section(figures: ReportFigures, unit_in_sentence: str, period: str) -> list[Block]:
    blocks = [
        Block(
            "paragraph",
            _(
                "The direct contact and dialogue sessions between the heads of the Party "
                "committees and governments and the residents of %(unit)s in %(period)s (from "
                "%(start)s to %(end)s), as recorded in the system, were as follows:"
            )
            % {
                "unit": unit_in_sentence,
                "period": period,
                "start": day(figures.start),
                "end": day(figures.end),
            },
        ),
        Block("section", "I. " + _("Results of the sessions")),
        Block(
            "paragraph",
            _("%(count)s direct contact and dialogue sessions were held in the period, of which:")
            % {"count": figures.sessions_held},
        ),
        _dashes(
            *(
                (
                    Run(
                        "- "
                        + _("%(level)s: %(count)s sessions;")
                        % {"level": level.label, "count": level.count}
                    ),
                )
                for level in figures.sessions_by_level
            )
        ),
        *_kinds_blocks(figures),
    ]
    if figures.sessions:
        blocks.append(
            Block(
                "paragraph",
                _("Residents attended %(residents)s times and cadres %(cadres)s times in all.")
                % {
                    "residents": number(figures.residents_total),
                    "cadres": number(figures.cadres_total),
                },
            )
        )
    blocks.append(Block("subsection", "1. " + _("Against the plans")))
    if figures.coverage:
        lines = []
        for line in figures.coverage:
            runs = [
                Run(f"- {line.label}: "),
                Run(line.headline, bold=True),
                Run(" (" + _("since the start of the plan period") + ")"),
            ]
            if line.uncovered:
                units = ", ".join(line.uncovered)
                runs.append(Run("; " + _("not yet held in: %(units)s") % {"units": units}))
            runs.append(Run("."))
            lines.append(tuple(runs))
        blocks.append(_dashes(*lines))
        blocks.append(
            Block(
                "note",
                _(
                    "A target is met when the sessions held from the start of its period up to "
                    "the end of the report's period reach the number required."
                ),
            )
        )
    else:
        blocks.append(Block("paragraph", _("No plan target falls within this period.")))
    blocks.append(Block("subsection", "2. " + _("Sessions counted")))
    if not figures.sessions:
        blocks.append(Block("paragraph", _("No session was held in this period.")))
        return blocks
    rows = []
    for index, row in enumerate(figures.sessions, 1):
        host = row.host
        if row.residents_of:
            units = ", ".join(row.residents_of)
            host += " (" + _("residents of %(units)s") % {"units": units} + ")"
        rows.append(
            (
                str(index),
                day(row.starts_at),
                host,
                row.venue,
                "\n".join(row.chairs) or "–",
                "–" if row.residents is None else number(row.residents),
                "–" if row.cadres is None else str(row.cadres),
                str(row.opinions),
            )
        )
    table = Table(
        columns=(
            Column(_("No."), 8, "centre"),
            Column(_("Date"), 20, "centre", nowrap=True),
            Column(_("Host unit"), 30),
            Column(_("Venue"), 30),
            Column(_("Chaired by"), 40),
            Column(_("Residents"), 13, "num"),
            Column(_("Cadres"), 12, "num"),
            Column(_("Opinions"), 12, "num"),
        ),
        rows=tuple(rows),
        total=(
            _("Total"),
            number(figures.residents_total),
            number(figures.cadres_total),
            number(figures.opinions),
        ),
        total_span=5,
        small=True,
    )
    blocks.append(Block("table", table=table))
    return blocks


def _kinds_blocks(figures: ReportFigures) -> list[Block]:
    """Each kind of activity counts separately: dialogue conferences, periodic and ad-hoc
    citizen receptions (and the 2019 kinds when the period has them)."""
    if not figures.sessions_by_kind:
        return []
    return [
        Block("paragraph", _("By kind of activity:")),
        _dashes(
            *(
                (Run("- " + _("%(kind)s: %(count)s;") % {"kind": line.label, "count": line.count}),)
                for line in figures.sessions_by_kind
            )
        ),
    ]


def _rules_section(rules: Compliance) -> list[Block]:
    """Each obligation in force in the period for the report's unit: required, done, behind
    (and, for a report above the units the rule binds, the units behind with their heads)."""
    blocks = [Block("subsection", "3. " + _("Against the rules in force"))]
    if not rules.has_rules:
        blocks.append(
            Block(
                "paragraph",
                _("No rule on citizen reception or dialogue was in force in this period."),
            )
        )
        return blocks
    if rules.quotas:
        rows, behind = [], []
        for index, line in enumerate(rules.quotas, 1):
            rows.append(
                (
                    str(index),
                    f"{line.rule.title} ({requirement(line.rule)})\n{line.rule.legal_basis}",
                    number(line.required),
                    number(line.done),
                    number(line.behind),
                )
            )
            if rules.unit is None or line.rule.level != rules.unit.level:
                for row in line.units_behind:
                    heads = ", ".join(row.heads)
                    text = _("%(unit)s: %(done)s/%(required)s, %(behind)s missing") % {
                        "unit": row.unit.full_name,
                        "done": row.done,
                        "required": row.required,
                        "behind": row.behind,
                    }
                    behind.append((Run(f"- {text}" + (f" ({heads})" if heads else "") + ";"),))
        blocks.append(
            Block(
                "table",
                table=Table(
                    columns=(
                        Column(_("No."), 10, "centre"),
                        Column(_("Rule")),
                        Column(_("Required"), 24, "num"),
                        Column(_("Done"), 24, "num"),
                        Column(_("Behind"), 24, "num"),
                    ),
                    rows=tuple(rows),
                ),
            )
        )
        if behind:
            blocks.append(Block("paragraph", _("Units behind:")))
            blocks.append(_dashes(*behind))
        blocks.append(
            Block(
                "note",
                _(
                    "A month (or year) counts as behind once it is over; days are counted in "
                    "each month on their own. Judged on %(day)s."
                )
                % {"day": day(rules.as_of)},
            )
        )
    if rules.deadlines:
        blocks.append(
            Block(
                "table",
                table=Table(
                    columns=(
                        Column(_("No."), 10, "centre"),
                        Column(_("Rule")),
                        Column(_("On time"), 20, "num"),
                        Column(_("Late"), 20, "num"),
                        Column(_("Past the deadline, not done"), 26, "num"),
                        Column(_("Still open"), 20, "num"),
                    ),
                    rows=tuple(
                        (
                            str(index),
                            f"{line.rule.title} ({requirement(line.rule)})\n"
                            f"{line.rule.legal_basis}",
                            number(line.on_time),
                            number(line.late),
                            number(line.overdue),
                            number(line.open),
                        )
                        for index, line in enumerate(rules.deadlines, 1)
                    ),
                ),
            )
        )
    return blocks


def _value(value, is_percent: bool) -> str:
    if value is None:
        return "–"
    return share(value) if is_percent else number(value)


def _raised_above(figures: ReportFigures) -> list[Block]:
    """The unit's residents at higher-level sessions, on their own lines."""
    above = figures.raised_above
    if above is None:
        return []
    tallies = above.tallies
    line = _(
        "In addition, at %(sessions)s sessions held at a higher level the residents of %(unit)s "
        "raised %(total)s opinions and proposals (not counted in the figures below): "
        "%(answered)s answered at the session, %(forwarded)s forwarded to the agencies "
        "responsible, of which %(resolved)s have been resolved."
    ) % {
        "sessions": number(above.sessions),
        "unit": figures.unit.in_sentence,
        "total": number(tallies.total),
        "answered": number(tallies.answered),
        "forwarded": number(tallies.forwarded),
        "resolved": number(tallies.resolved),
    }
    if tallies.duplicates:
        line += " " + _("%(count)s duplicate opinions are not counted.") % {
            "count": number(tallies.duplicates)
        }
    return [Block("paragraph", line)]


def _opinions_section(figures: ReportFigures) -> list[Block]:
    sentences = [_("At these sessions the residents raised %(total)s opinions and proposals.")]
    sentences[0] %= {"total": number(figures.opinions)}
    if figures.opinions:
        sentences.append(
            _("%(answered)s of them (%(share)s%%) were answered at the session.")
            % {"answered": number(figures.answered), "share": share(figures.answered_percent)}
        )
    if figures.forwarded:
        sentences.append(
            _(
                "%(forwarded)s were forwarded to the agencies responsible, of which %(resolved)s "
                "have been resolved, a resolution rate of %(rate)s%%."
            )
            % {
                "forwarded": number(figures.forwarded),
                "resolved": number(figures.resolved),
                "rate": share(figures.resolution_rate),
            }
        )
    if figures.duplicates:
        sentences.append(
            _("%(count)s duplicate opinions are not counted.")
            % {"count": number(figures.duplicates)}
        )
    answered = f"{number(figures.answered)}/{number(figures.opinions)}"
    resolved = f"{number(figures.resolved)}/{number(figures.forwarded)}"
    blocks = [
        Block("section", "II. " + _("Opinions and proposals of the residents")),
        Block("paragraph", " ".join(sentences)),
        *_raised_above(figures),
        Block("subsection", "1. " + _("By field")),
        Block("table", table=_tally_table(figures.by_field, _("Field"), figures.opinions)),
        Block("chart", chart="field"),
        Block("subsection", "2. " + _("By status")),
        Block("table", table=_tally_table(figures.by_status, _("Status"), figures.opinions)),
        Block("chart", chart="status"),
        _dashes(
            (
                Run("- " + _("Answered at the session") + ": "),
                Run(answered, bold=True),
                Run(
                    ""
                    if figures.answered_percent is None
                    else f" ({share(figures.answered_percent)}%)"
                ),
                Run(";"),
            ),
            (
                Run("- " + _("Resolved among those forwarded") + ": "),
                Run(resolved, bold=True),
                Run(
                    ""
                    if figures.resolution_rate is None
                    else f" ({share(figures.resolution_rate)}%)"
                ),
                Run("."),
            ),
        ),
        Block(
            "subsection",
            "3. " + _("Overdue opinions (as of %(day)s)") % {"day": day(figures.as_of)},
        ),
    ]
    if figures.overdue:
        blocks.append(
            Block(
                "paragraph",
                _(
                    "%(count)s opinions forwarded to an agency are past their deadline and not "
                    "yet answered:"
                )
                % {"count": len(figures.overdue)},
            )
        )
        table = Table(
            columns=(
                Column(_("Opinion code"), 30, "centre"),
                Column(_("Content")),
                Column(_("Agency"), 38),
                Column(_("Deadline"), 21, "centre", nowrap=True),
                Column(_("Days late"), 15, "num"),
            ),
            rows=tuple(
                (
                    row.code,
                    f"{row.content} ({row.unit})",
                    row.agency,
                    day(row.deadline),
                    str(row.days_late),
                )
                for row in figures.overdue
            ),
        )
        blocks.append(Block("table", table=table))
    else:
        blocks.append(Block("paragraph", _("No opinion is overdue.")))
    previous = figures.previous
    rows = []
    for change in previous.changes:
        if change.delta is None:
            delta = "–"
        else:
            sign = "+" if change.delta > 0 else ""
            delta = sign + _value(change.delta, change.is_percent)
        rows.append(
            (
                change.label,
                _value(change.current, change.is_percent),
                _value(change.previous, change.is_percent),
                delta,
            )
        )
    blocks += [
        Block("subsection", "4. " + _("Compared with %(period)s") % {"period": previous.label}),
        Block(
            "table",
            table=Table(
                columns=(
                    Column(_("Indicator")),
                    Column(_("This period"), 28, "num"),
                    Column(_("Previous period"), 28, "num"),
                    Column(_("Change"), 28, "num"),
                ),
                rows=tuple(rows),
            ),
        ),
        Block(
            "note",
            _(
                "Previous period: from %(start)s to %(end)s. Shares are compared in percentage "
                "points."
            )
            % {"start": day(previous.start), "end": day(previous.end)},
        ),
    ]
    return blocks


def report_document(*, report, letterhead) -> ReportDocument:
    """The report's document model, from its parameters and the records as they are now."""
    # Imported here: reports.pdf imports this module.
    from .pdf import paragraphs, succession_notes

    figures = report_figures(
        unit=report.unit, start=report.start, end=report.end, kind=report.period_kind
    )
    period = period_label(report.period_kind, report.year, report.quarter, report.start, report.end)
    date = official_date(report.report_date)
    blocks = _sessions_section(figures, report.unit.in_sentence, period)
    blocks += _rules_section(compliance(unit=report.unit, start=report.start, end=report.end))
    # Whose records the figures before a reorganisation include, under the opening paragraph.
    blocks[1:1] = [Block("paragraph", note) for note in succession_notes(report.unit, report.start)]
    blocks += _opinions_section(figures)
    if report.assessment.strip():
        blocks.append(Block("section", "III. " + _("Assessment")))
        blocks += [Block("paragraph", text) for text in paragraphs(report.assessment)]
    return ReportDocument(
        parent_body=letterhead.parent_body.upper(),
        issuing_body=letterhead.issuing_body.upper(),
        number_line=_("No. %(number)s") % {"number": report.number},
        national=_("COMMUNIST PARTY OF VIET NAM"),
        date_line=_("%(place)s, day %(day)s month %(month)s year %(year)s")
        % {"place": report.place, **date},
        title=_("REPORT"),
        subject=_(
            "Results of the direct contact and dialogue between the heads of the Party "
            "committees and governments and the residents in %(period)s"
        )
        % {"period": period},
        blocks=tuple(blocks),
        recipients_title=_("Recipients:"),
        recipients=tuple(report.recipient_lines),
        signer_lines=(report.signer_authority.upper(), report.signer_title.upper()),
        signer_name=report.signer_name,
        figures=figures,
    )
