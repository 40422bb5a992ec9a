"""The administrators' reorganisation page: preview first, apply only on confirmation."""

from django.core.files.uploadedfile import SimpleUploadedFile

from communes.models import AdministrativeUnit

from .reform import MAPPING, XA_VU_THU

PAGE = "/admin/communes/administrativeunit/reorganise/"


def upload(content: bytes, name="mapping.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_the_unit_list_of_the_admin_links_to_the_page(administrator):
    assert PAGE in administrator.get("/admin/communes/administrativeunit/").text


def test_administrators_preview_then_confirm_a_reorganisation(administrator):
    preview = administrator.post(PAGE, {
        "mapping": upload(MAPPING.read_bytes()), "decision": "1666/NQ-UBTVQH15",
        "effective_on": "01/07/2025",
    })  # fmt: skip
    assert preview.status_code == 200
    assert "Chuyển người dùng dungnghia từ Xã Dũng Nghĩa sang Xã Vũ Thư." in preview.text
    assert not AdministrativeUnit.objects.filter(code=XA_VU_THU).exists()  # nothing yet
    confirm = preview.context["confirm_form"]
    applied = administrator.post(PAGE, {
        "mapping_text": confirm.initial["mapping_text"], "agencies_text": "",
        "decision": "1666/NQ-UBTVQH15", "effective_on": "01/07/2025", "confirm": "1",
    })  # fmt: skip
    assert applied.status_code == 302
    assert AdministrativeUnit.objects.get(code=XA_VU_THU).is_active
    assert not AdministrativeUnit.objects.get(name="Dũng Nghĩa").is_active


def test_a_refused_mapping_lists_its_problems_and_keeps_the_input(administrator):
    bad = b"successor_code,successor,kind,parent_code,predecessor_code,predecessor,share\n" \
          b"33801,V\xc5\xa9 Th\xc6\xb0,commune,,99999,X,whole\n"  # fmt: skip
    page = administrator.post(PAGE, {
        "mapping": upload(bad), "decision": "1666/NQ-UBTVQH15", "effective_on": "01/07/2025",
    })  # fmt: skip
    assert page.status_code == 200
    assert "Dòng 2" in page.text and "99999" in page.text
    assert 'value="1666/NQ-UBTVQH15"' in page.text
    assert not AdministrativeUnit.objects.filter(code=XA_VU_THU).exists()


def test_a_file_that_is_not_utf8_or_a_bad_date_is_explained_not_a_500(administrator):
    page = administrator.post(PAGE, {
        "mapping": upload(b"\xff\xfe\x00garbage"), "decision": "x", "effective_on": "31/02/2025",
    })  # fmt: skip
    assert page.status_code == 200
    assert "UTF-8" in page.text and "dd/mm/yyyy" in page.text


def test_only_administrators_reach_the_page(board_staff, leader):
    for client in (board_staff, leader):
        assert client.get(PAGE).status_code == 302  # to the admin's login
