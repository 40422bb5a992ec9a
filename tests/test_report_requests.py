"""A report's life on the web: a draft at once, its words edited beside the figures, issued with a
number (the next free one suggested, a taken one refused), its PDF made by the worker, the signed
copy attached; the archive."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from docx import Document
from pypdf import PdfReader

from accounts.models import Role, User
from reports.models import Report, ReportStage, ReportStatus
from reports.workflow import REPORT_WORKFLOW

from .factories import district, make_opinion, make_plan, make_session, unit


def form(unit_, **overrides):
    """What asking for a draft takes: the unit and the period."""
    data = {"unit": unit_.pk, "period_kind": "quarter", "year": "2019", "quarter": "2"}
    data.update(overrides)
    return data


def issue_form(report, **overrides):
    data = {
        "seen": str(report.revision), "number": "12-BC/BDVHU", "report_date": "30/06/2019",
        "place": "Vũ Thư", "signing": "title", "signer_authority": "", "signer_title": "TRƯỞNG BAN",
        "signer_name": "Phạm Thị Minh Hằng", "recipients": "- Thường trực Huyện ủy,\n- Lưu.",
    }  # fmt: skip
    data.update(overrides)
    return data


def draft(client, unit_, **overrides) -> Report:
    response = client.post("/reports/new/", form(unit_, **overrides))
    assert response.status_code == 302, response.context["form"].errors
    report = Report.objects.order_by("-pk").first()
    assert response["Location"] == f"/reports/{report.pk}/"
    return report


def issue(client, unit_, *, period=None, **overrides):
    """A draft asked for and issued through the pages; returns the issue page's response."""
    report = draft(client, unit_, **(period or {}))
    return client.post(f"/reports/{report.pk}/issue/", issue_form(report, **overrides))


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def data(demo):
    plan = make_plan(number="55-KH/HU", issuing_body="Ban Thường vụ Huyện ủy Vũ Thư")
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019", status="held")
    from reports.demo import load

    load()
    return plan


# --- the draft ---------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["board_staff", "leader", "officer"])
def test_anyone_who_reads_reports_gets_a_draft_at_once(
    actors, data, actor, django_capture_on_commit_callbacks
):
    client = actors[actor]
    unit_ = unit("Dũng Nghĩa") if actor == "officer" else district()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        report = draft(client, unit_)
    assert not queued  # no worker: the draft is laid out on the page
    assert report.stage == ReportStage.DRAFT and report.number == ""
    assert (report.start, report.end) == (datetime.date(2019, 4, 1), datetime.date(2019, 6, 30))
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert "DỰ THẢO" in page.text and "15/05/2019" in page.text
    # The opening cites the plan the report is about.
    assert "Kế hoạch số 55-KH/HU" in page.text
    pdf = client.get(f"/reports/{report.pk}/download/")
    assert pdf["Content-Type"] == "application/pdf"
    text = text_of(pdf.content)
    assert "DỰ THẢO" in text and "Kế hoạch số 55-KH/HU" in text
    docx = client.get(f"/reports/{report.pk}/download.docx")
    assert "DỰ THẢO" in [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "du-thao-bao-cao" in docx["Content-Disposition"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quarter": ""}, "quarter"),
        ({"period_kind": "month"}, "month"),
        ({"period_kind": "month", "month": "13"}, "month"),
        ({"period_kind": "month", "month": "10", "year": ""}, "year"),
        ({"year": ""}, "year"),
        ({"period_kind": "custom", "start": "30/06/2019", "end": "01/04/2019"}, "end"),
        ({"period_kind": "custom", "start": "", "end": ""}, "start"),
        ({"period_kind": "custom", "start": "31/02/2019", "end": "01/04/2019"}, "start"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(board_staff, data, overrides, field):
    response = board_staff.post("/reports/new/", form(district(), **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Report.objects.exists()


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
    report = draft(board_staff, district(), period_kind=kind, **extra)
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


def test_staff_edit_the_words_beside_the_figures_as_often_as_they_like(board_staff, data):
    report = draft(board_staff, district())
    page = board_staff.get(report.get_absolute_url())
    initial = page.context["narrative_form"].initial
    # The generated paragraphs are offered for editing.
    assert initial["opening"].startswith("Thực hiện Kế hoạch số 55-KH/HU")
    words = {
        "opening": initial["opening"], "summary": "Nhân dân nêu nhiều ý kiến về đất đai.",
        "strengths": "Các cấp ủy chủ động tổ chức hội nghị.", "shortcomings": "",
        "tasks": "Tổ chức đối thoại ở các xã còn lại.", "proposals": "",
    }  # fmt: skip
    for revision in (0, 1):
        response = board_staff.post(f"/reports/{report.pk}/edit/", {**words, "seen": str(revision)})
        assert response.status_code == 302
    report.refresh_from_db()
    assert report.revision == 2
    # Left as generated, the opening keeps following the figures.
    assert report.opening == "" and report.summary.startswith("Nhân dân nêu")
    page = board_staff.get(report.get_absolute_url()).text
    page = page[page.index('id="document"') : page.index("</article>")]
    expected_words = [
        "ĐÁNH GIÁ CHUNG", "Ưu điểm", "Các cấp ủy chủ động tổ chức hội nghị.",
        "Nhiệm vụ thời gian tới", "Nhân dân nêu nhiều ý kiến về đất đai.",
    ]  # fmt: skip
    for expected in expected_words:
        assert expected.upper() in page.upper(), expected
    assert "Hạn chế, nguyên nhân" not in page  # left empty: left out


def test_two_editors_never_overwrite_each_other_silently(board_staff, data):
    report = draft(board_staff, district())
    other = User.objects.create_user(
        "bandanvan2", password="x", role=Role.BOARD_STAFF, unit=district()
    )
    from django.test import Client

    second = Client()
    second.force_login(other)
    words = {"opening": "", "summary": "", "shortcomings": "", "tasks": "", "proposals": ""}
    first = board_staff.post(
        f"/reports/{report.pk}/edit/", {**words, "strengths": "Bản của chị Hằng.", "seen": "0"}
    )
    assert first.status_code == 302
    late = second.post(
        f"/reports/{report.pk}/edit/", {**words, "strengths": "Bản của anh Nam.", "seen": "0"}
    )
    assert late.status_code == 409
    assert "Bản của anh Nam." in late.text  # their input is kept in the form
    assert "đã lưu" in late.text  # and they are told someone saved meanwhile
    report.refresh_from_db()
    assert report.strengths == "Bản của chị Hằng."
    # Having read it, saving again goes through.
    again = second.post(
        f"/reports/{report.pk}/edit/", {**words, "strengths": "Bản của anh Nam.", "seen": "1"}
    )
    assert again.status_code == 302


def test_leaders_read_and_get_drafts_but_do_not_edit_or_issue(leader, data):
    report = draft(leader, district())
    page = leader.get(report.get_absolute_url())
    assert page.context["narrative_form"] is None
    assert f"/reports/{report.pk}/issue/" not in page.text
    assert leader.post(f"/reports/{report.pk}/edit/", {"strengths": "x"}).status_code == 403
    assert leader.get(f"/reports/{report.pk}/issue/").status_code == 403
    assert leader.post(f"/reports/{report.pk}/issue/", issue_form(report)).status_code == 403


# --- issuing -----------------------------------------------------------------------------------


def test_issuing_suggests_the_next_free_number_and_the_pdf_is_made_by_the_worker(
    board_staff, data, django_capture_on_commit_callbacks
):
    first = draft(board_staff, district())
    page = board_staff.get(f"/reports/{first.pk}/issue/")
    # The suggestion is a number the form accepts (the old placeholder "…-BC/BDVHU" was not).
    suggested = page.context["form"].initial["number"]
    assert suggested == "01-BC/BDVHU"
    with django_capture_on_commit_callbacks(execute=True) as queued:
        # Numbers run over the Party committee's term: a report dated today counts.
        today = datetime.date.today().strftime("%d/%m/%Y")
        response = board_staff.post(
            f"/reports/{first.pk}/issue/",
            issue_form(first, number=suggested, report_date=today),
        )
    assert response.status_code == 302 and len(queued) == 1
    first.refresh_from_db()
    assert first.stage == ReportStage.ISSUED and first.content is not None
    assert first.status == ReportStatus.READY  # tasks run eagerly in tests
    second = draft(board_staff, district())
    assert (
        board_staff.get(f"/reports/{second.pk}/issue/").context["form"].initial["number"]
        == "02-BC/BDVHU"
    )
    pdf = board_staff.get(f"/reports/{first.pk}/download/")
    text = text_of(b"".join(pdf.streaming_content))
    assert "01-BC/BDVHU" in text and "DỰ THẢO" not in text and "Phạm Thị Minh Hằng" in text


def test_an_issued_report_is_read_only(board_staff, data):
    issue(board_staff, district())
    report = Report.objects.get()
    page = board_staff.get(report.get_absolute_url())
    assert page.context["narrative_form"] is None
    response = board_staff.post(f"/reports/{report.pk}/edit/", {"strengths": "Sửa lén."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.strengths == ""
    again = board_staff.post(
        f"/reports/{report.pk}/issue/", issue_form(report, number="13-BC/BDVHU")
    )
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.number == "12-BC/BDVHU"


def test_a_number_taken_by_the_same_body_is_refused_next_to_the_field(board_staff, data):
    assert issue(board_staff, district()).status_code == 302
    second = draft(board_staff, district())
    response = board_staff.post(f"/reports/{second.pk}/issue/", issue_form(second))
    assert response.status_code == 200
    errors = response.context["form"].errors["number"]
    assert "12-BC/BDVHU" in errors[0] and "đã được cấp" in errors[0]
    assert 'value="12-BC/BDVHU"' in response.text  # the input is kept
    second.refresh_from_db()
    assert second.stage == ReportStage.DRAFT
    # Another body may use the same digits: a commune's committee numbers its own reports.
    response = issue(board_staff, unit("Dũng Nghĩa"), number="12-BC/ĐU", signing="tm",
                     signer_authority="BAN THƯỜNG VỤ", signer_title="BÍ THƯ")  # fmt: skip
    assert response.status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reports_issued_at_once_with_one_number_are_refused_by_the_database(demo):
    """The form's check passed for both (they were issued at the same instant): the constraint
    refuses the second, which is told next to its number and stays a draft."""
    from reports.demo import load
    from reports.services import report_issue

    load()
    staff = User.objects.get(username="bandanvan")
    common = {"unit": district(), "period_kind": "quarter", "year": 2019, "quarter": 2,
              "start": datetime.date(2019, 4, 1), "end": datetime.date(2019, 6, 30)}  # fmt: skip
    first, second = Report.objects.create(**common), Report.objects.create(**common)
    values = {
        "number": "12-BC/BDVHU", "report_date": datetime.date(2019, 6, 30), "place": "Vũ Thư",
        "signing": "title", "signer_authority": "", "signer_title": "TRƯỞNG BAN",
        "signer_name": "", "recipients": "- Lưu.",
    }  # fmt: skip
    with transaction.atomic():
        report_issue(report=first, data=values, by=staff)
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        report_issue(report=second, data=values, by=staff)
    assert "12-BC/BDVHU" in refused.value.message_dict["number"][0]
    second.refresh_from_db()
    assert second.stage == ReportStage.DRAFT and second.number == ""


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"number": "12/BC-BDVHU"}, "number"),
        ({"number": "12-KH/BDVHU"}, "number"),
        ({"number": "…-BC/BDVHU"}, "number"),
        ({"report_date": "31/02/2019"}, "report_date"),
        ({"signing": "tm", "signer_authority": ""}, "signer_authority"),
        ({"signer_title": ""}, "signer_title"),
    ],
)
def test_bad_issue_input_is_explained_next_to_the_field_and_kept(
    board_staff, data, overrides, field
):
    report = draft(board_staff, district())
    response = board_staff.post(f"/reports/{report.pk}/issue/", issue_form(report, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    report.refresh_from_db()
    assert report.stage == ReportStage.DRAFT


def test_a_failed_pdf_of_an_issued_report_can_be_tried_again(
    board_staff, data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue(board_staff, district())
    report = Report.objects.get()
    report.status, report.error = ReportStatus.FAILED, "Không có dữ liệu"
    report.save()
    page = board_staff.get(report.get_absolute_url())
    assert "Không có dữ liệu" in page.text and f"/reports/{report.pk}/retry/" in page.text
    # The failed PDF is not offered for download while the page shows the error.
    assert board_staff.get(f"/reports/{report.pk}/download/").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert board_staff.post(f"/reports/{report.pk}/retry/").status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.attempts == 2


def test_the_page_of_an_issued_report_refreshes_itself_while_its_pdf_is_made(board_staff, data):
    issue(board_staff, district())
    report = Report.objects.get()
    report.status = ReportStatus.QUEUED
    report.save()
    assert 'http-equiv="refresh"' in board_staff.get(report.get_absolute_url()).text
    report.status = ReportStatus.READY
    report.save()
    assert 'http-equiv="refresh"' not in board_staff.get(report.get_absolute_url()).text


# --- the signed copy, corrections --------------------------------------------------------------

SIGNED_PDF = b"%PDF-1.7\n% signed with a digital signature\n" + bytes(range(256)) + b"\n%%EOF\n"


def test_the_signed_copy_is_attached_and_kept_byte_for_byte(board_staff, leader, data):
    issue(board_staff, district())
    report = Report.objects.get()
    upload = SimpleUploadedFile("ban-ky.pdf", SIGNED_PDF, content_type="application/pdf")
    assert leader.post(f"/reports/{report.pk}/signed/", {"signed_file": upload}).status_code == 403
    upload = SimpleUploadedFile("ban-ky.pdf", SIGNED_PDF, content_type="application/pdf")
    response = board_staff.post(f"/reports/{report.pk}/signed/", {"signed_file": upload})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.stage == ReportStage.SIGNED
    download = leader.get(f"/reports/{report.pk}/signed-copy/")
    assert b"".join(download.streaming_content) == SIGNED_PDF


def test_a_file_that_is_not_a_scan_is_refused_next_to_the_field(board_staff, data):
    issue(board_staff, district())
    report = Report.objects.get()
    upload = SimpleUploadedFile("ban-ky.pdf", b"not a pdf at all", content_type="application/pdf")
    response = board_staff.post(f"/reports/{report.pk}/signed/", {"signed_file": upload})
    assert response.status_code == 200
    assert "signed_file" in response.context["form"].errors
    assert "không phải là tệp PDF" in response.text
    report.refresh_from_db()
    assert report.stage == ReportStage.ISSUED and not report.signed_file


def test_a_signed_copy_is_not_attached_to_a_draft(board_staff, data):
    report = draft(board_staff, district())
    upload = SimpleUploadedFile("ban-ky.pdf", SIGNED_PDF, content_type="application/pdf")
    board_staff.post(f"/reports/{report.pk}/signed/", {"signed_file": upload})
    report.refresh_from_db()
    assert report.stage == ReportStage.DRAFT and not report.signed_file


def test_a_correction_is_a_new_report_that_says_which_one_it_replaces(
    board_staff, data, django_capture_on_commit_callbacks
):
    issue(board_staff, district(), strengths="")
    old = Report.objects.get()
    response = board_staff.post(f"/reports/{old.pk}/correct/")
    correction = Report.objects.exclude(pk=old.pk).get()
    assert response["Location"] == correction.get_absolute_url()
    assert correction.replaces == old and correction.stage == ReportStage.DRAFT
    # A second click finds the same draft.
    board_staff.post(f"/reports/{old.pk}/correct/")
    assert Report.objects.count() == 2
    page = board_staff.get(correction.get_absolute_url()).text
    assert "Báo cáo này thay thế Báo cáo số 12-BC/BDVHU ngày 30/06/2019." in page
    with django_capture_on_commit_callbacks(execute=True):
        board_staff.post(
            f"/reports/{correction.pk}/issue/", issue_form(correction, number="13-BC/BDVHU")
        )
    old_page = board_staff.get(old.get_absolute_url()).text
    assert "đã được thay thế bằng báo cáo 13-BC/BDVHU" in old_page
    correction.refresh_from_db()
    text = text_of(
        b"".join(board_staff.get(f"/reports/{correction.pk}/download/").streaming_content)
    )
    assert "thay thế Báo cáo số 12-BC/BDVHU" in text


# --- who may do what, the archive ---------------------------------------------------------------

ACTORS = {"board_staff": Role.BOARD_STAFF, "officer": Role.COMMUNE_OFFICER, "leader": Role.LEADER}


@pytest.mark.parametrize("stage", ["draft", "issued", "signed"])
def test_the_report_page_offers_each_role_the_steps_the_workflow_declares(actors, data, stage):
    report = draft(actors["officer"], unit("Dũng Nghĩa"))
    if stage != "draft":
        actors["officer"].post(
            f"/reports/{report.pk}/issue/",
            issue_form(report, number="07-BC/ĐU", signing="tm", signer_authority="BAN THƯỜNG VỤ"),
        )
    if stage == "signed":
        upload = SimpleUploadedFile("ban-ky.pdf", SIGNED_PDF)
        actors["officer"].post(f"/reports/{report.pk}/signed/", {"signed_file": upload})
    report.refresh_from_db()
    assert report.stage == stage
    urls = {f"/reports/{report.pk}/{path}/" for path in ("issue", "signed", "correct")}
    for actor, role in ACTORS.items():
        page = actors[actor].get(report.get_absolute_url())
        expected = {
            f"/reports/{report.pk}/{path}/"
            for t, path in [(t, {"issue": "issue", "attach": "signed", "correct": "correct"}.get(
                t.name)) for t in REPORT_WORKFLOW.offered(report, role)]
            if path
        }  # fmt: skip
        found = set(re.findall(r'(?:href|action)="([^"]+)"', page.text)) & urls
        assert found == expected, (actor, stage)
        assert bool(expected) == (role != Role.LEADER)
        # The narrative form only for a draft, only for those who edit.
        assert (page.context["narrative_form"] is not None) == (
            stage == "draft" and role != Role.LEADER
        )


def test_a_commune_officer_reports_on_their_commune_only(officer, data):
    draft(officer, unit("Dũng Nghĩa"))
    response = officer.post("/reports/new/", form(district()))
    assert "unit" in response.context["form"].errors
    response = officer.post("/reports/new/", form(unit("Bách Thuận")))
    assert "unit" in response.context["form"].errors
    assert Report.objects.count() == 1


def test_the_outsider_cannot_open_or_change_another_communes_report(officer, outsider, data):
    report = draft(officer, unit("Dũng Nghĩa"))
    for url in [
        f"/reports/{report.pk}/", f"/reports/{report.pk}/download/",
        f"/reports/{report.pk}/download.docx", f"/reports/{report.pk}/issue/",
    ]:  # fmt: skip
        assert outsider.get(url).status_code == 404
    for url in ["edit", "retry", "correct", "issue"]:
        assert outsider.post(f"/reports/{report.pk}/{url}/").status_code == 404
    assert report.pk not in [r.pk for r in outsider.get("/reports/").context["page"]]


def test_responders_have_no_reports(responder, data):
    assert responder.get("/reports/").status_code == 403
    assert responder.get("/reports/new/").status_code == 403


def test_the_archive_shows_draft_issued_and_signed_with_filters(
    board_staff, data, django_assert_max_num_queries
):
    for number in ("12-BC/BDVHU", "13-BC/BDVHU"):
        issue(board_staff, district(), number=number)
    draft(board_staff, district())
    signed = Report.objects.get(number="13-BC/BDVHU")
    upload = SimpleUploadedFile("ban-ky.pdf", SIGNED_PDF)
    board_staff.post(f"/reports/{signed.pk}/signed/", {"signed_file": upload})
    with django_assert_max_num_queries(10):
        page = board_staff.get("/reports/")
    assert page.context["page"].paginator.count == 3
    assert "Dự thảo" in page.text and "Đã ban hành" in page.text and "Đã có bản ký" in page.text
    for stage, expected in [("draft", [""]), ("issued", ["12-BC/BDVHU"]),
                            ("signed", ["13-BC/BDVHU"])]:  # fmt: skip
        with django_assert_max_num_queries(10):
            page = board_staff.get(f"/reports/?stage={stage}")
        assert [r.number for r in page.context["page"]] == expected
    assert (
        board_staff.get(f"/reports/?unit={unit('Dũng Nghĩa').pk}").context["page"].paginator.count
        == 0
    )
    assert board_staff.get("/reports/?stage=nonsense&unit=abc").status_code == 200


def test_many_reports_are_paginated_with_bounded_queries(
    board_staff, data, django_assert_max_num_queries
):
    staff = User.objects.get(username="bandanvan")
    Report.objects.bulk_create(
        Report(unit=district(), period_kind="year", year=2019, start=datetime.date(2019, 1, 1),
               end=datetime.date(2019, 12, 31), requested_by=staff)
        for _ in range(45)
    )  # fmt: skip
    with django_assert_max_num_queries(10):
        page = board_staff.get("/reports/?page=3")
    assert len(page.context["page"]) == 5


def test_opinions_raised_after_the_draft_show_in_it_at_once(board_staff, data):
    report = draft(board_staff, district())
    session = make_session(plan=data, host=unit("Dũng Nghĩa"), day="20/05/2019", status="held")
    make_opinion(session=session, content="Đề nghị sửa cầu")
    assert "20/05/2019" in board_staff.get(report.get_absolute_url()).text
