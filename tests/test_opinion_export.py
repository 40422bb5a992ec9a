import datetime
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.constants import ERROR
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from communes.models import Hamlet
from feedback.exports import HEADERS
from feedback.models import Opinion, OpinionStatus

from .factories import agency, district, field, make_opinion, make_plan, make_session, unit

XLSX_URL = reverse("feedback:opinion-export-xlsx")
LIST_URL = reverse("feedback:opinion-list")
# Columns by their English header, whatever the catalogue says in Vietnamese.
with translation.override("en"):
    COLUMN = {str(header): index for index, header in enumerate(HEADERS)}
# The export form's box ticked, with a purpose: the file carries the person's data.
WITH_PERSONAL = {"personal": "1", "purpose": "Trả lời bằng văn bản cho người nêu ý kiến"}


def column(name):
    return COLUMN[name]


def xlsx_rows(response):
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert len(header) == len(HEADERS)
    return rows


def exported_ids(response):
    """The exported opinions' ids, found from the codes the file names them by."""
    codes = {row[column("Opinion code")] for row in xlsx_rows(response)}
    assert None not in codes and "" not in codes
    return set(Opinion.objects.filter(code__in=codes).values_list("pk", flat=True))


def staff():
    return User.objects.get(username="bandanvan")


@pytest.fixture
def plan(demo):
    return make_plan()


@pytest.fixture
def sessions(plan):
    return {
        "district": make_session(
            plan=plan, host=district(), day="10/04/2019", topic="Đối thoại cấp huyện",
            attending=[unit("Dũng Nghĩa"), unit("Bách Thuận")],
        ),
        "dung_nghia": make_session(
            plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019", topic="Đất đai ở Dũng Nghĩa"
        ),
        "bach_thuan": make_session(plan=plan, host=unit("Bách Thuận"), day="20/06/2019"),
    }  # fmt: skip


@pytest.fixture
def opinions(sessions):
    return {
        "district_dn": make_opinion(
            session=sessions["district"], unit=unit("Dũng Nghĩa"), field_name="Giao thông",
            content="Đường liên xã xuống cấp", outcome="forwarded", agency=agency("KT&HT"),
            deadline=timezone.localdate() + datetime.timedelta(days=30),
        ),
        "dn_overdue": make_opinion(
            session=sessions["dung_nghia"], content="Cấp giấy chứng nhận quyền sử dụng đất chậm",
            outcome="forwarded", deadline=datetime.date(2019, 6, 28),
        ),
        "dn_answered": make_opinion(
            session=sessions["dung_nghia"], content="Hỏi về chế độ người có công",
            field_name="Chế độ chính sách", outcome="answered", session_answer="Đã có chế độ",
            answered_by="Ông Bí thư Đảng ủy",
        ),
        "bt_new": make_opinion(
            session=sessions["bach_thuan"], field_name="Môi trường", content="Rác thải ở kênh"
        ),
    }  # fmt: skip


# --- scope and roles ----------------------------------------------------------------------------


def test_board_staff_exports_every_opinion(board_staff, opinions):
    assert exported_ids(board_staff.get(XLSX_URL)) == {o.pk for o in opinions.values()}


def test_officer_exports_only_dung_nghias_opinions(officer, opinions):
    assert exported_ids(officer.get(XLSX_URL)) == {
        opinions[name].pk for name in ("district_dn", "dn_overdue", "dn_answered")
    }


def test_outsider_exports_none_of_dung_nghias_opinions(outsider, opinions):
    rows = xlsx_rows(outsider.get(XLSX_URL))
    assert {row[column("Opinion code")] for row in rows} == {opinions["bt_new"].code}
    assert all("Dũng Nghĩa" not in row[column("Residents of")] for row in rows)


def test_leader_exports_the_list(leader, opinions):
    assert len(xlsx_rows(leader.get(XLSX_URL))) == 4


def test_responder_is_refused(responder, opinions):
    assert responder.get(XLSX_URL).status_code == 403


def test_anonymous_visitor_is_sent_to_login(anonymous):
    response = anonymous.get(XLSX_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


# --- filters ------------------------------------------------------------------------------------


def test_export_holds_exactly_the_filtered_rows(board_staff, opinions):
    response = board_staff.get(XLSX_URL, {"status": OpinionStatus.FORWARDED})
    assert exported_ids(response) == {opinions["district_dn"].pk, opinions["dn_overdue"].pk}
    response = board_staff.get(XLSX_URL, {"overdue": "on"})
    assert exported_ids(response) == {opinions["dn_overdue"].pk}
    response = board_staff.get(XLSX_URL, {"unit": unit("Bách Thuận").pk})
    assert exported_ids(response) == {opinions["bt_new"].pk}
    response = board_staff.get(
        XLSX_URL, {"field": field("Chế độ chính sách").pk, "q": "nguoi co cong"}
    )
    assert exported_ids(response) == {opinions["dn_answered"].pk}
    response = board_staff.get(XLSX_URL, {"start": "01/05/2019", "end": "31/05/2019"})
    assert exported_ids(response) == {opinions["dn_overdue"].pk, opinions["dn_answered"].pk}


def test_export_matches_the_list_for_the_same_filter(board_staff, opinions):
    params = {"unit": unit("Dũng Nghĩa").pk, "agency": agency("TN&MT").pk}
    listed = {o.pk for o in board_staff.get(LIST_URL, params).context["page"]}
    assert exported_ids(board_staff.get(XLSX_URL, params)) == listed == {opinions["dn_overdue"].pk}


@pytest.mark.parametrize(
    "params",
    [{"start": "31/02/2019", "status": "new"}, {"session": "abc"}, {"q": "x" * 201}],
)
def test_invalid_filter_sends_the_user_back_to_the_list_with_a_message(
    board_staff, opinions, params
):
    response = board_staff.get(XLSX_URL, params)
    assert response.status_code == 302
    assert response["Location"].startswith(LIST_URL + "?")
    assert [m.level for m in get_messages(response.wsgi_request)] == [ERROR]


def test_the_list_link_keeps_what_the_user_typed(board_staff, demo):
    response = board_staff.get(XLSX_URL, {"start": "31/02/2019", "status": "new"})
    assert response["Location"] == f"{LIST_URL}?start=31%2F02%2F2019&status=new"


def test_officer_cannot_export_another_commune_by_naming_it(officer, opinions):
    response = officer.get(XLSX_URL, {"unit": unit("Bách Thuận").pk})
    assert response.status_code == 302
    assert response["Location"].startswith(LIST_URL)


def test_an_export_over_the_limit_is_refused_with_a_message(board_staff, opinions, monkeypatch):
    monkeypatch.setattr("feedback.views.lists.MAX_EXPORT_ROWS", 3)
    response = board_staff.get(XLSX_URL)
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert [m.level for m in get_messages(response.wsgi_request)] == [ERROR]
    assert board_staff.get(XLSX_URL, {"unit": unit("Dũng Nghĩa").pk}).status_code == 200


# --- what a row holds ---------------------------------------------------------------------------


def test_a_resolved_opinion_is_exported_in_full(board_staff, sessions):
    hamlet = Hamlet.objects.filter(commune=unit("Dũng Nghĩa")).order_by("name").first()
    opinion = make_opinion(
        session=sessions["dung_nghia"], content="Đề nghị cấp GCN quyền sử dụng đất",
        raised_by="Nguyễn Văn Đông", hamlet=hamlet, outcome="forwarded", kind="proposal",
        deadline=datetime.date(2019, 6, 28),
    )  # fmt: skip
    opinion.record_progress(note="Đã đo đạc lại thửa đất", by=staff())
    opinion.record_progress(note="Đang lấy ý kiến khu dân cư", by=staff())
    opinion.resolve(
        answer="Đã cấp giấy chứng nhận", document_number="125/UBND-TNMT",
        document_date=datetime.date(2019, 7, 2), by=staff(),
    )  # fmt: skip
    # The person's name only when asked for, with a purpose (tests/test_personal_data.py).
    (row,) = xlsx_rows(board_staff.get(XLSX_URL, WITH_PERSONAL))
    today = f"{timezone.localdate():%d/%m/%Y}"
    assert row[column("No.")] == 1
    assert row[column("Opinion code")] == opinion.code
    assert row[column("Session date")] == "15/05/2019"
    assert row[column("Session topic")] == "Đất đai ở Dũng Nghĩa"
    assert row[column("Host unit")] == "Xã Dũng Nghĩa"
    assert row[column("Residents of")] == "Xã Dũng Nghĩa"
    assert row[column("Hamlet")] == hamlet.name
    assert row[column("Raised by")] == "Nguyễn Văn Đông"
    assert row[column("Field")] == "Đất đai"
    assert row[column("Content")] == "Đề nghị cấp GCN quyền sử dụng đất"
    assert row[column("Responsible agency")] == "Phòng Tài nguyên và Môi trường huyện Vũ Thư"
    assert row[column("Forwarded on")] == today
    assert row[column("Deadline")] == "28/06/2019"
    assert row[column("Overdue")] == "Không"
    assert row[column("Latest note")] == "Đang lấy ý kiến khu dân cư"
    assert row[column("Latest note on")] == today
    assert row[column("Answer")] == "Đã cấp giấy chứng nhận"
    assert row[column("Answering document number")] == "125/UBND-TNMT"
    assert row[column("Answering document date")] == "02/07/2019"
    assert row[column("Closed on")] == today
    assert row[column("Link")] == f"http://testserver/opinions/{opinion.pk}/"
    assert row[column("Answer at the session")] is None  # an empty cell


def test_answered_overdue_duplicate_and_unresolvable_opinions(board_staff, opinions):
    original = opinions["dn_overdue"]
    duplicate = make_opinion(session=original.session, content="Cấp GCN chậm (nêu lại)")
    duplicate.mark_duplicate(of=original, by=staff())
    refused = make_opinion(session=original.session, content="Xin đất làm nhà", outcome="forwarded")
    refused.mark_unresolvable(reason="Không có quỹ đất", by=staff())
    rows = {row[column("Opinion code")]: row for row in xlsx_rows(board_staff.get(XLSX_URL))}
    answered = rows[opinions["dn_answered"].code]
    assert answered[column("Answer at the session")] == "Đã có chế độ"
    assert answered[column("Answered by")] == "Ông Bí thư Đảng ủy"
    assert rows[original.code][column("Overdue")] == "Có"
    assert rows[opinions["district_dn"].code][column("Overdue")] == "Không"
    assert rows[duplicate.code][column("Duplicate of")] == original.code
    assert rows[refused.code][column("Why it cannot be resolved")] == "Không có quỹ đất"
    # The reason has its own column; it is not repeated as a note.
    assert rows[refused.code][column("Latest note")] is None


def test_rows_are_numbered_from_the_earliest_session(board_staff, opinions):
    rows = xlsx_rows(board_staff.get(XLSX_URL))
    assert [row[column("No.")] for row in rows] == [1, 2, 3, 4]
    assert [row[column("Session date")] for row in rows] == [
        "10/04/2019", "15/05/2019", "15/05/2019", "20/06/2019"
    ]  # fmt: skip


@pytest.mark.parametrize(
    "content", ['=HYPERLINK("http://example.invalid","Bấm vào")', "+1+2", "-3+4", "@SUM(A1)"]
)
def test_a_formula_typed_as_content_is_exported_as_text(board_staff, sessions, content):
    make_opinion(session=sessions["dung_nghia"], content=content, raised_by="=1+1")
    response = board_staff.get(XLSX_URL, WITH_PERSONAL)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=column("Content") + 1)
    assert cell.data_type == "s"
    assert cell.value == "'" + content
    assert sheet.cell(row=2, column=column("Raised by") + 1).value == "'=1+1"


def test_file_is_named_and_typed_for_download(board_staff, opinions):
    response = board_staff.get(XLSX_URL)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    day = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="y-kien-nhan-dan-{day:%Y-%m-%d}.xlsx"'
    )


def test_export_takes_the_same_number_of_queries_however_many_opinions(
    board_staff, sessions, django_assert_max_num_queries
):
    hamlets = list(Hamlet.objects.filter(commune=unit("Dũng Nghĩa")))
    filters = {"unit": district().pk, "session": sessions["dung_nghia"].pk, "start": "01/01/2019"}
    for batch in (5, 55):
        for number in range(batch):
            opinion = make_opinion(
                session=sessions["dung_nghia"], content=f"Ý kiến {number}",
                hamlet=hamlets[number % len(hamlets)],
                outcome=("pending", "answered", "forwarded")[number % 3],
            )  # fmt: skip
            if opinion.status == OpinionStatus.FORWARDED:
                opinion.record_progress(note=f"Tiến độ {number}", by=staff())
        # Session and user; the filter's unit and session; the count; the rows with their notes.
        with django_assert_max_num_queries(8):
            response = board_staff.get(XLSX_URL, filters)
        assert len(xlsx_rows(response)) == (5 if batch == 5 else 60)
