"""The report counts each kind of activity separately and has a section on the rules in force:
each obligation, required, done, behind (per unit for a province), in the PDF and the DOCX."""

import datetime
import io

from django.utils import translation
from docx import Document

from dialogues.models import SessionKind, SessionStatus
from obligations.models import Measure, Obligation
from reports.document import report_document
from reports.docx import report_render_docx
from reports.figures import report_figures
from reports.models import PeriodKind
from reports.pdf import letterhead_for, report_render_pdf

from .factories import district, make_plan, make_session, unit
from .reform import HUNG_YEN, XA_TAN_THUAN, XA_VU_THU, by_code
from .test_report_docx import docx_text
from .test_report_pdf import read, report_of
from .today import reception, world_fixture  # noqa: F401 - the fixture

D = datetime.date


def first_quarter(unit_):
    return report_of(
        unit_, kind=PeriodKind.QUARTER, year=2026, quarter=1, start=D(2026, 1, 1),
        end=D(2026, 3, 31), report_date=D(2026, 4, 5),
    )  # fmt: skip


def document(report):
    with translation.override("vi"):
        return report_document(report=report, letterhead=letterhead_for(report.unit))


def texts(model) -> str:
    parts = []
    for block in model.blocks:
        parts.append(block.text)
        parts += ["".join(run.text for run in line) for line in block.items]
        if block.table:
            parts += [cell for row in block.table.rows for cell in row]
    return "\n".join(parts)


def test_each_kind_counts_separately_in_the_figures(world):
    vu_thu = by_code(XA_VU_THU)
    reception(world, vu_thu, "03/03/2026")
    reception(world, vu_thu, "04/03/2026")
    make_session(plan=world, host=vu_thu, day="05/03/2026", kind=SessionKind.DIALOGUE,
                 status=SessionStatus.HELD)  # fmt: skip
    figures = report_figures(unit=by_code(HUNG_YEN), start=D(2026, 1, 1), end=D(2026, 3, 31))
    counts = {line.kind: line.count for line in figures.sessions_by_kind}
    assert counts == {"dialogue": 1, "reception": 2, "ad_hoc_reception": 0}


def test_the_2019_kinds_appear_only_where_they_exist(demo):
    plan = make_plan()
    make_session(plan=plan, host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)
    figures = report_figures(unit=district(), start=D(2019, 1, 1), end=D(2019, 12, 31))
    counts = {line.kind: line.count for line in figures.sessions_by_kind}
    assert counts == {"dialogue": 0, "reception": 0, "ad_hoc_reception": 0, "regular": 1}


def test_a_provinces_report_lists_each_rule_and_the_communes_behind(world):
    vu_thu = by_code(XA_VU_THU)
    for day in ("05/01/2026", "20/01/2026", "04/02/2026", "18/02/2026", "03/03/2026",
                "17/03/2026"):  # fmt: skip
        reception(world, vu_thu, day)
    reception(world, by_code(XA_TAN_THUAN), "10/03/2026")
    text = texts(document(first_quarter(by_code(HUNG_YEN))))
    assert "Thực hiện các quy định" in text
    assert "Người đứng đầu cấp ủy cấp xã tiếp công dân định kỳ" in text
    assert "Kết luận số 215-KL/TW ngày 23/11/2025" in text
    assert "Hội nghị đối thoại: 0;" in text and "Tiếp công dân định kỳ: 7;" in text
    assert "Xã Tân Thuận: 1/6, thiếu 5" in text
    assert "Xã Vũ Thư: 6/6" not in text  # met: not among those behind


def test_a_communes_report_gives_its_own_figures_and_changes_with_the_rule(world):
    vu_thu = by_code(XA_VU_THU)
    reception(world, vu_thu, "03/03/2026")
    model = document(first_quarter(vu_thu))
    table = next(t for t in model.tables if "tiếp công dân định kỳ" in t.rows[0][1])
    assert table.rows[0][2:] == ("6", "1", "5")
    Obligation.objects.filter(measure=Measure.PER_MONTH, level="commune").update(number=1)
    table = next(t for t in document(first_quarter(vu_thu)).tables if "định kỳ" in t.rows[0][1])
    assert table.rows[0][2:] == ("3", "1", "2")


def test_the_rules_section_is_in_the_pdf_and_the_docx(world):
    reception(world, by_code(XA_VU_THU), "03/03/2026")
    report = first_quarter(by_code(HUNG_YEN))
    report.save()
    _, pdf = read(report_render_pdf(report=report))
    docx = docx_text(Document(io.BytesIO(report_render_docx(report=report))))
    for text in (pdf, docx):
        assert "Thực hiện các quy định" in text
        assert "tiếp công dân định kỳ" in text
        assert "Luật Tổ chức chính quyền địa phương" in text


def test_a_2019_report_says_no_rule_was_in_force(demo):
    report = report_of(
        district(), kind=PeriodKind.YEAR, year=2019, start=D(2019, 1, 1), end=D(2019, 12, 31),
        report_date=D(2019, 12, 31),
    )  # fmt: skip
    assert "Không có quy định" in texts(document(report))
