import datetime
import html
import re

import pytest
from django.contrib.messages import WARNING
from django.http import QueryDict
from django.utils import timezone

from dialogues.models import SessionStatus

from .factories import district, make_plan, make_session, unit

URL = "/sessions/calendar/"


@pytest.fixture
def plan(demo):
    return make_plan()


def day_sessions(response, day: datetime.date):
    """The sessions shown in the grid cell of `day`."""
    for week in response.context["weeks"]:
        for cell in week:
            if cell.date == day and cell.in_month:
                return cell.sessions
    raise AssertionError(f"{day} is not in the month shown")


def links(response):
    return [html.unescape(href) for href in re.findall(r'href="([^"]*)"', response.text)]


def test_a_session_appears_on_its_day_with_time_unit_topic_and_a_link(officer, plan):
    session = make_session(
        plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019", hours=(14, 16),
        topic="Đối thoại về đất đai và môi trường",
    )  # fmt: skip

    response = officer.get(URL, {"month": "2019-05"})

    assert response.status_code == 200
    assert session in day_sessions(response, datetime.date(2019, 5, 15))
    assert "14:00" in response.text
    assert "Xã Dũng Nghĩa" in response.text
    assert "Đối thoại về đất đai và môi trường" in response.text
    assert session.get_absolute_url() in links(response)


def test_a_session_early_in_the_morning_stays_on_its_vietnamese_day(officer, plan):
    # 06:00 on 01/05 in Vietnam is 23:00 on 30/04 in UTC.
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), day="01/05/2019", hours=(6, 9))
    assert session.starts_at.astimezone(datetime.UTC).day == 30

    may = officer.get(URL, {"month": "2019-05"})
    april = officer.get(URL, {"month": "2019-04"})

    assert session in day_sessions(may, datetime.date(2019, 5, 1))
    assert "06:00" in may.text
    assert session.topic not in april.text


def test_a_session_late_on_the_last_evening_of_the_month_stays_in_that_month(officer, plan):
    session = make_session(
        plan=plan, host=unit("Dũng Nghĩa"), day="31/05/2019", hours=(19, 21),
        topic="Đối thoại buổi tối",
    )  # fmt: skip

    may = officer.get(URL, {"month": "2019-05"})
    assert session in day_sessions(may, datetime.date(2019, 5, 31))
    assert "Đối thoại buổi tối" not in officer.get(URL, {"month": "2019-06"}).text


def test_weeks_run_from_monday_to_sunday(officer, plan):
    response = officer.get(URL, {"month": "2019-05"})

    weeks = response.context["weeks"]
    assert all(len(week) == 7 for week in weeks)
    assert all(week[0].date.weekday() == 0 for week in weeks)
    # 01/05/2019 was a Wednesday: the first row starts on Monday 29/04.
    assert weeks[0][0].date == datetime.date(2019, 4, 29)
    assert "Chủ nhật" in response.text


def test_status_filter_keeps_only_matching_sessions(board_staff, plan):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="10/05/2019", topic="Đã tổ chức",
                 status=SessionStatus.HELD)  # fmt: skip
    make_session(plan=plan, host=unit("Hòa Bình"), day="20/05/2019", topic="Sắp tổ chức")

    response = board_staff.get(URL, {"month": "2019-05", "status": "held"})

    assert "Đã tổ chức" in response.text
    assert "Sắp tổ chức" not in response.text


def test_unit_filter_keeps_the_units_sessions(board_staff, plan):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="10/05/2019", topic="Ở Dũng Nghĩa")
    make_session(plan=plan, host=unit("Hòa Bình"), day="10/05/2019", topic="Ở Hòa Bình")

    response = board_staff.get(URL, {"month": "2019-05", "unit": unit("Hòa Bình").pk})

    assert "Ở Hòa Bình" in response.text
    assert "Ở Dũng Nghĩa" not in response.text


def test_plan_filter_keeps_the_plans_sessions(board_staff, plan):
    other_plan = make_plan(title="Kế hoạch khác")
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="10/05/2019", topic="Theo kế hoạch 1")
    make_session(
        plan=other_plan, host=unit("Dũng Nghĩa"), day="11/05/2019", topic="Theo kế hoạch 2"
    )

    response = board_staff.get(URL, {"month": "2019-05", "plan": other_plan.pk})

    assert "Theo kế hoạch 2" in response.text
    assert "Theo kế hoạch 1" not in response.text


def test_level_filter_keeps_district_level_sessions(board_staff, plan):
    make_session(plan=plan, host=district(), day="10/05/2019", topic="Huyện đối thoại")
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="10/05/2019", topic="Xã đối thoại")

    response = board_staff.get(URL, {"month": "2019-05", "level": "district"})

    assert "Huyện đối thoại" in response.text
    assert "Xã đối thoại" not in response.text


def test_previous_and_next_month_links_keep_the_filters(board_staff, plan):
    response = board_staff.get(URL, {"month": "2019-12", "status": "held"})

    queries = [QueryDict(href[1:]).dict() for href in links(response) if href.startswith("?")]
    assert {"month": "2019-11", "status": "held"} in queries
    assert {"month": "2020-01", "status": "held"} in queries


def test_opened_from_the_filtered_list_it_shows_the_month_the_range_starts_in(board_staff, plan):
    response = board_staff.get(
        URL, {"start": "10/05/2019", "end": "20/06/2019", "level": "commune"}
    )

    assert response.context["month"] == datetime.date(2019, 5, 1)
    queries = [QueryDict(href[1:]).dict() for href in links(response) if href.startswith("?")]
    # Back to this month, and on to June, without the list's date range getting in the way.
    assert {"level": "commune"} in queries
    assert {"level": "commune", "month": "2019-06"} in queries


def test_the_link_back_to_the_list_covers_the_month_with_the_same_filters(board_staff, plan):
    response = board_staff.get(URL, {"month": "2019-02", "status": "held"})

    [to_list] = [href for href in links(response) if href.startswith("/sessions/?")]
    query = QueryDict(to_list.removeprefix("/sessions/?"))
    assert query.dict() == {"status": "held", "start": "01/02/2019", "end": "28/02/2019"}


def test_without_a_month_the_current_month_is_shown_with_today_marked(officer, plan):
    today = timezone.localdate()

    response = officer.get(URL)

    assert response.context["month"] == today.replace(day=1)
    marked = [cell.date for week in response.context["weeks"] for cell in week if cell.is_today]
    assert marked == [today]
    assert 'aria-current="date"' in response.text


@pytest.mark.parametrize("month", ["abc", "2019-13", "2019-00", "0000-01", "99999-01", "2019/05"])
def test_an_invalid_month_shows_the_current_month_with_a_message(officer, plan, month):
    response = officer.get(URL, {"month": month})

    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)
    assert [m.level for m in response.context["messages"]] == [WARNING]


def test_an_invalid_filter_value_is_ignored_not_a_crash(officer, plan):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="10/05/2019", topic="Vẫn hiện")

    response = officer.get(URL, {"month": "2019-05", "unit": "x", "status": "nope"})

    assert response.status_code == 200
    assert "Vẫn hiện" in response.text


def test_outsider_does_not_see_another_communes_sessions(outsider, plan):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="10/05/2019", topic="Riêng Dũng Nghĩa")
    make_session(plan=plan, host=unit("Bách Thuận"), day="12/05/2019", topic="Của Bách Thuận")

    response = outsider.get(URL, {"month": "2019-05"})

    assert response.status_code == 200
    assert "Riêng Dũng Nghĩa" not in response.text
    assert "Của Bách Thuận" in response.text


def test_outsider_cannot_pick_another_commune_in_the_unit_filter(outsider, plan):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="10/05/2019", topic="Riêng Dũng Nghĩa")

    response = outsider.get(URL, {"month": "2019-05", "unit": unit("Dũng Nghĩa").pk})

    assert response.status_code == 200
    assert "Riêng Dũng Nghĩa" not in response.text


def test_agency_responder_is_refused(responder):
    assert responder.get(URL).status_code == 403


def test_leader_reads_the_calendar(leader, plan):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="10/05/2019", topic="Lãnh đạo xem")

    response = leader.get(URL, {"month": "2019-05"})

    assert response.status_code == 200
    assert "Lãnh đạo xem" in response.text


def test_a_cancelled_session_stays_on_the_calendar_struck_through(officer, plan):
    cancelled = make_session(plan=plan, host=unit("Dũng Nghĩa"), day="10/05/2019",
                             topic="Hội nghị bị hủy", status=SessionStatus.CANCELLED,
                             cancel_reason="Mưa bão")  # fmt: skip

    response = officer.get(URL, {"month": "2019-05"})

    assert cancelled in day_sessions(response, datetime.date(2019, 5, 10))
    assert re.search(r'text-decoration-line-through[^"]*">Hội nghị bị hủy<', response.text)


def test_the_calendar_takes_a_bounded_number_of_queries(
    board_staff, plan, django_assert_max_num_queries
):
    communes = [unit("Dũng Nghĩa"), unit("Bách Thuận"), unit("Hòa Bình"), unit("Song An")]
    make_session(plan=plan, host=communes[0], day="02/05/2019")
    with django_assert_max_num_queries(8):
        before = board_staff.get(URL, {"month": "2019-05", "level": "commune"})
    assert before.status_code == 200

    for number in range(40):
        make_session(plan=plan, host=communes[number % 4], day=f"{1 + number % 31:02d}/05/2019",
                     hours=(7 + number % 8, 16))  # fmt: skip
    with django_assert_max_num_queries(8):
        response = board_staff.get(URL, {"month": "2019-05", "level": "commune"})
    assert response.context["session_count"] == before.context["session_count"] + 40


def test_a_busy_day_shows_four_sessions_and_links_to_the_rest_in_the_list(board_staff, plan):
    communes = ["Dũng Nghĩa", "Bách Thuận", "Hòa Bình", "Minh Khai", "Song An", "Tân Lập"]
    for hour, name in enumerate(communes, start=7):
        make_session(plan=plan, host=unit(name), day="15/05/2019", hours=(hour, hour + 1))
    response = board_staff.get(URL, {"month": "2019-05"})
    shown = day_sessions(response, datetime.date(2019, 5, 15))
    assert [s.host_unit.name for s in shown] == communes[:4]
    assert response.context["session_count"] == 6
    assert "và 2 hội nghị khác trong ngày" in response.text
    rest = next(link for link in links(response) if "start=15%2F05%2F2019" in link)
    listed = board_staff.get(rest)
    assert listed.context["page"].paginator.count == 6
