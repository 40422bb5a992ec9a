import io
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from dialogues.models import SessionStatus
from reports import demo as reports_demo

from .factories import district, make_opinion, make_plan, make_session, unit


@pytest.fixture
def letterhead(demo):
    reports_demo.load()


def render(tmp_path, *args):
    output = tmp_path / "report.pdf"
    out = io.StringIO()
    call_command("render_report", *args, "--output", str(output), stdout=out)
    reader = PdfReader(output)
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(unicodedata.normalize("NFC", text).split()), out.getvalue()


def test_command_writes_the_quarter_report_as_a_pdf(letterhead, tmp_path):
    session = make_session(
        plan=make_plan(), host=unit("Dũng Nghĩa"), day="15/05/2019", status=SessionStatus.HELD
    )
    make_opinion(session=session, content="Đề nghị nạo vét mương tiêu thôn Bắc")
    reader, text, out = render(tmp_path, "--unit", "344", "--year", "2019", "--quarter", "2")
    assert len(reader.pages) >= 1
    assert "HUYỆN ỦY VŨ THƯ" in text and "BAN DÂN VẬN" in text
    assert "15/05/2019" in text and "Dũng Nghĩa" in text
    assert "Đề nghị nạo vét mương tiêu thôn Bắc" not in text  # only overdue ones are listed
    # By default: the draft, a number and a date to fill in.
    assert "…-BC/BDVHU" in text and "DỰ THẢO" in text
    assert "Vũ Thư, ngày … tháng … năm …" in text
    assert "01/04/2019" in out and "30/06/2019" in out


def test_command_takes_the_number_and_the_date(letterhead, tmp_path):
    _, text, _ = render(
        tmp_path, "--unit", "344", "--year", "2019", "--six-months",
        "--number", "12-BC/BDVHU", "--date", "05/07/2019",
    )  # fmt: skip
    assert "12-BC/BDVHU" in text and "DỰ THẢO" not in text
    assert "Vũ Thư, ngày 05 tháng 7 năm 2019" in text  # days 1–9 take a zero


def test_command_writes_a_months_report_compared_with_the_same_month_a_year_earlier(
    letterhead, tmp_path
):
    plan = make_plan(start="01/01/2018", end="31/12/2019")
    for day in ("15/10/2019", "14/09/2019", "16/10/2018", "17/10/2018"):
        session = make_session(
            plan=plan, host=unit("Dũng Nghĩa"), day=day, status=SessionStatus.HELD
        )
        make_opinion(session=session, content=f"Ý kiến ngày {day}")
    _, text, out = render(tmp_path, "--unit", "344", "--year", "2019", "--month", "10")
    assert "tháng 10 năm 2019" in text
    assert "15/10/2019" in text and "14/09/2019" not in text
    # Compared with October 2018 (two sessions), not with September 2019 (one).
    assert "tháng 10 năm 2018" in text and "tháng 9 năm 2019" not in text
    # No number given: a draft, dated by whoever issues it.
    assert "DỰ THẢO" in text and "Vũ Thư, ngày … tháng … năm …" in text
    assert "01/10/2019" in out and "31/10/2019" in out


@pytest.mark.parametrize(
    "period",
    [["--nine-months"], ["--whole-year"], ["--from", "11/05/2019", "--to", "20/05/2019"]],
)
def test_command_makes_every_kind_of_period(letterhead, tmp_path, period):
    year = [] if period[0] == "--from" else ["--year", "2019"]
    reader, _, out = render(tmp_path, "--unit", "344", *year, *period)
    assert len(reader.pages) >= 1
    assert "written to" in out


def test_command_reports_for_a_commune_under_its_party_committee(letterhead, tmp_path):
    _, text, _ = render(tmp_path, "--unit", unit("Dũng Nghĩa").code, "--year", "2019",
                        "--quarter", "2")  # fmt: skip
    assert "ĐẢNG ỦY XÃ DŨNG NGHĨA" in text and "BAN DÂN VẬN" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "99999", "--year", "2019", "--quarter", "2"], "99999"),
        (["--unit", "344", "--quarter", "2"], "--year"),
        (["--unit", "344", "--from", "01/05/2019"], "--to"),
        (["--unit", "344", "--year", "2019", "--whole-year", "--to", "01/05/2019"], "--from"),
        (["--unit", "344", "--from", "31/02/2019", "--to", "01/05/2019"], "31/02/2019"),
        (["--unit", "344", "--from", "01/05/2019", "--to", "01/04/2019"], "before --from"),
        (["--unit", "344", "--year", "2019", "--quarter", "2", "--date", "2019-06-30"],
         "2019-06-30"),
        (["--unit", "344", "--year", "2019"], "required"),
        (["--unit", "344", "--year", "2019", "--quarter", "5"], "5"),
        (["--unit", "344", "--year", "2019", "--month", "13"], "13"),
        (["--unit", "344", "--month", "10"], "--year"),
        (["--unit", "344", "--year", "2019", "--month", "10", "--quarter", "4"], "not allowed"),
    ],
)  # fmt: skip
def test_command_refuses_what_it_cannot_make_with_a_clear_message(demo, tmp_path, args, message):
    output = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("render_report", *args, "--output", str(output))
    assert not output.exists()


def test_command_reports_an_unwritable_output(letterhead, tmp_path):
    with pytest.raises(CommandError, match="Could not write"):
        call_command(
            "render_report", "--unit", "344", "--year", "2019", "--quarter", "2",
            "--output", str(tmp_path / "missing-folder" / "report.pdf"),
        )  # fmt: skip


def test_command_counts_the_districts_sessions(letterhead, tmp_path):
    plan = make_plan()
    for day in ("12/04/2019", "17/05/2019", "14/06/2019"):
        make_session(plan=plan, host=district(), day=day, status=SessionStatus.HELD,
                     attending=[unit("Bách Thuận")])  # fmt: skip
    _, text, _ = render(tmp_path, "--unit", "344", "--year", "2019", "--quarter", "2")
    for day in ("12/04/2019", "17/05/2019", "14/06/2019"):
        assert day in text
