"""The report as a Word file: the PDF's header and tables, and what LibreOffice makes of it."""

import datetime
import io
import shutil
import subprocess
import unicodedata

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from docx import Document
from docx.shared import Mm, Pt

from reports.document import report_document
from reports.docx import FONT, report_render_docx
from reports.models import PeriodKind, Report, ReportStage, ReportStatus
from reports.pdf import letterhead_for, report_html

from .factories import district, make_plan, make_session, unit
from .test_report_pdf import A4, read, report_of

pytestmark = pytest.mark.django_db

D = datetime.date
HEADER = ["HUYỆN ỦY VŨ THƯ", "BAN DÂN VẬN", "Số 12-BC/BDVHU", "ĐẢNG CỘNG SẢN VIỆT NAM",
          "Vũ Thư, ngày 30 tháng 6 năm 2019"]  # fmt: skip
ASSESSMENT = "Các cấp ủy đã chủ động tổ chức hội nghị."


def nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def docx_text(document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return nfc(" ".join(parts))


def in_order(wanted: list[str], words: list[str]) -> bool:
    """The words wanted appear among the words, in this order, others maybe in between."""
    remaining = iter(words)
    return all(any(word == found for found in remaining) for word in wanted)


@pytest.fixture(scope="module")
def first_half_2019(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's report for the first half of 2019 as DOCX, as the PDF's HTML, and as LibreOffice
    converts the DOCX to PDF; made once for the module, the demo rolled back after."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        report = report_of(
            district(), kind=PeriodKind.SIX_MONTHS, year=2019, start=D(2019, 1, 1),
            end=D(2019, 6, 30), report_date=D(2019, 6, 30), strengths=ASSESSMENT,
        )  # fmt: skip
        content = report_render_docx(report=report)
        html = report_html(report=report)
        with translation.override("vi"):
            model = report_document(report=report, letterhead=letterhead_for(report.unit))
        transaction.set_rollback(True)
    folder = tmp_path_factory.mktemp("docx")
    (folder / "report.docx").write_bytes(content)
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: apt-get install libreoffice-writer-nogui"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(folder / "report.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    reader, converted = read((folder / "report.pdf").read_bytes())
    return Document(io.BytesIO(content)), html, model, reader, converted


def test_docx_has_the_party_header_the_title_and_the_closing(first_half_2019):
    document, _, model, _, _ = first_half_2019
    issuer, motto = document.tables[0].rows[0].cells
    assert [p.text for p in issuer.paragraphs] == [
        "HUYỆN ỦY VŨ THƯ", "BAN DÂN VẬN", "*", "Số 12-BC/BDVHU"
    ]  # fmt: skip
    national, date_line = motto.paragraphs
    assert national.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert national.runs[0].bold and national.runs[0].underline
    assert date_line.text == "Vũ Thư, ngày 30 tháng 6 năm 2019" and date_line.runs[0].italic
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "BÁO CÁO" in texts and model.subject in texts
    assert "6 tháng đầu năm 2019" in model.subject
    recipients, signature = document.tables[-1].rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert "Lưu Ban Dân vận" in recipients.text
    # A board's report signed by its head: the title alone, no T/M (that is for collective bodies).
    assert "TRƯỞNG BAN" in signature.text and "Phạm Thị Minh Hằng" in signature.text
    assert "T/M" not in signature.text


def test_docx_has_the_pdfs_tables_with_the_same_cells(first_half_2019):
    document, html, model, _, _ = first_half_2019
    # The header, the closing and every data table, as many as the PDF prints.
    assert len(document.tables) == html.count("<table") == len(model.tables) + 2
    assert len(model.tables) == 5  # sessions, by field, by status, overdue, comparison
    for table, expected in zip(document.tables[1:-1], model.tables, strict=True):
        assert [cell.text for cell in table.rows[0].cells] == [c.title for c in expected.columns]
        assert [cell.text for cell in table.rows[1].cells] == list(expected.rows[0])
        assert len(table.rows) == 1 + len(expected.rows) + (1 if expected.total else 0)
    sessions = document.tables[1]
    assert [cell.text for cell in sessions.rows[0].cells][:3] == ["STT", "Ngày", "Đơn vị tổ chức"]
    assert sessions.rows[-1].cells[0].text == "Tổng cộng"


def test_docx_is_a4_with_the_pdfs_margins_in_times_14pt(first_half_2019):
    document, _, _, _, _ = first_half_2019
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    margins = [section.top_margin, section.right_margin, section.bottom_margin,
               section.left_margin]  # fmt: skip
    assert all(abs(m - Mm(e)) < Mm(0.1) for m, e in zip(margins, [20, 15, 20, 30], strict=True))
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == (FONT, Pt(14)) == ("Times New Roman", Pt(14))


def test_docx_keeps_the_figures_and_the_vietnamese_letters(first_half_2019):
    document, _, model, _, _ = first_half_2019
    text = docx_text(document)
    figures = model.figures
    assert "25/30 xã, thị trấn" in text
    for row in figures.sessions:
        assert row.starts_at.strftime("%d/%m/%Y") in text
    for row in figures.overdue:
        assert row.code in text
    assert ASSESSMENT in text
    assert "I. KẾT QUẢ TỔ CHỨC HỘI NGHỊ" in text and "III. ĐÁNH GIÁ CHUNG" in text


def test_libreoffice_converts_the_docx_with_its_header_and_tables(first_half_2019):
    _, _, model, reader, converted = first_half_2019
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert abs(width - A4[0]) < 0.5 and abs(height - A4[1]) < 0.5
    first_page = nfc(reader.pages[0].extract_text())
    for expected in [*HEADER, "BÁO CÁO"]:
        assert expected in first_page, expected
    # Every cell of every table reaches the PDF, its words in order (a cell wraps in its column,
    # and the text of a row is read across the row, its cells' lines interleaved).
    words = converted.split()
    for table in model.tables:
        for cell in [c.title for c in table.columns] + [c for row in table.rows for c in row]:
            assert in_order(nfc(cell).split(), words), cell
    assert ASSESSMENT in converted and "Nơi nhận" in converted


@pytest.fixture
def ready_report(demo):
    make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="15/05/2019", status="held")
    return Report.objects.create(
        unit=district(), period_kind="quarter", year=2019, quarter=2, start=D(2019, 4, 1),
        end=D(2019, 6, 30), number="12-BC/BDVHU", place="Vũ Thư", report_date=D(2019, 6, 30),
        signer_title="TRƯỞNG BAN", signer_name="", recipients="- Lưu.",
        stage=ReportStage.ISSUED, status=ReportStatus.READY,
    )  # fmt: skip


def test_the_ready_reports_page_offers_the_word_file(board_staff, ready_report):
    page = board_staff.get(f"/reports/{ready_report.pk}/").content.decode()
    assert "Tải bản Word (.docx)" in page
    assert f"/reports/{ready_report.pk}/download.docx" in page
    response = board_staff.get(f"/reports/{ready_report.pk}/download.docx")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert 'filename="bao-cao-12-BC-BDVHU-20190401.docx"' in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    assert "Số 12-BC/BDVHU" in document.tables[0].rows[0].cells[0].text
    assert "15/05/2019" in docx_text(document)


def test_a_draft_has_a_word_file_at_once(board_staff, ready_report):
    """The Word file is made on request: a draft's too, marked DỰ THẢO and without a number."""
    ready_report.stage, ready_report.number = ReportStage.DRAFT, ""
    ready_report.status = ReportStatus.IDLE
    ready_report.save()
    page = board_staff.get(f"/reports/{ready_report.pk}/").content.decode()
    assert "Dự thảo (Word .docx)" in page
    response = board_staff.get(f"/reports/{ready_report.pk}/download.docx")
    document = Document(io.BytesIO(response.content))
    assert "DỰ THẢO" in [p.text for p in document.paragraphs]
    assert "12-BC/BDVHU" not in document.tables[0].rows[0].cells[0].text


def test_render_report_writes_a_docx_on_request(demo, tmp_path):
    from reports.demo import load

    load()
    output = tmp_path / "report.docx"
    call_command(
        "render_report", "--unit", "344", "--year", "2019", "--quarter", "2",
        "--format", "docx", "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip
    header = Document(output).tables[0].rows[0].cells
    # Without --number: the draft, with a blank for the number.
    assert "HUYỆN ỦY VŨ THƯ" in header[0].text and "…-BC/BDVHU" in header[0].text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header[1].text
