"""The notice board's PDFs carry a QR code that leads to the public page: read back from the
printed page (drawn as an image by pdftoppm, decoded by zbarimg), not from our own data."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from accounts.models import User
from dialogues.models import SessionStatus
from public.services import session_announce, session_publish_results
from reports.pdf import session_notice_pdf, session_results_pdf

from .factories import make_opinion, make_plan, make_session, unit

needs_tools = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="poppler-utils and zbar-tools (debian-packages.txt, test) are not installed",
)


def qr_codes(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", path,
                    tmp_path / "page"], check=True)  # fmt: skip
    image = next(tmp_path.glob("page*.png"))
    found = subprocess.run(["zbarimg", "--quiet", "--raw", image], capture_output=True,
                           text=True, check=False)  # fmt: skip
    return found.stdout.split()


def text_of(pdf: bytes) -> str:
    pages = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(pages.split())  # lines wrap inside the table's cells


@pytest.fixture
def by(demo):
    return User.objects.get(username="dungnghia")


@needs_tools
def test_the_announced_notice_has_a_qr_code_to_its_public_page(by, tmp_path, settings, client):
    settings.SITE_URL = "https://doithoai.example.vn"
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"))
    assert qr_codes(session_notice_pdf(session=session), tmp_path) == []  # not public yet
    session_announce(session=session, by=by)
    session.refresh_from_db()
    codes = qr_codes(session_notice_pdf(session=session), tmp_path)
    path = f"/cong-khai/{unit('Dũng Nghĩa').code}/{session.publication.public_id}/"
    assert codes == [f"https://doithoai.example.vn{path}"]
    assert client.get(path).status_code == 200


@needs_tools
def test_the_notice_of_results_lists_what_was_published_with_a_qr_code(by, tmp_path, settings):
    settings.SITE_URL = "https://doithoai.example.vn"
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)
    road = make_opinion(session=session, content="Ông Lê Văn Tám đề nghị làm đường",
                        raised_by="Lê Văn Tám", outcome="forwarded")  # fmt: skip
    make_opinion(session=session, content="Khiếu nại chưa công khai")
    session_publish_results(session=session, texts={road: "Đề nghị làm đường thôn"}, by=by)
    session.refresh_from_db()
    pdf = session_results_pdf(session=session)
    text = text_of(pdf)
    assert "THÔNG BÁO" in text and "Kết quả hội nghị đối thoại" in text
    assert "Đề nghị làm đường thôn" in text
    assert road.agency.name in text
    assert "Lê Văn Tám" not in text and "chưa công khai" not in text
    path = f"/cong-khai/{unit('Dũng Nghĩa').code}/{session.publication.public_id}/"
    assert qr_codes(pdf, tmp_path) == [f"https://doithoai.example.vn{path}"]


def test_staff_download_the_notice_of_results(officer, by):
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)
    session_publish_results(session=session, texts={}, by=by)
    response = officer.get(f"/reports/sessions/{session.pk}/results.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Chưa công khai kết quả nào" in text_of(response.content)
