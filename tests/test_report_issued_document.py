"""What an issued report says is frozen; each unit's letterhead and the Party's signing
conventions; empty sections in one sentence; the signature kept with the last paragraph; the
PDF's only fonts are the shipped ones."""

import datetime
import io
import re
import zipfile
from html import unescape

import pytest
from docx import Document
from pypdf import PdfReader

from accounts.models import Role, User
from reports.docx import report_render_docx
from reports.models import Letterhead, Report, ReportStage, signature_lines
from reports.pdf import letterhead_for, report_html, report_render_pdf
from reports.typeface import FAMILY

from .factories import district, make_opinion, make_plan, make_session, unit
from .test_report_pdf import fonts, only_the_shipped_serif
from .test_report_requests import draft, issue_form

D = datetime.date


@pytest.fixture
def data(demo):
    plan = make_plan(number="55-KH/HU", issuing_body="Ban Thường vụ Huyện ủy Vũ Thư")
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019", status="held")
    make_opinion(session=session, content="Đề nghị nạo vét mương tiêu thôn Bắc")
    from reports.demo import load

    load()
    return plan


def without_dates(pdf: bytes) -> bytes:
    """The PDF without its metadata dates (the only bytes that may differ between renders)."""
    return re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", b"", pdf)


def docx_parts(content: bytes) -> dict[str, bytes]:
    """The Word file's parts, without docProps/core.xml (its creation and modification dates)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


def test_an_issued_report_renders_the_same_after_the_records_change(
    board_staff, data, django_capture_on_commit_callbacks
):
    report = draft(board_staff, district())
    board_staff.post(
        f"/reports/{report.pk}/edit/",
        {"strengths": "Các cấp ủy chủ động.", "seen": "0", "opening": "", "summary": "",
         "shortcomings": "", "tasks": "", "proposals": ""},
    )  # fmt: skip
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        board_staff.post(f"/reports/{report.pk}/issue/", issue_form(report))
    report = Report.objects.get(pk=report.pk)
    assert report.stage == ReportStage.ISSUED
    before = (report_html(report=report), report_render_pdf(report=report),
              report_render_docx(report=report))  # fmt: skip
    # A year later: more sessions and opinions recorded in the period, the plan renumbered, the
    # letterhead and the opinion's field changed.
    later = make_session(plan=data, host=unit("Dũng Nghĩa"), day="20/06/2019", status="held")
    make_opinion(session=later, content="Đề nghị sửa cầu Bắc")
    data.number = "56-KH/HU"
    data.save()
    Letterhead.objects.filter(unit=district()).update(parent_body="HUYỆN ỦY MỚI")
    # The change shows in a draft of the same period, so it would show if anything were computed.
    fresh = draft(board_staff, district())
    assert "20/06/2019" in board_staff.get(fresh.get_absolute_url()).text
    report = Report.objects.get(pk=report.pk)
    html, pdf, docx = (report_html(report=report), report_render_pdf(report=report),
                       report_render_docx(report=report))  # fmt: skip
    assert html == before[0]
    assert "20/06/2019" not in html and "55-KH/HU" in html and "HUYỆN ỦY VŨ THƯ" in html
    # The PDF carries no creation date of its own; nothing else may differ either.
    assert without_dates(pdf) == without_dates(before[1])
    assert docx_parts(docx) == docx_parts(before[2])
    # The page shows the same stored document.
    page = board_staff.get(report.get_absolute_url()).text
    assert "20/06/2019" not in page and "Các cấp ủy chủ động." in page


def test_the_stored_document_reads_back_as_it_was_built(data):
    from django.utils import translation

    from reports.document import ReportDocument, report_document

    report = Report(
        unit=district(), period_kind="quarter", year=2019, quarter=2, start=D(2019, 4, 1),
        end=D(2019, 6, 30), stage=ReportStage.ISSUED, number="12-BC/BDVHU", place="Vũ Thư",
        report_date=D(2019, 6, 30), signer_title="TRƯỞNG BAN", recipients="- Lưu.",
    )  # fmt: skip
    with translation.override("vi"):
        built = report_document(report=report, letterhead=letterhead_for(district()))
    import json

    stored = json.loads(json.dumps(built.as_data()))
    assert ReportDocument.from_data(stored) == built
    assert any(block.kind == "chart" and block.bars for block in built.blocks)


# --- signing conventions, letterheads ----------------------------------------------------------


@pytest.mark.parametrize(
    ("signing", "authority", "title", "lines"),
    [
        ("title", "", "Trưởng ban", ("TRƯỞNG BAN",)),
        ("tm", "Ban Thường vụ", "Bí thư", ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")),
        ("kt", "Trưởng ban", "Phó Trưởng ban", ("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN")),
        ("tl", "Ban Thường vụ", "Chánh Văn phòng", ("TL. BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG")),
        ("tuq", "Ban Thường vụ", "Chánh Văn phòng", ("TUQ. BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG")),
    ],
)
def test_the_signature_block_follows_the_partys_conventions(signing, authority, title, lines):
    assert signature_lines(signing, authority, title) == lines


def test_a_boards_report_is_signed_by_the_title_alone_by_default(board_staff, data):
    report = draft(board_staff, district())
    initial = board_staff.get(f"/reports/{report.pk}/issue/").context["form"].initial
    assert initial["signing"] == "title" and initial["signer_title"] == "TRƯỞNG BAN"
    page = board_staff.get(report.get_absolute_url()).text
    assert "T/M BAN DÂN VẬN" not in page


def test_a_communes_report_is_headed_signed_and_sent_as_its_party_committee(officer, data):
    report = draft(officer, unit("Dũng Nghĩa"))
    page = officer.get(report.get_absolute_url()).text
    for expected in ["ĐẢNG ỦY XÃ DŨNG NGHĨA", "T/M BAN THƯỜNG VỤ", "BÍ THƯ",
                     "Thường trực Tỉnh ủy (để báo cáo)", "Ban Nội chính Tỉnh ủy",
                     "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Số …-BC/ĐU"]:  # fmt: skip
        assert expected in page, expected
    assert "BAN DÂN VẬN" not in page and "Lưu Ban Dân vận" not in page
    form = officer.get(f"/reports/{report.pk}/issue/").context["form"]
    assert form.initial["signing"] == "tm" and form.initial["number"] == "01-BC/ĐU"


def test_board_staff_edit_their_units_letterhead(board_staff, leader, responder, data):
    response = board_staff.get("/reports/letterhead/")
    assert response["Location"] == f"/reports/letterhead/{district().pk}/"
    url = response["Location"]
    values = {
        "parent_body": "HUYỆN ỦY VŨ THƯ", "issuing_body": "BAN DÂN VẬN", "place": "Vũ Thư",
        "signing": "kt", "signer_authority": "TRƯỞNG BAN", "signer_title": "PHÓ TRƯỞNG BAN",
        "signer_name": "Nguyễn Văn Nam", "recipients": "- Thường trực Huyện ủy,\n- Lưu.",
    }  # fmt: skip
    assert leader.get(url).status_code == 403
    assert responder.get(url).status_code == 403
    assert board_staff.post(url, values).status_code == 302
    letterhead = Letterhead.objects.get(unit=district())
    assert (letterhead.signing, letterhead.signer_name) == ("kt", "Nguyễn Văn Nam")
    report = draft(board_staff, district())
    page = board_staff.get(report.get_absolute_url()).text
    assert "K/T TRƯỞNG BAN" in page and "PHÓ TRƯỞNG BAN" in page
    # T/M with no one to sign for is explained next to the field, the input kept.
    response = board_staff.post(url, {**values, "signing": "tm", "signer_authority": ""})
    assert response.status_code == 200
    assert "signer_authority" in response.context["form"].errors
    assert 'value="Nguyễn Văn Nam"' in response.text


def test_a_commune_officer_edits_their_communes_letterhead_only(officer, data):
    commune = unit("Dũng Nghĩa")
    page = officer.get(f"/reports/letterhead/{commune.pk}/")
    # It starts from what the commune's reports print today: its Party committee.
    assert page.context["form"].initial["issuing_body"] == "ĐẢNG ỦY XÃ DŨNG NGHĨA"
    values = {**page.context["form"].initial, "signer_name": "Trần Văn Bình"}
    assert officer.post(f"/reports/letterhead/{commune.pk}/", values).status_code == 302
    assert Letterhead.objects.get(unit=commune).signer_name == "Trần Văn Bình"
    assert officer.get(f"/reports/letterhead/{district().pk}/").status_code == 404
    assert officer.get(f"/reports/letterhead/{unit('Bách Thuận').pk}/").status_code == 404


def test_the_demo_gives_the_new_communes_and_hung_yens_board_their_letterheads(full_demo):
    from communes.models import AdministrativeUnit

    for code, body, signing in [("33801", "ĐẢNG ỦY XÃ VŨ THƯ", "tm"),
                                ("33803", "ĐẢNG ỦY XÃ TÂN THUẬN", "tm"),
                                ("33", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "title")]:  # fmt: skip
        letterhead = letterhead_for(AdministrativeUnit.objects.get(code=code))
        assert (letterhead.issuing_body, letterhead.signing) == (body, signing)
        if signing == "tm":
            assert "- Ban Nội chính Tỉnh ủy," in letterhead.recipient_lines
            assert letterhead.signer_name  # the commune's Party secretary


# --- empty sections, the signature kept with the last paragraph, fonts -------------------------


def test_a_period_without_sessions_says_so_in_one_sentence_without_zero_tables(board_staff, data):
    report = draft(board_staff, district(), quarter="1")  # nothing was held in Q1 2019
    page = board_staff.get(report.get_absolute_url())
    document = page.context["document"]
    assert not document.tables
    assert not [block for block in document.blocks if block.kind in ("chart", "dashes")]
    texts = [block.text for block in document.blocks]
    assert "Trong kỳ không có hội nghị nào được tổ chức." in texts
    assert "Trong kỳ, tại các hội nghị không có ý kiến, kiến nghị nào của Nhân dân." in texts
    docx = Document(io.BytesIO(board_staff.get(f"/reports/{report.pk}/download.docx").content))
    assert len(docx.tables) == 2  # the header and the closing only


def test_the_signature_is_kept_with_the_last_paragraph(board_staff, data):
    report = draft(board_staff, district())
    board_staff.post(
        f"/reports/{report.pk}/edit/",
        {"proposals": "Đề nghị Tỉnh ủy quan tâm.", "seen": "0", "opening": "", "summary": "",
         "strengths": "", "shortcomings": "", "tasks": ""},
    )  # fmt: skip
    report.refresh_from_db()
    html = report_html(report=report)
    ending = html[html.index('<div class="ending">') :]
    # The last paragraph and the closing (Nơi nhận, the signature) break together.
    assert ending.index("Đề nghị Tỉnh ủy quan tâm.") < ending.index("Nơi nhận")
    assert re.search(r"\.ending \{[^}]*break-inside: avoid", html)
    docx = Document(io.BytesIO(report_render_docx(report=report)))
    last = [p for p in docx.paragraphs if p.text.strip()][-1]
    assert last.text == "Đề nghị Tỉnh ủy quan tâm." and last.paragraph_format.keep_with_next
    closing = docx.tables[-1].rows[0]._tr
    assert (
        closing.trPr is not None
        and closing.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit"
        )
        is not None
    )


def test_the_draft_pdf_uses_only_the_shipped_fonts(board_staff, data):
    report = draft(board_staff, district())
    html = report_html(report=report)
    # Charts name the shipped family alone: no generic family that could resolve to another face.
    families = {unescape(f) for f in re.findall(r'font-family="([^"]*)"', html)}
    assert families == {f"'{FAMILY}'"}
    sources = re.findall(r"src: url\(\"([^\"]+)\"\)", html)
    assert sources and all("/reports/fonts/LiberationSerif-" in src for src in sources)
    reader = PdfReader(io.BytesIO(report_render_pdf(report=report)))
    assert only_the_shipped_serif(reader), fonts(reader)


def test_only_those_who_edit_see_the_draft_form(data):
    """An administrator reads every report, but issuing is for the unit's own staff."""
    from django.test import Client

    admin = User.objects.filter(role=Role.ADMINISTRATOR).first()
    client = Client()
    client.force_login(admin)
    staff = User.objects.get(username="bandanvan")
    report = Report.objects.create(
        unit=district(), period_kind="year", year=2019, start=D(2019, 1, 1),
        end=D(2019, 12, 31), requested_by=staff,
    )  # fmt: skip
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200 and page.context["narrative_form"] is None
    assert client.get(f"/reports/{report.pk}/issue/").status_code == 403
