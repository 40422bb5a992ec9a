"""Asking for a report through the web: the row first, the task after commit, a waiting page."""

import datetime

import pytest

from accounts.models import User
from reports.models import Report, ReportStatus

from .factories import district, make_plan, make_session, unit


def form(unit_, **overrides):
    data = {
        "unit": unit_.pk, "period_kind": "quarter", "year": "2019", "quarter": "2",
        "number": "12-BC/BDVHU", "place": "Vũ Thư", "report_date": "30/06/2019",
        "signer_authority": "T/M BAN DÂN VẬN", "signer_title": "TRƯỞNG BAN",
        "signer_name": "Phạm Thị Minh Hằng", "recipients": "- Thường trực Huyện ủy,\n- Lưu.",
        "assessment": "",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def data(demo):
    plan = make_plan()
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019", status="held")
    from reports.demo import load

    load()
    return plan


def test_board_staff_get_the_pdf_through_the_waiting_page(
    board_staff, data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = board_staff.post("/reports/new/", form(district()))
    # The row exists before anything is queued; the task is sent once the transaction commits.
    assert len(queued) == 1
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/?wait=1"
    # Tasks run eagerly in tests: by the time the user lands, the PDF is there.
    assert report.status == ReportStatus.READY
    assert report.requested_by.username == "bandanvan"
    assert (report.start, report.end) == (datetime.date(2019, 4, 1), datetime.date(2019, 6, 30))
    waiting = board_staff.get(response["Location"])
    assert waiting.status_code == 302
    download = board_staff.get(waiting["Location"])
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_waiting_page_refreshes_itself_until_the_report_is_ready(board_staff, data):
    report = Report.objects.create(
        unit=district(), period_kind="quarter", year=2019, quarter=2,
        start=datetime.date(2019, 4, 1), end=datetime.date(2019, 6, 30), number="12-BC/BDVHU",
        place="Vũ Thư", report_date=datetime.date(2019, 6, 30), signer_authority="T/M",
        signer_title="TRƯỞNG BAN", signer_name="", recipients="- Lưu.",
        requested_by=User.objects.get(username="bandanvan"),
    )  # fmt: skip
    page = board_staff.get(f"/reports/{report.pk}/?wait=1")
    assert page.status_code == 200
    assert f'http-equiv="refresh" content="3;url=/reports/{report.pk}/?wait=1"' in page.text
    report.status = ReportStatus.FAILED
    report.error = "Không có dữ liệu"
    report.save()
    page = board_staff.get(f"/reports/{report.pk}/?wait=1")
    assert "http-equiv" not in page.text
    assert "Không có dữ liệu" in page.text
    assert f"/reports/{report.pk}/retry/" in page.text


def test_a_failed_report_can_be_tried_again(board_staff, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        board_staff.post("/reports/new/", form(district()))
    report = Report.objects.get()
    report.status = ReportStatus.FAILED
    report.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = board_staff.post(f"/reports/{report.pk}/retry/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert report.attempts == 2


@pytest.mark.parametrize(
    ("kind", "extra", "bounds"),
    [
        ("month", {"quarter": "", "month": "10"},
         (datetime.date(2019, 10, 1), datetime.date(2019, 10, 31))),
        ("month", {"month": "2"}, (datetime.date(2019, 2, 1), datetime.date(2019, 2, 28))),
        ("year", {"quarter": ""}, (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))),
        ("six_months", {"quarter": ""}, (datetime.date(2019, 1, 1), datetime.date(2019, 6, 30))),
        ("nine_months", {}, (datetime.date(2019, 1, 1), datetime.date(2019, 9, 30))),
        ("custom", {"year": "", "quarter": "", "start": "15/03/2019", "end": "20/05/2019"},
         (datetime.date(2019, 3, 15), datetime.date(2019, 5, 20))),
    ],
)  # fmt: skip
def test_every_kind_of_period_can_be_asked_for(board_staff, data, kind, extra, bounds):
    response = board_staff.post("/reports/new/", form(district(), period_kind=kind, **extra))
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.start, report.end) == bounds
    assert report.quarter is None


def test_the_form_offers_the_month_and_keeps_it_with_the_other_periods(board_staff, data):
    page = board_staff.get("/reports/new/")
    assert 'value="month"' in page.text and 'name="month"' in page.text
    response = board_staff.post(
        "/reports/new/", form(district(), period_kind="month", month="10", year="")
    )
    assert 'value="10" selected' in response.text
    assert "month" not in response.context["form"].errors


def test_leaders_may_ask_for_reports(leader, data):
    response = leader.post("/reports/new/", form(district()))
    assert response.status_code == 302
    assert Report.objects.get().requested_by.username == "lanhdao"


def test_the_form_is_prefilled_from_the_units_letterhead(board_staff, data):
    page = board_staff.get("/reports/new/")
    initial = page.context["form"].initial
    assert initial["place"] == "Vũ Thư"
    assert initial["signer_title"] == "TRƯỞNG BAN"
    assert "Lưu Ban Dân vận" in initial["recipients"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"number": "12/BC-BDVHU"}, "number"),
        ({"quarter": ""}, "quarter"),
        ({"period_kind": "month"}, "month"),
        ({"period_kind": "month", "month": "13"}, "month"),
        ({"period_kind": "month", "month": "10", "year": ""}, "year"),
        ({"year": ""}, "year"),
        ({"period_kind": "custom", "start": "30/06/2019", "end": "01/04/2019"}, "end"),
        ({"period_kind": "custom", "start": "", "end": ""}, "start"),
        ({"report_date": "31/02/2019"}, "report_date"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(board_staff, data, overrides, field):
    response = board_staff.post("/reports/new/", form(district(), **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Report.objects.exists()


def test_a_commune_officer_reports_on_their_commune_only(officer, data):
    assert officer.post("/reports/new/", form(unit("Dũng Nghĩa"))).status_code == 302
    response = officer.post("/reports/new/", form(district()))
    assert "unit" in response.context["form"].errors
    response = officer.post("/reports/new/", form(unit("Bách Thuận")))
    assert "unit" in response.context["form"].errors
    assert Report.objects.count() == 1


def test_the_outsider_cannot_open_or_download_another_communes_report(officer, outsider, data):
    officer.post("/reports/new/", form(unit("Dũng Nghĩa")))
    report = Report.objects.get()
    for url in [
        f"/reports/{report.pk}/", f"/reports/{report.pk}/download/",
        f"/reports/{report.pk}/download.docx",
    ]:  # fmt: skip
        assert outsider.get(url).status_code == 404
    assert outsider.post(f"/reports/{report.pk}/retry/").status_code == 404
    assert report.pk not in [r.pk for r in outsider.get("/reports/").context["page"]]


def test_a_commune_officer_cannot_download_the_district_report(board_staff, officer, data):
    board_staff.post("/reports/new/", form(district()))
    report = Report.objects.get()
    assert officer.get(f"/reports/{report.pk}/download/").status_code == 404
    assert officer.get(f"/reports/{report.pk}/download.docx").status_code == 404


def test_responders_have_no_reports(responder, data):
    assert responder.get("/reports/").status_code == 403
    assert responder.get("/reports/new/").status_code == 403


def test_report_list_shows_who_asked_when_and_for_what(
    board_staff, data, django_assert_max_num_queries
):
    for _ in range(3):
        board_staff.post("/reports/new/", form(district()))
    with django_assert_max_num_queries(8):
        page = board_staff.get("/reports/")
    assert page.context["page"].paginator.count == 3
    assert "12-BC/BDVHU" in page.text and "01/04/2019" in page.text


def test_a_report_is_made_once_even_if_the_task_comes_twice(data):
    from reports.services import report_generate

    report = Report.objects.create(
        unit=district(), period_kind="year", year=2019, start=datetime.date(2019, 1, 1),
        end=datetime.date(2019, 12, 31), number="1-BC/BDVHU", place="Vũ Thư",
        report_date=datetime.date(2019, 12, 31), signer_authority="T/M", signer_title="TB",
        signer_name="", recipients="- Lưu.",
    )  # fmt: skip
    report_generate(report_id=report.pk)
    report.refresh_from_db()
    first_file = report.file.name
    report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.file.name == first_file and report.attempts == 1


def test_reports_queued_while_the_broker_was_down_are_sent_again(
    data, django_capture_on_commit_callbacks
):
    from reports.services import reports_requeue_stuck

    report = Report.objects.create(
        unit=district(), period_kind="year", year=2019, start=datetime.date(2019, 1, 1),
        end=datetime.date(2019, 12, 31), number="1-BC/BDVHU", place="Vũ Thư",
        report_date=datetime.date(2019, 12, 31), signer_authority="T/M", signer_title="TB",
        signer_name="", recipients="- Lưu.",
        queued_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    fresh = Report.objects.create(**{
        f.name: getattr(report, f.name) for f in Report._meta.concrete_fields
        if f.name not in ("id", "queued_at")
    })  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_requeue_stuck(older_than=datetime.timedelta(minutes=10)) == 1
    report.refresh_from_db()
    fresh.refresh_from_db()
    assert report.status == ReportStatus.READY  # eager: sent again and made
    assert fresh.status == ReportStatus.QUEUED  # too recent to be considered stuck
