import html
import re

import pytest
from django.core.exceptions import ValidationError

from dialogues.documents import parse_document_number
from dialogues.models import Document, Plan

from .factories import district, document_type


def field_error(response, field_id) -> str:
    """The error text crispy-forms shows under a field, or "" when there is none."""
    pattern = rf'<(?:p|span) id="error_\d+_{field_id}"><strong>(.*?)</strong>'
    found = re.findall(pattern, response.text, re.DOTALL)
    return html.unescape(" ".join(found))


def plan_data(**overrides):
    return {
        "number": "55-KH/HU",
        "title": "Kế hoạch tiếp xúc, đối thoại trực tiếp giữa người đứng đầu cấp ủy với Nhân dân",
        "issuing_body": "Ban Thường vụ Huyện ủy",
        "issued_on": "26/09/2018",
        "period_start": "01/10/2018",
        "period_end": "31/12/2019",
        "unit": district().pk,
        "text": "",
        **overrides,
    }


@pytest.mark.parametrize(
    ("value", "type_code", "issuer"),
    [
        ("55-KH/HU", "KH", "HU"),
        ("830-CV/HU", "CV", "HU"),
        ("07-QC/TU", "QC", "TU"),
        ("217-QĐ/TW", "QĐ", "TW"),
        ("12-BC/BDVHU", "BC", "BDVHU"),
        ("5-QĐi/TU", "QĐi", "TU"),
        ("3-CTr/ĐU", "CTr", "ĐU"),
    ],
)
def test_party_document_numbers_are_read_as_number_type_and_issuer(db, value, type_code, issuer):
    parsed = parse_document_number(value)
    assert (parsed.number, parsed.type_code, parsed.issuer) == (
        value.split("-")[0],
        type_code,
        issuer,
    )
    assert str(parsed) == value


@pytest.mark.parametrize("value", ["55/KH-HU", "KH-55/HU", "", "55-KH/", "55-KH/hu"])
def test_malformed_numbers_are_refused(db, value):
    with pytest.raises(ValidationError) as error:
        parse_document_number(value)
    assert error.value.code == "malformed"


def test_an_unknown_type_is_refused_with_the_list_of_known_types(db):
    with pytest.raises(ValidationError) as error:
        parse_document_number("55-XX/HU")
    assert error.value.code == "unknown_type"
    message = error.value.messages[0]
    assert "XX" in message
    for code in ("KH", "CV", "QC", "QĐ", "QĐi", "CTr"):
        assert code in message


@pytest.mark.parametrize("value", ["55/KH-HU", "KH-55/HU", "55-KH/", "55-KH/hu"])
def test_plan_form_shows_a_malformed_number_next_to_the_field_and_keeps_it(board_staff, value):
    response = board_staff.post("/plans/new/", plan_data(number=value))
    assert response.status_code == 200
    assert value in field_error(response, "id_number")
    assert f'value="{value}"' in response.text
    # The rest of what was typed is kept too.
    assert 'value="Ban Thường vụ Huyện ủy"' in response.text
    assert not Plan.objects.exists()


def test_plan_form_lists_the_known_types_when_the_type_is_unknown(board_staff):
    response = board_staff.post("/plans/new/", plan_data(number="55-XX/HU"))
    error = field_error(response, "id_number")
    assert "XX" in error
    assert "KH" in error
    assert "CTr" in error
    assert 'value="55-XX/HU"' in response.text
    assert not Plan.objects.exists()


def test_plan_form_requires_a_number(board_staff):
    response = board_staff.post("/plans/new/", plan_data(number=""))
    assert response.status_code == 200
    assert field_error(response, "id_number")
    assert not Plan.objects.exists()


def test_plan_form_accepts_every_valid_number(board_staff):
    for day, number in enumerate(["55-KH/HU", "217-QĐ/TW", "3-CTr/ĐU", "5-QĐi/TU"], start=1):
        response = board_staff.post(
            "/plans/new/", plan_data(number=number, issued_on=f"{day:02}/09/2018")
        )
        assert response.status_code == 302, field_error(response, "id_number")
    assert set(Plan.objects.values_list("number", flat=True)) == {
        "55-KH/HU",
        "217-QĐ/TW",
        "3-CTr/ĐU",
        "5-QĐi/TU",
    }


def test_document_type_is_taken_from_the_number(board_staff):
    response = board_staff.post(
        "/documents/new/",
        {
            "number": "830-CV/HU",
            "issued_on": "03/04/2019",
            "issuer": "Ban Thường vụ Huyện ủy",
            "title": "Về việc xây dựng kế hoạch tiếp xúc, đối thoại năm 2019",
            "unit": district().pk,
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.doc_type == document_type("CV")


def test_document_form_refuses_an_unknown_type_and_keeps_the_input(board_staff):
    response = board_staff.post(
        "/documents/new/",
        {
            "number": "830-ZZ/HU",
            "issued_on": "03/04/2019",
            "issuer": "Ban Thường vụ Huyện ủy",
            "title": "Công văn thử",
            "unit": district().pk,
        },
    )
    assert response.status_code == 200
    assert "ZZ" in field_error(response, "id_number")
    assert 'value="830-ZZ/HU"' in response.text
    assert not Document.objects.exists()


def test_numbers_of_todays_bodies_are_accepted(db):
    from dialogues.documents import parse_document_number

    assert parse_document_number("14-KH/ĐU").issuer == "ĐU"
    assert parse_document_number("13-HD/BTGDVTU").issuer == "BTGDVTU"


def test_the_plan_form_suggests_the_next_free_number_of_the_term(board_staff):
    from .factories import make_plan

    # The district's plans: 2019's belongs to the 2015–2020 term; this term starts again at 01.
    make_plan(number="55-KH/HU", start="01/01/2019", end="31/12/2019")
    page = board_staff.get("/plans/new/")
    assert 'value="01-KH/HU"' in page.text
    make_plan(number="07-KH/HU", start="01/08/2025", end="31/12/2025")
    make_plan(number="3-KH/HU", start="01/09/2025", end="31/12/2025")
    make_plan(number="20-KH/TU", start="01/09/2025", end="31/12/2025")  # another body
    page = board_staff.get("/plans/new/")
    assert 'value="08-KH/HU"' in page.text and "08-KH/HU" in page.text


def number_help(client) -> str:
    """The help text under the number of a new document."""
    page = client.get("/documents/new/").text
    found = re.search(r'id="id_number_helptext"[^>]*>(.*?)</', page, re.DOTALL)
    return html.unescape(found[1]) if found else ""


def _document(number, day, unit_):
    return Document.objects.create(
        number=number,
        doc_type=document_type(number.split("-")[1].split("/")[0]),
        issued_on=day,
        issuer="Ban Thường vụ",
        title="Văn bản thử",
        unit=unit_,
    )


def test_the_document_form_suggests_the_next_free_numbers_of_the_term(board_staff):
    import datetime

    from .factories import make_plan, unit

    # 2019's numbers belong to the 2015–2020 term; the term of today starts again at 01.
    _document("830-CV/HU", datetime.date(2019, 4, 3), district())
    assert "831" not in number_help(board_staff) and "–" in number_help(board_staff)
    _document("07-CV/HU", datetime.date(2025, 8, 4), district())
    _document("12-HD/HU", datetime.date(2025, 9, 1), district())
    _document("40-CV/ĐU", datetime.date(2025, 9, 1), unit("Bách Thuận"))  # another body
    make_plan(number="05-KH/HU", start="01/09/2025", end="31/12/2025")
    _document("03-HD/BDVHU", datetime.date(2025, 9, 5), district())  # the district's board
    assert "04-HD/BDVHU, 08-CV/HU, 13-HD/HU, 06-KH/HU;" in number_help(board_staff)
    assert "41-CV" not in number_help(board_staff)


def test_the_document_form_refuses_a_number_already_given_in_the_term_and_names_the_next(
    board_staff,
):
    import datetime

    _document("07-CV/HU", datetime.date(2025, 8, 4), district())
    data = {
        "number": "7-CV/HU",
        "issued_on": "02/10/2025",
        "issuer": "Ban Thường vụ Huyện ủy",
        "title": "Công văn thử",
        "unit": district().pk,
    }
    response = board_staff.post("/documents/new/", data)
    assert response.status_code == 200
    error = html.unescape(field_error(response, "id_number"))
    assert "7-CV/HU" in error and "08-CV/HU" in error
    assert 'value="7-CV/HU"' in response.text
    # The same number in the term before is another document; so is the next free one.
    for number, day in (("7-CV/HU", "02/10/2024"), ("08-CV/HU", "02/10/2025")):
        response = board_staff.post("/documents/new/", {**data, "number": number, "issued_on": day})
        assert response.status_code == 302, field_error(response, "id_number")
    # Editing a document keeps its own number.
    document = Document.objects.get(number="08-CV/HU")
    response = board_staff.post(f"/documents/{document.pk}/edit/", {**data, "number": "08-CV/HU"})
    assert response.status_code == 302
