"""Reports cross the 2025 reorganisation: a successor's figures before the effective date are its
predecessors', the printed report says so, and a year-on-year comparison spans the reform."""

import datetime
import os

import pytest

from dialogues.models import SessionStatus
from reports import demo as reports_demo
from reports.figures import report_figures

from .factories import make_opinion, make_plan, make_session
from .reform import HUNG_YEN, XA_VU_THU, apply_reform, by_code
from .test_render_report_command import render


def old(name):
    from communes.models import AdministrativeUnit

    return AdministrativeUnit.objects.get(name=name, code__startswith="344", depth=3)


@pytest.fixture
def sessions(demo):
    """Dũng Nghĩa and Minh Khai (now xã Vũ Thư) and Bách Thuận (now Tân Thuận), 2019 and 2024."""
    reports_demo.load()
    plan = make_plan(start="01/01/2019", end="31/12/2025")
    made = {}
    for name, day in [("Dũng Nghĩa", "15/05/2019"), ("Minh Khai", "20/05/2019"),
                      ("Bách Thuận", "22/05/2019"), ("Dũng Nghĩa", "10/04/2024"),
                      ("Tam Quang", "12/06/2024")]:  # fmt: skip
        session = make_session(plan=plan, host=old(name), day=day, status=SessionStatus.HELD)
        make_opinion(session=session, content=f"Ý kiến của Nhân dân {name} {day}")
        made[name, day[-4:]] = session
    district_figures = report_figures(
        unit=by_code("344"), start=datetime.date(2019, 4, 1), end=datetime.date(2019, 6, 30)
    )
    apply_reform()
    new_plan = make_plan(unit_=by_code(HUNG_YEN), start="01/01/2025", end="31/12/2025")
    made["new"] = make_session(
        plan=new_plan, host=by_code(XA_VU_THU), day="15/08/2025", status=SessionStatus.HELD
    )
    make_opinion(session=made["new"])
    return {"made": made, "district_2019": district_figures}


def test_xa_vu_thus_2019_q2_report_counts_its_predecessors_sessions(sessions):
    figures = report_figures(
        unit=by_code(XA_VU_THU), start=datetime.date(2019, 4, 1), end=datetime.date(2019, 6, 30)
    )
    assert sorted(row.host for row in figures.sessions) == ["Xã Dũng Nghĩa", "Xã Minh Khai"]
    assert figures.opinions == 2


def test_render_report_of_xa_vu_thu_prints_and_names_the_predecessors(sessions, tmp_path):
    _, text, _ = render(tmp_path, "--unit", XA_VU_THU, "--year", "2019", "--quarter", "2")
    assert "Xã Dũng Nghĩa" in text and "Xã Minh Khai" in text and "Bách Thuận" not in text
    assert "Số liệu trước ngày 01/07/2025 gồm các xã" in text
    assert "Tam Quang" in text and "thị trấn Vũ Thư" in text


def test_the_word_file_of_xa_vu_thus_report_names_the_predecessors_too(sessions, tmp_path):
    import docx
    from django.core.management import call_command

    output = tmp_path / "report.docx"
    call_command(
        "render_report", "--unit", XA_VU_THU, "--year", "2019", "--quarter", "2",
        "--format", "docx", "--output", str(output), stdout=open(os.devnull, "w"),  # noqa: SIM115
    )  # fmt: skip
    text = " ".join(paragraph.text for paragraph in docx.Document(output).paragraphs)
    assert "Số liệu trước ngày 01/07/2025 gồm các xã" in text


def test_nine_months_of_2025_compare_with_the_predecessors_nine_months_of_2024(sessions):
    figures = report_figures(
        unit=by_code(XA_VU_THU), start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 9, 30), kind="nine_months",
    )  # fmt: skip
    assert figures.sessions_held == 1
    assert figures.previous.headline.sessions == 2  # Dũng Nghĩa's and Tam Quang's of 2024
    assert figures.previous.headline.opinions == 2


def test_the_2019_district_report_is_unchanged_to_the_figure_by_the_reform(sessions):
    before = sessions["district_2019"]
    after = report_figures(
        unit=by_code("344"), start=datetime.date(2019, 4, 1), end=datetime.date(2019, 6, 30)
    )
    assert after == before


def test_a_report_after_the_reform_has_no_note_about_predecessors(sessions, tmp_path):
    _, text, _ = render(tmp_path, "--unit", XA_VU_THU, "--year", "2025", "--quarter", "4")
    assert "Số liệu trước ngày" not in text
