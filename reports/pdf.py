"""The printed documents: the periodic report, and a session's minutes and notice, as PDF.

Laid out as Party documents are (Hướng dẫn 36-HD/VPTW): A4, a Times-like serif at 14pt, the
issuing bodies top left and the national line top right, the signature block and "Nơi nhận".
Documents are always in Vietnamese, whatever the language of whoever asks for them.

The font is Liberation Serif, shipped with the repository (reports/typeface.py), so the same font
is embedded on every machine. WeasyPrint fetches nothing else: no network, no other file.
"""

import unicodedata

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communes.models import UnitKind, UnitLevel
from dialogues.documents import official_date
from dialogues.notice import session_notice_context

from .charts import bar_chart
from .document import document_for
from .models import Letterhead, SigningConvention
from .typeface import FAMILY, font_faces, is_font_file


def fonts_only_fetcher():
    """WeasyPrint's URL fetcher, allowed to read the font files and nothing else."""
    # Imported here: WeasyPrint takes a while to load, and only the worker and commands need it.
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not is_font_file(url):
                raise ValueError(f"Documents load nothing but their fonts: {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])


def _html(template: str, context: dict) -> str:
    return render_to_string(
        template, {**context, "font_faces": font_faces(), "font_family": FAMILY}
    )


def _render(template: str, context: dict) -> bytes:
    return _pdf(_html(template, context))


# The subset fonts embedded in a PDF carry a timestamp (their 'head' table) that fontTools sets
# to the time of rendering unless SOURCE_DATE_EPOCH says otherwise: fixed here, the same document
# gives the same bytes whenever it is rendered (an issued report, a year later).
FONT_TIMESTAMP = "1136073600"  # 2006-01-01, about when Liberation Serif first shipped


def _pdf(html: str) -> bytes:
    import os

    from weasyprint import HTML

    os.environ.setdefault("SOURCE_DATE_EPOCH", FONT_TIMESTAMP)

    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=fonts_only_fetcher()
    ).write_pdf()


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- the report --------------------------------------------------------------------------------


def letterhead_for(unit) -> Letterhead:
    """The unit's own letterhead. A commune without one is headed by its own Party committee
    (Đảng ủy xã …), never by the district's board; other units take the nearest one above, else
    one made from their name."""
    own = Letterhead.objects.filter(unit=unit).first()
    if own is not None:
        return own
    if unit.level == UnitLevel.COMMUNE:
        return commune_letterhead(unit)
    found = (
        Letterhead.objects.filter(unit__path__in=unit.lineage_paths())
        .order_by("-unit__depth")
        .first()
    )
    if found:
        return found
    return Letterhead(
        unit=unit,
        parent_body=unit.full_name.upper(),
        issuing_body=_("MASS MOBILISATION BOARD"),
        place=unit.name,
        signing=SigningConvention.TITLE,
        signer_authority="",
        signer_title=_("HEAD OF THE BOARD"),
        signer_name="",
        recipients=_("- As above,\n- Filed."),
    )


def commune_letterhead(unit) -> Letterhead:
    """A commune's Party committee: ĐẢNG BỘ TỈNH … over ĐẢNG ỦY XÃ …, signed on behalf of its
    standing board by the secretary, sent where Kết luận 215-KL/TW says a commune's report goes:
    the provincial secretary, the provincial Ban Nội chính and Ban Tuyên giáo và Dân vận."""
    with translation.override("vi"):
        above = unit.lineage_paths()[:-1]
        parent = type(unit).objects.filter(path=above[-1]).first() if above else None
        return Letterhead(
            unit=unit,
            parent_body=_("PARTY ORGANISATION OF %(unit)s")
            % {"unit": (parent.full_name if parent else unit.full_name).upper()},
            issuing_body=_("PARTY COMMITTEE OF %(unit)s") % {"unit": unit.full_name.upper()},
            place=unit.name,
            signing=SigningConvention.ON_BEHALF,
            signer_authority=_("STANDING BOARD"),
            signer_title=_("SECRETARY"),
            signer_name="",
            recipients=commune_recipients(),
        )


def commune_recipients() -> str:
    """Kết luận 215-KL/TW: a commune reports to the provincial Party committee's standing
    members, its Ban Nội chính and its Ban Tuyên giáo và Dân vận."""
    return "\n".join(
        [
            _("- The standing members of the provincial Party committee (to report),"),
            _("- The Internal Affairs Board of the provincial Party committee,"),
            _("- The Propaganda, Education and Mass Mobilisation Board of the provincial Party "
              "committee,"),
            _("- Filed at the office of the Party committee."),
        ]
    )  # fmt: skip


def _initials(words: list[str]) -> str:
    # Đ has no decomposition, so it stays Đ as Party numbering keeps it ("ĐU"); "và" is not
    # abbreviated: BAN TUYÊN GIÁO VÀ DÂN VẬN is BTGDV.
    return "".join(
        unicodedata.normalize("NFD", word)[0] for word in words if word and word.upper() != "VÀ"
    ).upper()


def report_number_suffix(letterhead: Letterhead) -> str:
    """The number's type and issuer: "-BC/BDVHU" for BAN DÂN VẬN of HUYỆN ỦY, "-BC/ĐU" for a
    commune's ĐẢNG ỦY (a committee signs with its own symbol)."""
    issuing = letterhead.issuing_body.upper().split()
    if "ỦY" in issuing:  # the committee itself: ĐẢNG ỦY XÃ …, HUYỆN ỦY …
        return f"-BC/{_initials(issuing[: issuing.index('ỦY') + 1])}"
    words = letterhead.parent_body.upper().split()
    # The committee is named up to "ỦY" (HUYỆN ỦY, TỈNH ỦY, ĐẢNG ỦY); the place follows.
    committee = words[: words.index("ỦY") + 1] if "ỦY" in words else []
    return f"-BC/{_initials(issuing)}{_initials(committee)}"


def succession_notes(unit, start) -> list[str]:
    """One line per reorganisation after `start`: whose records the figures before it include,
    e.g. "Số liệu trước ngày 01/07/2025 gồm các xã Dũng Nghĩa, Hòa Bình và thị trấn Vũ Thư"."""
    notes = []
    for day, units in unit.predecessors_until(start).items():
        communes = [u.name for u in units if u.kind == UnitKind.COMMUNE]
        # Vietnamese has one plural form, and "các xã" is said only of several: two strings.
        named = _("communes %(names)s") if len(communes) > 1 else _("commune %(names)s")
        parts = [named % {"names": ", ".join(communes)}] if communes else []
        parts += [u.in_sentence for u in units if u.kind != UnitKind.COMMUNE]
        listed = parts[0] if len(parts) == 1 else _("%(first)s and %(last)s") % {
            "first": ", ".join(parts[:-1]), "last": parts[-1]
        }  # fmt: skip
        notes.append(
            _("Figures before %(day)s include %(units)s.")
            % {"day": f"{day:%d/%m/%Y}", "units": listed}
        )
    return notes


def chart_svg(block, **options):
    """A chart block drawn as inline SVG, from the bars the document holds."""
    title = _("Opinions by field") if block.chart == "field" else _("Opinions by status")
    return bar_chart(block.bars, title=title, chart_id=f"chart-{block.chart}", **options)


def laid_out_blocks(document, **chart_options) -> list[tuple]:
    """Each block with its chart drawn (or None): the templates cannot call functions."""
    return [
        (block, chart_svg(block, **chart_options) if block.kind == "chart" else None)
        for block in document.blocks
    ]


def report_html(*, report) -> str:
    """The report as the HTML the PDF is drawn from: an issued report from its stored content."""
    with translation.override("vi"):
        document = document_for(report)
        blocks = laid_out_blocks(document)
        context = {
            "report": report,
            "document": document,
            # The last paragraph is kept on the page of the signature (see the template).
            "blocks": blocks[:-1],
            "last_block": blocks[-1] if blocks else None,
        }
        return _html("reports/pdf/report.html", context)


def report_render_pdf(*, report) -> bytes:
    """The report as a PDF: a draft from the records as they are now, an issued report from the
    document stored when it was issued."""
    return _pdf(report_html(report=report))


# --- a session's documents ---------------------------------------------------------------------


def session_minutes_pdf(*, session) -> bytes:
    """The minutes (biên bản) of a session: who, when, where, what was said and what was raised."""
    with translation.override("vi"):
        context = session_notice_context(session)
        opinions = session.opinions.select_related("field", "agency", "hamlet").order_by(
            "created_at", "pk"
        )
        context.update(
            {
                "date": official_date(context["starts"].date()),
                "minutes_paragraphs": paragraphs(session.minutes_text),
                "opinions": opinions,
            }
        )
        return _render("reports/pdf/minutes.html", context)


def session_notice_pdf(*, session) -> bytes:
    """The notice inviting residents to a session, as the printable page words it; once the
    announcement is public, with a QR code to its public page."""
    with translation.override("vi"):
        context = session_notice_context(session)
        context["date"] = context["notice_date"]
        context.update(_public_link(session))
        return _render("reports/pdf/notice.html", context)


def _public_link(session) -> dict:
    from public.links import qr_svg, session_public_url

    url = session_public_url(session)
    return {"public_url": url, "qr": qr_svg(url) if url else ""}


def session_results_pdf(*, session) -> bytes:
    """Thông báo kết quả hội nghị đối thoại: what was raised and what was answered, as published
    (never who raised it), with a QR code to the public page where it is kept up to date."""
    from public.presenters import opinion_row

    with translation.override("vi"):
        context = session_notice_context(session)
        published = session.published_opinions.public().select_related(
            "opinion__field", "opinion__agency", "session__publication"
        )
        context.update(_public_link(session))
        context.update(
            {
                "date": official_date(timezone.localdate()),
                "session_date": official_date(context["starts"].date()),
                "rows": [opinion_row(row) for row in published.order_by("published_at", "pk")],
            }
        )
        return _render("reports/pdf/results.html", context)
