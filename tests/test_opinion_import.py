import datetime
import io
import re
import signal
import tracemalloc
import zipfile
from contextlib import contextmanager

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communes.models import Agency, Hamlet
from dialogues.models import SessionStatus
from feedback.imports import COLUMNS, MAX_BYTES, MAX_ROWS, kind_labels, outcome_labels
from feedback.models import Field, Opinion, OpinionKind, OpinionStatus

from .factories import agency, district, make_plan, make_session, unit

TEMPLATE_URL = reverse("feedback:opinion-import-template")
HEADERS = [column.header for column in COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def session(demo):
    """A held session of Dũng Nghĩa on 15/05/2019."""
    return make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)


@pytest.fixture
def hamlet(session):
    return Hamlet.objects.filter(commune=unit("Dũng Nghĩa")).order_by("name").first()


def import_url(session):
    return reverse("feedback:opinion-import", args=[session.pk])


def template_for(client, session):
    response = client.get(TEMPLATE_URL, {"session": session.pk})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def choices(workbook, header):
    """The values of a drop-down list of the template, read from where its validation points."""
    sheet = workbook["Ý kiến"]
    column = openpyxl.utils.get_column_letter(HEADERS.index(header) + 1)
    for validation in sheet.data_validations.dataValidation:
        if str(validation.sqref).startswith(f"{column}2:"):
            sheet_name, cells = validation.formula1.lstrip("=").split("!")
            source = workbook[sheet_name.strip("'")]
            return [row[0].value for row in source[cells.replace("$", "")]]
    return None


def labels(workbook):
    """Kind and outcome labels as the template offers them, by their stored value."""
    return {
        "kind": dict(zip(OpinionKind.values, choices(workbook, "Loại"), strict=True)),
        "outcome": dict(
            zip(["pending", "answered", "forwarded"], choices(workbook, "Kết quả"), strict=True)
        ),
    }


def fill(workbook, rows):
    """Opinions under the template's header, one dict per row keyed by header; None: empty row."""
    sheet = workbook["Ý kiến"]
    header = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([None] * len(header) if row is None else [row.get(h) for h in header])
    return workbook


def workbook_with(header, rows):
    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    return workbook


def as_upload(content, name="y-kien-hoi-nghi.xlsx"):
    if isinstance(content, openpyxl.Workbook):
        output = io.BytesIO()
        content.save(output)
        content = output.getvalue()
    return SimpleUploadedFile(name, content, content_type=XLSX)


def upload(client, session, content, name="y-kien-hoi-nghi.xlsx"):
    return client.post(import_url(session), {"file": as_upload(content, name)})


def row_errors(response):
    assert response.status_code == 200
    return {(error.row, error.column) for error in response.context["errors"]}


def file_error_codes(response):
    assert response.status_code == 200
    return [error.code for error in response.context["form"].errors.as_data()["file"]]


# --- importing a valid file ---------------------------------------------------------------------


def test_a_valid_file_made_from_the_template_creates_every_opinion_with_its_outcome(
    officer, session, hamlet
):
    book = template_for(officer, session)
    say = labels(book)
    land_office = agency("TN&MT")
    police = Agency.objects.get(name="Công an huyện Vũ Thư")
    fill(book, [
        {"Lĩnh vực": "Đất đai", "Loại": say["kind"]["proposal"],
         "Nội dung": "Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho 12 hộ",
         "Người phản ánh": "Trần Văn Thử", "Thôn/tổ dân phố": hamlet.name,
         "Kết quả": say["outcome"]["pending"], "Số điện thoại": "0912 345 678",
         "Địa chỉ": "Số 4, thôn Đông"},
        None,  # an empty row between opinions is skipped
        {"Lĩnh vực": "Giao thông", "Nội dung": "Đường trục thôn xuống cấp",
         "Kết quả": say["outcome"]["answered"],
         "Nội dung trả lời tại hội nghị": "Xã sẽ sửa trong quý III",
         "Người trả lời": "Chủ tịch UBND xã"},
        {"Lĩnh vực": "Môi trường", "Loại": say["kind"]["report"],
         "Nội dung": "Rác thải ven sông chưa được thu gom",
         "Kết quả": say["outcome"]["forwarded"], "Cơ quan được chuyển": land_office.name,
         "Hạn trả lời (dd/mm/yyyy)": datetime.datetime(2019, 6, 30)},
        {"Lĩnh vực": "An ninh trật tự", "Nội dung": "Trộm cắp vặt tăng",
         "Kết quả": "Chuyển cơ quan chức năng", "Cơ quan được chuyển": police.short_name,
         "Hạn trả lời (dd/mm/yyyy)": "15/07/2019"},
    ])  # fmt: skip

    response = upload(officer, session, book)

    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:session-opinions", args=[session.pk])
    opinions = {o.content: o for o in Opinion.objects.filter(session=session)}
    assert len(opinions) == 4
    pending = opinions["Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho 12 hộ"]
    assert (pending.status, pending.kind, pending.field.name) == ("new", "proposal", "Đất đai")
    assert (pending.raised_by, pending.hamlet, pending.unit) == (
        "Trần Văn Thử", hamlet, unit("Dũng Nghĩa"),
    )  # fmt: skip
    assert (pending.phone, pending.address) == ("0912 345 678", "Số 4, thôn Đông")
    answered = opinions["Đường trục thôn xuống cấp"]
    assert answered.status == OpinionStatus.ANSWERED
    assert (answered.session_answer, answered.answered_by) == (
        "Xã sẽ sửa trong quý III", "Chủ tịch UBND xã",
    )  # fmt: skip
    assert answered.kind == OpinionKind.OPINION  # the kind left empty
    forwarded = opinions["Rác thải ven sông chưa được thu gom"]
    assert (forwarded.status, forwarded.agency, forwarded.deadline) == (
        OpinionStatus.FORWARDED, land_office, datetime.date(2019, 6, 30),
    )  # fmt: skip
    by_short_name = opinions["Trộm cắp vặt tăng"]
    assert (by_short_name.agency, by_short_name.deadline) == (police, datetime.date(2019, 7, 15))
    assert all(o.created_by.username == "dungnghia" for o in opinions.values())
    assert forwarded.events.filter(kind="forwarded").exists()


def test_an_empty_outcome_follows_what_the_row_holds(officer, session):
    book = fill(template_for(officer, session), [
        {"Lĩnh vực": "Đất đai", "Nội dung": "Chuyển cho phòng", "Cơ quan được chuyển": "TN&MT"},
        {"Lĩnh vực": "Đất đai", "Nội dung": "Đã trả lời",
         "Nội dung trả lời tại hội nghị": "Đã giải thích quy định"},
        {"Lĩnh vực": "Đất đai", "Nội dung": "Chưa xử lý"},
    ])  # fmt: skip

    assert upload(officer, session, book).status_code == 302

    statuses = dict(Opinion.objects.values_list("content", "status"))
    assert statuses == {
        "Chuyển cho phòng": "forwarded", "Đã trả lời": "answered", "Chưa xử lý": "new",
    }  # fmt: skip
    # No deadline typed: counted in working days from the session.
    assert Opinion.objects.get(content="Chuyển cho phòng").deadline > datetime.date(2019, 5, 15)


def test_headers_without_diacritics_in_any_order_with_extra_columns_are_accepted(officer, session):
    book = workbook_with(
        ["STT", "NOI DUNG", "linh vuc", "Ket qua", "Co quan duoc chuyen", "Han tra loi"],
        [[1, "Đề nghị nạo vét kênh", "moi truong", "chuyen co quan chuc nang", "TN&MT",
          "20/06/2019"]],
    )  # fmt: skip

    response = upload(officer, session, book)

    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.content, opinion.field.name, opinion.deadline) == (
        "Đề nghị nạo vét kênh", "Môi trường", datetime.date(2019, 6, 20),
    )  # fmt: skip


def test_a_title_above_the_header_keeps_excel_row_numbers_in_errors(officer, session):
    book = workbook_with(["Ý kiến hội nghị tháng 5"], [[], ["Lĩnh vực", "Nội dung"],
                                                       ["Đất đai", ""]])  # fmt: skip

    assert row_errors(upload(officer, session, book)) == {(4, "Nội dung")}


def test_board_staff_import_into_a_communes_session(board_staff, session):
    book = workbook_with(["Lĩnh vực", "Nội dung"], [["Đất đai", "Ý kiến từ huyện"]])

    assert upload(board_staff, session, book).status_code == 302
    assert Opinion.objects.get().created_by.username == "bandanvan"


# --- a file with errors saves nothing -----------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "column"),
    [
        ({"Lĩnh vực": "Thủy lợi nội đồng"}, "Lĩnh vực"),
        ({"Kết quả": "Chuyển cơ quan chức năng"}, "Cơ quan được chuyển"),
        ({"Kết quả": "Chuyển cơ quan chức năng", "Cơ quan được chuyển": "TN&MT",
          "Hạn trả lời (dd/mm/yyyy)": "31/02/2019"}, "Hạn trả lời (dd/mm/yyyy)"),
        ({"Kết quả": "Chuyển cơ quan chức năng", "Cơ quan được chuyển": "TN&MT",
          "Hạn trả lời (dd/mm/yyyy)": "01/05/2019"}, "Hạn trả lời (dd/mm/yyyy)"),
        ({"Kết quả": "Trả lời tại hội nghị"}, "Nội dung trả lời tại hội nghị"),
        ({"Thôn/tổ dân phố": "Thôn Không Có"}, "Thôn/tổ dân phố"),
        ({"Cơ quan được chuyển": "Sở Ngoại vụ"}, "Cơ quan được chuyển"),
        ({"Loại": "Khiếu nại"}, "Loại"),
        ({"Kết quả": "Để sau"}, "Kết quả"),
        ({"Nội dung": ""}, "Nội dung"),
    ],
    ids=["unknown field", "forwarded without agency", "malformed date", "deadline before session",
         "answered without answer", "unknown hamlet", "unknown agency", "unknown kind",
         "unknown outcome", "no content"],
)  # fmt: skip
def test_one_bad_row_saves_nothing_and_names_its_row_and_column(officer, session, bad, column):
    good = {"Lĩnh vực": "Đất đai", "Nội dung": "Một ý kiến hợp lệ"}
    book = fill(template_for(officer, session), [good, {**good, **bad}, good])

    response = upload(officer, session, book, name="hoi-nghi-thang-5.xlsx")

    assert row_errors(response) == {(3, column)}
    assert response.context["error_count"] == 1
    assert response.context["file_name"] == "hoi-nghi-thang-5.xlsx"
    assert "hoi-nghi-thang-5.xlsx" in response.content.decode()
    assert not Opinion.objects.exists()


def test_every_bad_row_is_listed_with_the_count(officer, session):
    book = fill(template_for(officer, session), [
        {"Lĩnh vực": "Không rõ", "Nội dung": "Một"},
        {"Lĩnh vực": "Đất đai", "Nội dung": "Hai"},
        {"Lĩnh vực": "", "Nội dung": "", "Người phản ánh": "Chỉ có tên"},
    ])  # fmt: skip

    response = upload(officer, session, book)

    assert row_errors(response) == {(2, "Lĩnh vực"), (4, "Lĩnh vực"), (4, "Nội dung")}
    assert (response.context["error_count"], response.context["rows_with_errors"]) == (3, 2)
    assert not Opinion.objects.exists()


def test_a_hamlet_name_shared_by_two_attending_communes_must_name_its_commune(officer, demo):
    dung_nghia, hoa_binh = unit("Dũng Nghĩa"), unit("Hòa Bình")
    Hamlet.objects.get_or_create(commune=dung_nghia, name="Thôn Chung")
    Hamlet.objects.get_or_create(commune=hoa_binh, name="Thôn Chung")
    session = make_session(
        plan=make_plan(), host=dung_nghia, attending=[dung_nghia, hoa_binh],
        status=SessionStatus.HELD,
    )  # fmt: skip
    rows = [["Đất đai", "Mơ hồ", "Thôn Chung"], ["Đất đai", "Rõ", "thon chung (hoa binh)"]]

    response = upload(officer, session, workbook_with(["Lĩnh vực", "Nội dung", "Thôn"], rows))

    assert row_errors(response) == {(2, "Thôn")}
    rows.pop(0)
    response = upload(officer, session, workbook_with(["Lĩnh vực", "Nội dung", "Thôn"], rows))
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.hamlet.commune, opinion.unit) == (hoa_binh, hoa_binh)


def test_an_inactive_field_is_not_accepted(officer, session):
    Field.objects.filter(name="Khác").update(is_active=False)
    book = workbook_with(["Lĩnh vực", "Nội dung"], [["Khác", "Ý kiến khác"]])

    assert row_errors(upload(officer, session, book)) == {(2, "Lĩnh vực")}


# --- files that are not what they should be ---------------------------------------------------


def test_a_missing_required_column_is_named_and_nothing_is_read(officer, session):
    book = workbook_with(["Lĩnh vực", "Người phản ánh"], [["Đất đai", "Trần Văn Thử"]])

    response = upload(officer, session, book)

    assert file_error_codes(response) == ["missing_columns"]
    assert "Nội dung" in response.context["form"].errors["file"][0]
    assert not Opinion.objects.exists()


def test_two_columns_for_the_same_thing_get_a_message(officer, session):
    book = workbook_with(["Lĩnh vực", "Nội dung", "Noi dung"], [["Đất đai", "Một", "Hai"]])

    assert file_error_codes(upload(officer, session, book)) == ["duplicate_column"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("Lĩnh vực;Nội dung\nĐất đai;Đề nghị\n".encode(), "not_excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old_excel"),
        (b"PK\x03\x04 truncated", "not_excel"),
    ],
    ids=["text file named xlsx", "old xls", "broken zip"],
)
def test_a_file_that_is_not_an_xlsx_gets_a_message_not_an_error_page(
    officer, session, content, code
):
    response = upload(officer, session, content)

    assert file_error_codes(response) == [code]
    assert not Opinion.objects.exists()


def _zip(files):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        for name, text in files.items():
            package.writestr(name, text)
    return output.getvalue()


def test_a_zip_that_is_not_a_workbook_gets_a_message(officer, session):
    response = upload(officer, session, _zip({"readme.txt": "xin chào"}))

    assert file_error_codes(response) == ["not_excel"]


def test_a_damaged_workbook_gets_a_message(officer, session):
    damaged = _zip({"[Content_Types].xml": "<Types", "xl/workbook.xml": "not xml"})

    assert file_error_codes(upload(officer, session, damaged)) == ["unreadable"]


def test_an_empty_file_gets_a_message(officer, session):
    response = upload(officer, session, b"")

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Opinion.objects.exists()


def test_a_file_with_only_headers_gets_a_message(officer, session):
    book = fill(template_for(officer, session), [None, None])

    assert file_error_codes(upload(officer, session, book)) == ["empty"]


def test_a_file_without_a_header_row_gets_a_message(officer, session):
    book = workbook_with(["Đất đai", "Đề nghị"], [["Môi trường", "Ô nhiễm"]])

    assert file_error_codes(upload(officer, session, book)) == ["no_header"]


def test_a_file_over_5_mb_gets_a_message(officer, session):
    response = upload(officer, session, b"PK\x03\x04" + b"0" * MAX_BYTES)

    assert file_error_codes(response) == ["too_large"]


def test_a_file_over_1000_rows_gets_a_message(officer, session):
    rows = [["Đất đai", f"Ý kiến {n}"] for n in range(MAX_ROWS + 1)]

    response = upload(officer, session, workbook_with(["Lĩnh vực", "Nội dung"], rows))

    assert file_error_codes(response) == ["too_many_rows"]
    assert not Opinion.objects.exists()


@pytest.mark.parametrize("count", [20, 120])
def test_checking_a_file_takes_the_same_few_queries_however_many_rows(
    officer, session, hamlet, django_assert_max_num_queries, count
):
    """Fields, hamlets and agencies are loaded once per file, not looked up cell by cell."""
    rows = [["Đất đai", f"Ý kiến {n}", hamlet.name, "TN&MT", "Không rõ"] for n in range(count)]
    book = workbook_with(["Lĩnh vực", "Nội dung", "Thôn", "Cơ quan", "Kết quả"], rows)

    with django_assert_max_num_queries(8):
        response = upload(officer, session, book)

    assert response.context["error_count"] == count  # every row checked, none saved
    assert not Opinion.objects.exists()


# --- which sessions and who -------------------------------------------------------------------


@pytest.mark.parametrize("status", [SessionStatus.PLANNED, SessionStatus.CANCELLED])
def test_a_session_not_held_refuses_the_import(officer, demo, status):
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), status=status)
    book = workbook_with(["Lĩnh vực", "Nội dung"], [["Đất đai", "Sớm quá"]])

    response = upload(officer, session, book)

    assert response.status_code == 302
    assert response["Location"] == import_url(session)
    assert not Opinion.objects.exists()
    page = officer.get(import_url(session))
    assert page.status_code == 200
    assert page.context["held"] is False
    assert 'type="file"' not in page.content.decode()


def test_the_import_page_offers_the_form_and_the_sessions_template(officer, session):
    response = officer.get(import_url(session))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file"' in page
    assert f"{TEMPLATE_URL}?session={session.pk}" in page


def test_outsider_gets_404_on_another_communes_session(outsider, session):
    book = workbook_with(["Lĩnh vực", "Nội dung"], [["Đất đai", "Không được"]])

    assert outsider.get(import_url(session)).status_code == 404
    assert upload(outsider, session, book).status_code == 404
    assert outsider.get(TEMPLATE_URL, {"session": session.pk}).status_code == 404
    assert not Opinion.objects.exists()


def test_leader_is_refused_the_import(leader, session):
    book = workbook_with(["Lĩnh vực", "Nội dung"], [["Đất đai", "Không được"]])

    assert upload(leader, session, book).status_code == 403
    assert leader.get(import_url(session)).status_code == 403
    assert not Opinion.objects.exists()


def test_agency_responder_is_refused_the_import_and_the_template(responder, session):
    book = workbook_with(["Lĩnh vực", "Nội dung"], [["Đất đai", "Không được"]])

    assert responder.get(import_url(session)).status_code == 403
    assert upload(responder, session, book).status_code == 403
    assert responder.get(TEMPLATE_URL).status_code == 403


# --- the template -------------------------------------------------------------------------------


def test_the_template_downloads_as_an_xlsx_attachment(officer, demo):
    response = officer.get(TEMPLATE_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-y-kien.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["Ý kiến", "Hướng dẫn"]
    data = workbook["Ý kiến"]
    assert [cell.value for cell in data[1]] == HEADERS
    assert data.max_row == 1  # the examples are on the instructions sheet only
    assert data.column_dimensions["C"].width > data.column_dimensions["B"].width
    # The person's phone and address come after the columns older templates had.
    assert HEADERS[-3:] == ["Hạn trả lời (dd/mm/yyyy)", "Số điện thoại", "Địa chỉ"]


def test_the_templates_drop_downs_hold_the_active_lists(officer, session):
    Field.objects.filter(name="Khác").update(is_active=False)

    book = template_for(officer, session)

    assert choices(book, "Lĩnh vực") == list(
        Field.objects.filter(is_active=True).values_list("name", flat=True)
    )
    assert "Khác" not in choices(book, "Lĩnh vực")
    assert choices(book, "Loại") == kind_labels()
    assert choices(book, "Kết quả") == outcome_labels()
    assert agency("TN&MT").name in choices(book, "Cơ quan được chuyển")
    assert set(choices(book, "Thôn/tổ dân phố")) == set(
        Hamlet.objects.filter(commune=unit("Dũng Nghĩa")).values_list("name", flat=True)
    )
    stops = {
        str(v.sqref).split(":")[0]: v.errorStyle
        for v in book["Ý kiến"].data_validations.dataValidation
    }
    assert stops["A2"] == stops["B2"] == stops["F2"] == "stop"


def test_the_template_writes_a_name_that_looks_like_a_formula_as_text(officer, session, hamlet):
    formula = '=HYPERLINK("http://example.com/?"&A1,"Bấm vào đây")'
    Agency.objects.create(name=formula, unit=district())
    Hamlet.objects.filter(pk=hamlet.pk).update(name="+1 Thôn Đông")

    book = template_for(officer, session)

    cells = [cell for row in book["Danh mục"].iter_rows() for cell in row if cell.value]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'" + formula in choices(book, "Cơ quan được chuyển")
    assert "'+1 Thôn Đông" in choices(book, "Thôn/tổ dân phố")
    # Chosen from the drop-downs, the names import as the agency and the hamlet they are.
    labels_ = labels(book)
    fill(book, [{"Lĩnh vực": "Đất đai", "Nội dung": "Ý kiến", "Thôn/tổ dân phố": "'+1 Thôn Đông",
                 "Kết quả": labels_["outcome"]["forwarded"],
                 "Cơ quan được chuyển": "'" + formula}])  # fmt: skip
    assert upload(officer, session, book).status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.agency.name, opinion.hamlet_id) == (formula, hamlet.pk)


def test_the_instructions_sheet_describes_two_examples_under_the_headers(officer, session):
    sheet = template_for(officer, session)["Hướng dẫn"]

    rows = list(sheet.iter_rows(values_only=True))
    header_at = rows.index(tuple(HEADERS))
    examples = rows[header_at + 1 :]
    assert len(examples) == 2
    assert all(example[HEADERS.index("Nội dung")] for example in examples)
    # The instructions and the examples are in Vietnamese, not the English source strings.
    assert rows[0][0] == "Hướng dẫn điền tệp ý kiến"
    text = " ".join(str(value) for row in rows for value in row if value)
    assert "Đường qua thôn bị hư hỏng nặng." in text
    assert "choose" not in text and "the session" not in text


def test_the_template_filled_in_as_its_instructions_show_imports(officer, session):
    """The instructions' examples are valid rows: copied to the data sheet, they import."""
    book = template_for(officer, session)
    rows = list(book["Hướng dẫn"].iter_rows(values_only=True))
    examples = rows[rows.index(tuple(HEADERS)) + 1 :]
    for example in examples:
        book["Ý kiến"].append(list(example))

    assert upload(officer, session, book).status_code == 302
    assert sorted(Opinion.objects.values_list("status", flat=True)) == ["answered", "forwarded"]


def test_a_template_without_a_session_offers_the_agencies_of_the_users_units(officer, demo):
    response = officer.get(TEMPLATE_URL, {"session": "abc"})

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert agency("TN&MT").name in choices(book, "Cơ quan được chuyển")
    assert choices(book, "Thôn/tổ dân phố") is None


# --- files that claim more than they hold --------------------------------------------------------


def _with_sheet_xml(book, edit) -> bytes:
    """The workbook saved, with its data sheet's XML changed by `edit` (openpyxl writes no row
    past 1,048,576 and no such file, but anyone can zip one)."""
    saved = io.BytesIO()
    book.save(saved)
    output = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            target.writestr(info, data)
    return output.getvalue()


class TookTooLong(BaseException):
    """Not an Exception: the import's own `except Exception` must not turn it into a message."""


@contextmanager
def at_most(seconds):
    """Fails the test, instead of hanging it, when the block runs longer than `seconds`."""

    def expire(_signum, _frame):
        raise TookTooLong(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_row_numbered_a_trillion_is_read_as_the_one_row_it_is(officer, session):
    """A 2 KB file with a row numbered 1,000,000,000,000 once walked every row number up to it."""
    book = workbook_with(["Lĩnh vực", "Nội dung"], [["Đất đai", "Ý kiến thật"]])
    far = (
        '<row r="1000000000000"><c r="A1000000000000" t="inlineStr"><is><t>Đất đai</t></is></c>'
        '<c r="B1000000000000" t="inlineStr"><is><t>Ý kiến xa</t></is></c></row></sheetData>'
    )
    content = _with_sheet_xml(book, lambda xml: xml.replace("</sheetData>", far))
    assert len(content) < 5000

    with at_most(10):
        response = upload(officer, session, content)

    assert response.status_code == 302
    assert sorted(Opinion.objects.values_list("content", flat=True)) == ["Ý kiến thật", "Ý kiến xa"]


def test_a_cell_in_the_last_column_does_not_widen_every_row(officer, session):
    from feedback.imports import _read_rows

    rows = [["Đất đai", f"Ý kiến {n}"] for n in range(MAX_ROWS)]
    book = workbook_with(["Lĩnh vực", "Nội dung"], rows)
    last = '<c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>'
    content = _with_sheet_xml(
        book,
        lambda xml: re.sub(
            r'(<row r="(\d+)"[^>]*>.*?)</row>', lambda m: m[1] + last.format(n=m[2]), xml
        ),
    )

    # Reading alone: once 16,384 values a row, 16 million (130 MB) for a file of 40 KB.
    tracemalloc.start()
    try:
        header, read = _read_rows(as_upload(content))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert header[1][:2] == ["Lĩnh vực", "Nội dung"]
    assert len(read) == MAX_ROWS
    assert peak < 20 * 1024 * 1024, peak

    assert upload(officer, session, content).status_code == 302
    assert Opinion.objects.count() == MAX_ROWS


def test_reading_a_file_stops_at_its_time_limit(officer, session, settings, monkeypatch):
    from feedback import imports

    clock = iter(range(0, 10_000, 5))
    monkeypatch.setattr(imports.time, "monotonic", lambda: next(clock))
    rows = [["Đất đai", f"Ý kiến {n}"] for n in range(10)]

    response = upload(officer, session, workbook_with(["Lĩnh vực", "Nội dung"], rows))

    assert file_error_codes(response) == ["too_slow"]
    assert not Opinion.objects.exists()


def test_a_wrong_phone_is_an_error_of_its_row_and_column(officer, session):
    book = workbook_with(
        ["Lĩnh vực", "Nội dung", "SĐT"],
        [["Đất đai", "Cấp giấy chứng nhận", "0912 345 678"], ["Đất đai", "Đo lại thửa", "số 9"]],
    )
    response = upload(officer, session, book)
    assert row_errors(response) == {(3, "SĐT")}
    assert not Opinion.objects.filter(session=session).exists()


def test_a_file_of_blank_rows_stops_at_the_cells_it_holds(officer, session):
    """Empty rows are skipped, but every row the file holds counts against the limit."""
    blank = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t> </t></is></c></row>'
        for n in range(3, 60_003)
    )
    book = workbook_with(["Lĩnh vực", "Nội dung"], [["Đất đai", "Ý kiến"]])
    content = _with_sheet_xml(book, lambda xml: xml.replace("</sheetData>", blank + "</sheetData>"))

    with at_most(10):
        response = upload(officer, session, content)

    assert file_error_codes(response) == ["too_many_rows"]
