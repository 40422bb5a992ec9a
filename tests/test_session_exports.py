import csv
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.constants import ERROR
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from communes.models import OfficeHolder
from dialogues.exports import HEADERS
from dialogues.models import SessionStatus

from .factories import district, make_plan, make_session, unit

XLSX_URL = reverse("dialogues:session-export-xlsx")
CSV_URL = reverse("dialogues:session-export-csv")
LIST_URL = reverse("dialogues:session-list")
# Looked up by the English header, whatever the Vietnamese catalogue says.
with translation.override("en"):
    COLUMN = {str(header): index for index, header in enumerate(HEADERS)}


def column(name):
    return COLUMN[name]


def xlsx_rows(response):
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert len(header) == len(HEADERS)
    return rows


def csv_rows(response):
    assert response.status_code == 200, response.status_code
    assert response.content.startswith("\ufeff".encode())
    header, *rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    assert len(header) == len(HEADERS)
    return rows


def topics(rows):
    return sorted(row[column("Topic")] for row in rows)


@pytest.fixture
def plan(demo):
    return make_plan()


@pytest.fixture
def sessions(plan):
    """One district-level session and one session in each of two communes."""
    return {
        "district": make_session(
            plan=plan, host=district(), day="10/04/2019", topic="Đối thoại cấp huyện",
            attending=[unit("Dũng Nghĩa"), unit("Bách Thuận"), unit("Hòa Bình")],
        ),
        "dung_nghia": make_session(
            plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019", topic="Đất đai ở Dũng Nghĩa",
            invited_organisations="Ủy ban MTTQ, Hội Nông dân",
        ),
        "bach_thuan": make_session(
            plan=plan, host=unit("Bách Thuận"), day="20/06/2019", topic="Môi trường Bách Thuận",
            status=SessionStatus.CANCELLED,
        ),
    }  # fmt: skip


def test_board_staff_exports_every_session_of_vu_thu(board_staff, sessions):
    rows = xlsx_rows(board_staff.get(XLSX_URL))
    assert topics(rows) == sorted(s.topic for s in sessions.values())


def test_commune_officer_exports_only_their_communes_sessions(officer, sessions):
    rows = xlsx_rows(officer.get(XLSX_URL))
    assert topics(rows) == ["Đất đai ở Dũng Nghĩa"]


def test_outsider_exports_none_of_dung_nghias_sessions(outsider, sessions):
    for rows in (xlsx_rows(outsider.get(XLSX_URL)), csv_rows(outsider.get(CSV_URL))):
        assert topics(rows) == ["Môi trường Bách Thuận"]
        assert all("Dũng Nghĩa" not in row[column("Host unit")] for row in rows)


def test_status_filter_narrows_the_export(board_staff, sessions):
    rows = xlsx_rows(board_staff.get(XLSX_URL, {"status": SessionStatus.CANCELLED}))
    assert topics(rows) == ["Môi trường Bách Thuận"]


def test_unit_filter_keeps_the_units_sessions(board_staff, sessions):
    rows = xlsx_rows(board_staff.get(XLSX_URL, {"unit": unit("Dũng Nghĩa").pk}))
    assert topics(rows) == ["Đất đai ở Dũng Nghĩa"]


def test_period_filter_keeps_sessions_starting_within_it(board_staff, sessions):
    rows = csv_rows(board_staff.get(CSV_URL, {"start": "01/05/2019", "end": "31/05/2019"}))
    assert topics(rows) == ["Đất đai ở Dũng Nghĩa"]


def test_export_row_shows_the_session_in_full(board_staff, sessions):
    session = sessions["dung_nghia"]
    session.notice_date = session.start_date.replace(day=5)
    session.save()
    chairs = OfficeHolder.objects.filter(unit=unit("Dũng Nghĩa"), position__is_head=True)
    (row,) = xlsx_rows(board_staff.get(XLSX_URL, {"unit": unit("Dũng Nghĩa").pk}))
    assert row[column("No.")] == 1
    assert row[column("Date")] == "15/05/2019"
    assert (row[column("Start time")], row[column("End time")]) == ("08:00", "11:00")
    assert row[column("Host unit")].endswith("Dũng Nghĩa")
    assert row[column("Venue")] == "Hội trường UBND Dũng Nghĩa"
    assert row[column("Invited organisations")] == "Ủy ban MTTQ, Hội Nông dân"
    assert row[column("Residents notified on")] == "05/05/2019"
    assert row[column("Plan")] == session.plan.number
    assert row[column("Session ID")] == session.pk
    assert row[column("Link")] == f"http://testserver/sessions/{session.pk}/"
    for chair in chairs:
        assert f"{chair.person.full_name} ({chair.position.name})" in row[column("Chaired by")]
    assert row[column("Chaired by")].count("; ") == chairs.count() - 1


def test_attending_units_are_listed_together(board_staff, sessions):
    rows = xlsx_rows(board_staff.get(XLSX_URL, {"level": "district"}))
    (row,) = rows
    residents = row[column("Residents of")].split(", ")
    assert [name.split(" ", 1)[1] for name in residents] == ["Bách Thuận", "Dũng Nghĩa", "Hòa Bình"]


def test_held_session_shows_attendance_and_who_logged_it(board_staff, plan):
    make_session(
        plan=plan, host=unit("Dũng Nghĩa"), status=SessionStatus.HELD, attendance_residents=152,
        attendance_cadres=17, logged_by=User.objects.get(username="dungnghia"),
    )  # fmt: skip
    (row,) = xlsx_rows(board_staff.get(XLSX_URL))
    assert (row[column("Residents attending")], row[column("Cadres attending")]) == (152, 17)
    assert row[column("Logged by")] == "Cán bộ xã Dũng Nghĩa"


def test_dates_and_times_are_in_vietnam_time(board_staff, plan):
    # 06:00 in Vũ Thư is 23:00 of the day before in UTC.
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019", hours=(6, 7))
    (row,) = csv_rows(board_staff.get(CSV_URL))
    assert (row[column("Date")], row[column("Start time")]) == ("15/05/2019", "06:00")


def test_sessions_are_numbered_from_the_earliest(board_staff, sessions):
    rows = xlsx_rows(board_staff.get(XLSX_URL))
    assert [row[column("No.")] for row in rows] == [1, 2, 3]
    assert [row[column("Date")] for row in rows] == ["10/04/2019", "15/05/2019", "20/06/2019"]


def test_csv_keeps_vietnamese_diacritics(board_staff, sessions):
    rows = csv_rows(board_staff.get(CSV_URL))
    assert "Đất đai ở Dũng Nghĩa" in topics(rows)
    row = next(row for row in rows if row[column("Topic")] == "Đất đai ở Dũng Nghĩa")
    assert row[column("Invited organisations")] == "Ủy ban MTTQ, Hội Nông dân"


@pytest.mark.parametrize(
    "topic", ['=HYPERLINK("http://example.invalid","Bấm vào")', "+1+2", "-3+4", "@SUM(A1)"]
)
def test_a_formula_typed_as_topic_is_exported_as_text(board_staff, plan, topic):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), topic=topic)
    response = board_staff.get(XLSX_URL)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=column("Topic") + 1)
    assert cell.data_type == "s"
    assert cell.value == "'" + topic
    (row,) = csv_rows(board_staff.get(CSV_URL))
    assert row[column("Topic")] == "'" + topic


def test_files_are_named_and_typed_for_download(board_staff, sessions):
    response = board_staff.get(XLSX_URL)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="hoi-nghi-tiep-xuc-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    response = board_staff.get(CSV_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')


@pytest.mark.parametrize("url", [XLSX_URL, CSV_URL])
def test_invalid_filter_sends_the_user_back_to_the_list_with_a_message(board_staff, demo, url):
    response = board_staff.get(url, {"start": "31/02/2019", "status": "held"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}?start=31%2F02%2F2019&status=held"
    levels = [message.level for message in get_messages(response.wsgi_request)]
    assert levels == [ERROR]


def test_officer_cannot_export_another_commune_by_naming_it(officer, sessions):
    response = officer.get(XLSX_URL, {"unit": unit("Bách Thuận").pk})
    assert response.status_code == 302
    assert response["Location"].startswith(LIST_URL)


def test_an_export_over_the_limit_is_refused_with_a_message(board_staff, sessions, monkeypatch):
    monkeypatch.setattr("dialogues.views.exports.MAX_EXPORT_ROWS", 2)
    response = board_staff.get(XLSX_URL)
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert [m.level for m in get_messages(response.wsgi_request)] == [ERROR]
    assert board_staff.get(XLSX_URL, {"level": "commune"}).status_code == 200


def test_leader_exports_the_list(leader, sessions):
    assert len(xlsx_rows(leader.get(XLSX_URL))) == 3


@pytest.mark.parametrize("url", [XLSX_URL, CSV_URL])
def test_responder_is_refused(responder, url):
    assert responder.get(url).status_code == 403


@pytest.mark.parametrize("url", [XLSX_URL, CSV_URL])
def test_anonymous_visitor_is_sent_to_login(anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", [XLSX_URL, CSV_URL])
def test_export_takes_the_same_number_of_queries_however_many_sessions(
    board_staff, plan, url, django_assert_max_num_queries
):
    communes = [unit(name) for name in ("Dũng Nghĩa", "Bách Thuận", "Hòa Bình", "Song An")]
    logger = User.objects.get(username="bandanvan")
    filters = {"unit": district().pk, "plan": plan.pk, "start": "01/01/2019"}
    for batch in (3, 40):
        for number in range(batch):
            make_session(
                plan=plan, host=communes[number % 4], attending=communes[:2],
                day=f"{number % 28 + 1:02d}/03/2019", status=SessionStatus.HELD,
                logged_by=logger, attendance_residents=100 + number,
            )  # fmt: skip
        # Session and user, the filter's unit and plan, the count, the rows and four prefetches.
        with django_assert_max_num_queries(10):
            response = board_staff.get(url, filters)
        assert response.status_code == 200
