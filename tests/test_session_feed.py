import datetime

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from dialogues.models import CalendarFeed, Postponement, Session, SessionStatus

from .factories import at, district, make_plan, make_session, unit


def soon(days=10) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def sessions(demo):
    """A session each in Dũng Nghĩa, Bách Thuận and at the district, all within the feed's year."""
    plan = make_plan(start=f"{soon(-400):%d/%m/%Y}", end=f"{soon(100):%d/%m/%Y}")
    return {
        "dung_nghia": make_session(
            plan=plan, host=unit("Dũng Nghĩa"), day=soon(10),
            topic="Đối thoại về đất đai, giải phóng mặt bằng ở Dũng Nghĩa",
        ),
        "bach_thuan": make_session(
            plan=plan, host=unit("Bách Thuận"), day=soon(12), topic="Đối thoại ở Bách Thuận"
        ),
        "district": make_session(
            plan=plan, host=district(), day=soon(20), topic="Hội nghị cấp huyện",
            attending=[unit("Dũng Nghĩa"), unit("Bách Thuận")],
        ),
        "last_year": make_session(
            plan=plan, host=unit("Dũng Nghĩa"), day=soon(-380),
            topic="Quá một năm rồi", status=SessionStatus.HELD,
        ),
    }  # fmt: skip


def feed_path(username):
    user = User.objects.get(username=username)
    return f"/calendar/{CalendarFeed.for_user(user).token}.ics"


def fetch(username, client=None):
    """The feed as a calendar app gets it: no login, just the address."""
    response = (client or Client()).get(feed_path(username))
    assert response.status_code == 200
    return response


def events(response):
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def sessions_in(response):
    pks = [
        int(str(event["UID"]).split("@")[0].removeprefix("session-")) for event in events(response)
    ]
    return Session.objects.filter(pk__in=pks).select_related("host_unit")


def test_the_feed_is_an_icalendar_file_that_works_without_login(sessions):
    response = fetch("dungnghia")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-TIMEZONE"] == "Asia/Ho_Chi_Minh"
    assert "Dũng Nghĩa" in calendar["X-WR-CALNAME"]


def test_officer_gets_only_their_communes_sessions(sessions):
    shown = sessions_in(fetch("dungnghia"))

    assert sessions["dung_nghia"] in shown
    assert sessions["bach_thuan"] not in shown
    assert sessions["district"] not in shown
    assert {session.host_unit.name for session in shown} == {"Dũng Nghĩa"}


def test_board_staff_gets_every_session_in_the_district(sessions):
    shown = sessions_in(fetch("bandanvan"))

    assert {sessions["dung_nghia"], sessions["bach_thuan"], sessions["district"]} <= set(shown)
    vu_thu = district()
    assert all(session.host_unit.is_within(vu_thu) for session in shown)


def test_outsider_gets_none_of_dung_nghias_sessions(sessions):
    shown = sessions_in(fetch("bachthuan"))

    assert sessions["bach_thuan"] in shown
    assert not [session for session in shown if session.host_unit.name == "Dũng Nghĩa"]


def test_the_feed_holds_exactly_the_visible_sessions_of_the_last_year(sessions):
    officer = User.objects.get(username="dungnghia")
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    expected = Session.objects.visible_to(officer).filter(starts_at__gte=at(year_ago, 0))

    shown = sessions_in(fetch("dungnghia"))

    assert set(shown) == set(expected)
    assert sessions["last_year"] not in shown


def test_every_event_has_uid_dtstamp_dtstart_and_the_sessions_details(sessions):
    session = sessions["dung_nghia"]

    response = fetch("dungnghia")

    for event in events(response):
        assert event["UID"] and event["DTSTAMP"] and event["DTSTART"] and event["DTEND"]
    [event] = [e for e in events(response) if e["UID"] == f"session-{session.pk}@tiepxuc"]
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTEND") == session.ends_at
    assert event["SUMMARY"] == "Đối thoại về đất đai, giải phóng mặt bằng ở Dũng Nghĩa"
    assert event["LOCATION"] == session.venue
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert str(event["URL"]) == f"http://testserver/sessions/{session.pk}/"
    chair = session.chairs.select_related("person").first()
    assert chair.person.full_name in event["DESCRIPTION"]
    assert "Xã Dũng Nghĩa" in event["DESCRIPTION"]


def test_times_are_in_utc_and_keep_the_vietnamese_hour(sessions):
    session = sessions["dung_nghia"]

    text = fetch("dungnghia").content.decode()

    # 08:00 in Vietnam is 01:00 UTC.
    assert f"DTSTART:{session.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in text
    assert "T010000Z" in text


def test_lines_are_crlf_terminated_and_folded_at_75_octets(sessions):
    content = fetch("bandanvan").content

    assert content.endswith(b"\r\n")
    lines = content.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75


def test_the_uid_of_a_session_stays_the_same_from_one_fetch_to_the_next(sessions):
    def uids():
        return {str(event["UID"]) for event in events(fetch("dungnghia"))}

    assert uids() == uids()


def test_a_postponed_session_is_tentative_with_a_higher_sequence(sessions):
    session = sessions["dung_nghia"]
    Postponement.objects.create(
        session=session, old_starts_at=session.starts_at, old_ends_at=session.ends_at,
        new_starts_at=at(soon(15), 8), new_ends_at=at(soon(15), 11), reason="Trùng lịch",
        created_by=User.objects.get(username="dungnghia"),
    )  # fmt: skip
    Session.objects.filter(pk=session.pk).update(
        starts_at=at(soon(15), 8), ends_at=at(soon(15), 11), status=SessionStatus.POSTPONED
    )

    [event] = [e for e in events(fetch("dungnghia")) if e["UID"] == f"session-{session.pk}@tiepxuc"]

    assert event["STATUS"] == "TENTATIVE"
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART").date() == soon(15)


def test_a_cancelled_session_is_marked_cancelled(sessions):
    session = sessions["dung_nghia"]
    Session.objects.filter(pk=session.pk).update(
        status=SessionStatus.CANCELLED, cancel_reason="Mưa bão"
    )

    [event] = [e for e in events(fetch("dungnghia")) if e["UID"] == f"session-{session.pk}@tiepxuc"]

    assert event["STATUS"] == "CANCELLED"
    assert "Dũng Nghĩa" in event["SUMMARY"]
    assert "Mưa bão" in event["DESCRIPTION"]


def test_vietnamese_diacritics_survive_in_the_summary(sessions):
    text = fetch("dungnghia").content.decode("utf-8")
    unfolded = text.replace("\r\n ", "")

    assert "SUMMARY:Đối thoại về đất đai\\, giải phóng mặt bằng ở Dũng Nghĩa" in unfolded


def test_a_wrong_token_is_not_found(sessions):
    assert Client().get("/calendar/not-a-real-token.ics").status_code == 404


def test_after_regenerating_the_old_address_is_not_found_and_the_new_one_works(sessions, officer):
    old = feed_path("dungnghia")

    response = officer.post("/calendar/regenerate/")

    assert response.status_code == 302
    assert response["Location"] == "/calendar/"
    assert Client().get(old).status_code == 404
    new = feed_path("dungnghia")
    assert new != old
    assert Client().get(new).status_code == 200


def test_an_inactive_users_feed_is_not_found(sessions):
    path = feed_path("dungnghia")
    User.objects.filter(username="dungnghia").update(is_active=False)

    assert Client().get(path).status_code == 404


def test_the_feed_takes_a_bounded_number_of_queries(sessions, django_assert_max_num_queries):
    path = feed_path("bandanvan")
    with django_assert_max_num_queries(8):
        before = Client().get(path)
    plan = sessions["dung_nghia"].plan
    for number in range(30):
        make_session(plan=plan, host=unit("Hòa Bình"), day=soon(number % 20 + 1),
                     topic=f"Đối thoại số {number}")  # fmt: skip

    with django_assert_max_num_queries(8):
        after = Client().get(path)

    assert len(events(after)) == len(events(before)) + 30


def test_the_settings_page_shows_the_private_address(officer, sessions):
    response = officer.get("/calendar/")

    assert response.status_code == 200
    assert f"http://testserver{feed_path('dungnghia')}" in response.text
    assert f"webcal://testserver{feed_path('dungnghia')}" in response.text
    assert 'action="/calendar/regenerate/"' in response.text


def test_a_leader_may_make_a_new_address_for_their_own_feed(leader, sessions):
    old = feed_path("lanhdao")

    response = leader.post("/calendar/regenerate/")

    assert response.status_code == 302
    assert feed_path("lanhdao") != old


def test_regenerating_needs_a_post(officer, sessions):
    old = feed_path("dungnghia")

    assert officer.get("/calendar/regenerate/").status_code == 405
    assert feed_path("dungnghia") == old


def test_agency_responder_has_no_feed_settings(responder):
    assert responder.get("/calendar/").status_code == 403
