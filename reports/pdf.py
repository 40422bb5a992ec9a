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

from communes.models import UnitKind
from dialogues.documents import official_date
from dialogues.notice import session_notice_context

from .charts import opinions_by_field_chart, opinions_by_status_chart
from .document import report_document
from .models import Letterhead
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


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=fonts_only_fetcher()
    ).write_pdf()


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- the report --------------------------------------------------------------------------------


def letterhead_for(unit) -> Letterhead:
    """The letterhead of the unit, or of its nearest unit above; else one made from its name."""
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
        signer_authority=_("ON BEHALF OF THE MASS MOBILISATION BOARD"),
        signer_title=_("HEAD OF THE BOARD"),
        signer_name="",
        recipients=_("- As above,\n- Filed."),
    )


def _initials(words: list[str]) -> str:
    # Đ has no decomposition, so it stays Đ as Party numbering keeps it ("ĐU"); "và" is not
    # abbreviated: BAN TUYÊN GIÁO VÀ DÂN VẬN is BTGDV.
    return "".join(
        unicodedata.normalize("NFD", word)[0] for word in words if word and word.upper() != "VÀ"
    ).upper()


def report_number_placeholder(letterhead: Letterhead) -> str:
    """A number to be filled in by the registry: "…-BC/BDVHU" for BAN DÂN VẬN of HUYỆN ỦY."""
    board = _initials(letterhead.issuing_body.split())
    words = letterhead.parent_body.upper().split()
    # The committee is named up to "ỦY" (HUYỆN ỦY, TỈNH ỦY, ĐẢNG ỦY); the place follows.
    committee = words[: words.index("ỦY") + 1] if "ỦY" in words else []
    return f"…-BC/{board}{_initials(committee)}"


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


def report_html(*, report) -> str:
    """The report as the HTML the PDF is drawn from."""
    with translation.override("vi"):
        document = report_document(report=report, letterhead=letterhead_for(report.unit))
        context = {
            "report": report,
            "document": document,
            "field_chart": opinions_by_field_chart(document.figures),
            "status_chart": opinions_by_status_chart(document.figures),
        }
        return _html("reports/pdf/report.html", context)


def report_render_pdf(*, report) -> bytes:
    """The report as a PDF, from its parameters and the records as they are now."""
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
