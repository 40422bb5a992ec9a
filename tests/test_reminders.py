"""Reminder e-mails: the right people, the right content, and each event only once."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Role, User
from communes.models import OfficeHolder
from dialogues.models import SessionStatus
from dialogues.services import session_cancel, session_postpone
from reports import reminders
from reports.models import ReminderLog
from reports.reminders import remind_missing_minutes, remind_opinions, remind_upcoming_sessions
from reports.tasks_reminders import (
    remind_missing_minutes_task,
    remind_opinions_task,
    remind_upcoming_sessions_task,
)
from tests.factories import agency, at, district, make_opinion, make_plan, make_session, unit

NOW = at("10/05/2019", 9)
TODAY = NOW.date()
DUNG_NGHIA = "dungnghia@example.invalid"
BACH_THUAN = "bachthuan@example.invalid"
BOARD = "bandanvan@example.invalid"
TNMT = "tnmt@example.invalid"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://tiepxuc.example.invalid/"


@pytest.fixture
def plan(demo):
    return make_plan()


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


def person(username, *, role=Role.COMMUNE_OFFICER, unit_name="Dũng Nghĩa", **fields):
    fields.setdefault("email", f"{username}@example.invalid")
    return User.objects.create(username=username, role=role, unit=unit(unit_name), **fields)


def user(username):
    return User.objects.get(username=username)


def forwarded(session, *, deadline, content="Đề nghị nạo vét kênh tưới tiêu thôn Đông"):
    return make_opinion(session=session, outcome="forwarded", deadline=deadline, content=content)


def held_session(plan, host=None, day="02/05/2019", **fields):
    fields.setdefault("minutes_text", "Biên bản hội nghị")
    host = host or unit("Dũng Nghĩa")
    return make_session(plan=plan, host=host, day=day, status=SessionStatus.HELD, **fields)


# --- upcoming sessions ----------------------------------------------------------------------------


def test_commune_officer_is_told_of_a_session_in_the_coming_week(plan, mailoutbox):
    session = make_session(
        plan=plan, host=unit("Dũng Nghĩa"), day="13/05/2019", hours=(14, 16),
        topic="Đối thoại về dồn điền đổi thửa", venue="Nhà văn hóa thôn Đông",
    )  # fmt: skip
    chair = OfficeHolder.objects.filter(unit=unit("Dũng Nghĩa"), position__is_head=True).first()

    assert remind_upcoming_sessions(now=NOW) == 1

    [message] = mailoutbox
    assert message.to == [DUNG_NGHIA]
    assert message.subject.startswith("[Tiếp xúc, đối thoại] ")
    assert "Đối thoại về dồn điền đổi thửa" in message.subject
    assert "13/05/2019" in message.subject
    for text in ("Đối thoại về dồn điền đổi thửa", "13/05/2019", "14:00", "16:00",
                 "Nhà văn hóa thôn Đông", chair.person.full_name,
                 f"https://tiepxuc.example.invalid/sessions/{session.pk}/"):  # fmt: skip
        assert text in message.body
    assert "&amp;" not in message.body and "&#" not in message.body


def test_a_session_is_announced_only_once(plan, mailoutbox):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="13/05/2019")

    assert remind_upcoming_sessions(now=NOW) == 1
    assert remind_upcoming_sessions(now=NOW + datetime.timedelta(hours=6)) == 0
    assert remind_upcoming_sessions(now=NOW + datetime.timedelta(days=2)) == 0
    assert len(mailoutbox) == 1
    assert ReminderLog.objects.filter(recipient=DUNG_NGHIA).count() == 1


def test_bach_thuan_officer_hears_nothing_of_dung_nghias_session(plan, mailoutbox):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="13/05/2019")
    make_session(plan=plan, host=unit("Bách Thuận"), day="14/05/2019")

    remind_upcoming_sessions(now=NOW)

    assert recipients(mailoutbox) == [BACH_THUAN, DUNG_NGHIA]
    [to_bach_thuan] = [m for m in mailoutbox if m.to == [BACH_THUAN]]
    assert "Dũng Nghĩa" not in to_bach_thuan.subject + to_bach_thuan.body


def test_a_district_session_goes_to_the_district_board_staff_only(plan, mailoutbox):
    make_session(
        plan=plan, host=district(), day="15/05/2019", attending=[unit("Dũng Nghĩa")],
        topic="Đối thoại cấp huyện với Nhân dân xã Dũng Nghĩa",
    )  # fmt: skip

    assert remind_upcoming_sessions(now=NOW) == 1

    assert recipients(mailoutbox) == [BOARD]
    assert "Đối thoại cấp huyện với Nhân dân xã Dũng Nghĩa" in mailoutbox[0].body


def test_sessions_more_than_a_week_ahead_or_past_are_not_announced(plan, mailoutbox):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="18/05/2019")
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="09/05/2019")

    assert remind_upcoming_sessions(now=NOW) == 0
    assert mailoutbox == []


def test_a_cancelled_session_is_not_announced(plan, mailoutbox):
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), day="13/05/2019")
    session_cancel(session=session, by=user("dungnghia"), reason="Trùng lịch họp")

    assert remind_upcoming_sessions(now=NOW) == 0
    assert mailoutbox == []


def test_a_postponed_session_is_announced_again_at_its_new_date(plan, mailoutbox):
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), day="13/05/2019")
    remind_upcoming_sessions(now=NOW)
    session_postpone(
        session=session, by=user("dungnghia"), new_starts_at=at("16/05/2019", 8),
        new_ends_at=at("16/05/2019", 11), reason="Trùng lịch tiếp công dân",
    )  # fmt: skip

    assert remind_upcoming_sessions(now=NOW + datetime.timedelta(hours=1)) == 1
    assert remind_upcoming_sessions(now=NOW + datetime.timedelta(hours=2)) == 0

    assert len(mailoutbox) == 2
    assert "16/05/2019" in mailoutbox[1].subject
    assert "16/05/2019" in mailoutbox[1].body


def test_a_session_postponed_beyond_the_week_waits_until_its_new_week(plan, mailoutbox):
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), day="13/05/2019")
    session_postpone(
        session=session, by=user("dungnghia"), new_starts_at=at("30/05/2019", 8),
        new_ends_at=at("30/05/2019", 11), reason="Chờ ý kiến của Huyện ủy",
    )  # fmt: skip

    assert remind_upcoming_sessions(now=NOW) == 0
    assert remind_upcoming_sessions(now=at("24/05/2019", 9)) == 1
    assert "30/05/2019" in mailoutbox[0].body


def test_inactive_users_and_users_without_an_address_are_skipped(plan, mailoutbox):
    person("dungnghia2", is_active=False)
    person("dungnghia3", email="")
    person("dungnghia4")
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="13/05/2019")

    assert remind_upcoming_sessions(now=NOW) == 2
    assert recipients(mailoutbox) == sorted([DUNG_NGHIA, "dungnghia4@example.invalid"])


def test_two_accounts_with_one_address_get_one_email(plan, mailoutbox):
    person("dungnghia2", email="DungNghia@Example.invalid")
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="13/05/2019")

    assert remind_upcoming_sessions(now=NOW) == 1


def test_the_email_is_in_vietnamese_whatever_language_the_caller_uses(plan, mailoutbox):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="13/05/2019")

    with translation.override("en"):
        remind_upcoming_sessions(now=NOW)

    assert "Thứ 2, 13/05/2019" in mailoutbox[0].body  # Django's own Vietnamese day names


# --- opinions due soon and overdue ----------------------------------------------------------------


def test_agency_and_board_staff_get_one_email_listing_all_opinions_due_soon(plan, mailoutbox):
    session = held_session(plan)
    first = forwarded(
        session,
        deadline=TODAY + datetime.timedelta(days=1),
        content="Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho hộ ông Tâm",
    )
    second = forwarded(
        session,
        deadline=TODAY + datetime.timedelta(days=3),
        content="Đề nghị xử lý ô nhiễm ở bãi rác thôn Bắc",
    )
    forwarded(session, deadline=TODAY + datetime.timedelta(days=4))  # not yet due

    assert remind_opinions(today=TODAY) == 2

    assert recipients(mailoutbox) == [BOARD, TNMT]
    for message in mailoutbox:
        assert message.subject.startswith("[Tiếp xúc, đối thoại] ")
        for text in (first.code, "Đề nghị cấp giấy chứng nhận quyền sử dụng đất",
                     "11/05/2019", f"https://tiepxuc.example.invalid/opinions/{first.pk}/",
                     second.code, "Đề nghị xử lý ô nhiễm ở bãi rác thôn Bắc", "13/05/2019",
                     agency().name):  # fmt: skip
            assert text in message.body
        assert "14/05/2019" not in message.body


def test_opinion_reminders_are_not_sent_twice(plan, mailoutbox):
    session = held_session(plan)
    forwarded(session, deadline=TODAY + datetime.timedelta(days=2))

    assert remind_opinions(today=TODAY) == 2
    assert remind_opinions(today=TODAY) == 0
    assert remind_opinions(today=TODAY + datetime.timedelta(days=1)) == 0
    assert len(mailoutbox) == 2


def test_an_opinion_due_soon_then_overdue_is_announced_once_as_each(plan, mailoutbox):
    session = held_session(plan)
    opinion = forwarded(session, deadline=TODAY + datetime.timedelta(days=2))

    remind_opinions(today=TODAY)
    remind_opinions(today=TODAY + datetime.timedelta(days=3))
    remind_opinions(today=TODAY + datetime.timedelta(days=4))

    to_agency = [m for m in mailoutbox if m.to == [TNMT]]
    assert len(to_agency) == 2
    assert all(opinion.code in m.body for m in to_agency)
    assert set(
        ReminderLog.objects.filter(object_id=opinion.pk, recipient=TNMT).values_list(
            "kind", flat=True
        )
    ) == {"opinion_due_soon", "opinion_overdue"}


def test_an_opinion_first_seen_overdue_is_announced_only_as_overdue(plan, mailoutbox):
    session = held_session(plan)
    opinion = forwarded(session, deadline=TODAY - datetime.timedelta(days=1))

    assert remind_opinions(today=TODAY) == 2
    assert remind_opinions(today=TODAY + datetime.timedelta(days=1)) == 0
    kinds = ReminderLog.objects.filter(object_id=opinion.pk).values_list("kind", flat=True)
    assert list(kinds) == ["opinion_overdue", "opinion_overdue"]


def test_a_resolved_opinion_gets_no_reminder(plan, mailoutbox):
    session = held_session(plan)
    opinion = forwarded(session, deadline=TODAY - datetime.timedelta(days=1))
    opinion.resolve(answer="Đã nạo vét xong", document_number="", document_date=None,
                    by=user("tnmt"))  # fmt: skip
    make_opinion(session=session, outcome="answered")

    assert remind_opinions(today=TODAY) == 0
    assert mailoutbox == []


def test_opinion_reminders_go_only_to_the_agency_and_the_board_staff_above(plan, mailoutbox):
    province_staff = person("bandanvantinh", role=Role.BOARD_STAFF, unit_name="Thái Bình")
    person("bandanvanbachthuan", role=Role.BOARD_STAFF, unit_name="Bách Thuận")
    person("tnmt2", role=Role.AGENCY_RESPONDER, unit_name="Vũ Thư", is_active=False,
           agency=user("tnmt").agency)  # fmt: skip
    session = held_session(plan)
    forwarded(session, deadline=TODAY + datetime.timedelta(days=1))

    remind_opinions(today=TODAY)

    assert recipients(mailoutbox) == [BOARD, province_staff.email, TNMT]


def test_the_bach_thuan_officer_never_hears_of_dung_nghias_opinions(plan, mailoutbox):
    session = held_session(plan)
    forwarded(session, deadline=TODAY - datetime.timedelta(days=1))
    held_session(plan, day="02/05/2019", minutes_text="")
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="13/05/2019")

    remind_opinions(today=TODAY)
    remind_missing_minutes(now=NOW)
    remind_upcoming_sessions(now=NOW)

    assert mailoutbox
    assert BACH_THUAN not in recipients(mailoutbox)


def test_a_district_sessions_opinion_reaches_the_board_of_its_district(plan, mailoutbox):
    session = held_session(plan, host=district(), attending=[unit("Dũng Nghĩa")])
    opinion = forwarded(session, deadline=TODAY)
    assert opinion.unit == unit("Dũng Nghĩa")

    remind_opinions(today=TODAY)

    assert recipients(mailoutbox) == [BOARD, TNMT]


# --- missing minutes ------------------------------------------------------------------------------


def test_officer_is_asked_for_the_minutes_of_a_session_held_days_ago(plan, mailoutbox):
    session = held_session(plan, day="05/05/2019", minutes_text="", topic="Đối thoại về môi trường")

    assert remind_missing_minutes(now=NOW) == 1

    [message] = mailoutbox
    assert message.to == [DUNG_NGHIA]
    assert message.subject.startswith("[Tiếp xúc, đối thoại] ")
    assert "Đối thoại về môi trường" in message.body
    assert "05/05/2019" in message.body
    assert f"https://tiepxuc.example.invalid/sessions/{session.pk}/record/" in message.body


def test_missing_minutes_are_asked_for_once(plan, mailoutbox):
    held_session(plan, day="05/05/2019", minutes_text="")

    assert remind_missing_minutes(now=NOW) == 1
    assert remind_missing_minutes(now=NOW + datetime.timedelta(days=1)) == 0
    assert len(mailoutbox) == 1


def test_several_sessions_without_minutes_make_one_email(plan, mailoutbox):
    first = held_session(plan, day="02/05/2019", minutes_text="", topic="Hội nghị tháng Năm")
    second = held_session(plan, day="05/05/2019", minutes_text="", topic="Hội nghị bổ sung")

    assert remind_missing_minutes(now=NOW) == 1
    assert first.topic in mailoutbox[0].body and second.topic in mailoutbox[0].body
    assert ReminderLog.objects.filter(kind="session_minutes_missing").count() == 2


def test_sessions_with_minutes_or_held_recently_are_not_chased(plan, mailoutbox):
    held_session(plan, day="02/05/2019")
    held_session(plan, day="03/05/2019", minutes_text="", minutes_file="minutes/2019/05/bb.pdf")
    held_session(plan, day="08/05/2019", minutes_text="")
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="02/05/2019")  # never marked held

    assert remind_missing_minutes(now=NOW) == 0
    assert mailoutbox == []


def test_a_cancelled_session_is_never_chased_for_minutes(plan, mailoutbox):
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), day="02/05/2019")
    session_cancel(session=session, by=user("dungnghia"), reason="Mưa bão")

    assert remind_missing_minutes(now=NOW) == 0


def test_district_sessions_without_minutes_go_to_the_district_board(plan, mailoutbox):
    held_session(plan, host=district(), day="02/05/2019", minutes_text="")

    assert remind_missing_minutes(now=NOW) == 1
    assert recipients(mailoutbox) == [BOARD]


# --- robustness -----------------------------------------------------------------------------------


def test_an_email_the_server_refuses_is_sent_at_the_next_run(plan, mailoutbox, monkeypatch):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="13/05/2019")

    def refuse(self):
        raise smtplib.SMTPRecipientsRefused({DUNG_NGHIA: (550, b"mailbox full")})

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)
    assert remind_upcoming_sessions(now=NOW) == 0
    assert not ReminderLog.objects.exists()

    monkeypatch.undo()
    assert remind_upcoming_sessions(now=NOW) == 1
    assert len(mailoutbox) == 1


def test_a_reminder_another_run_has_just_sent_is_not_sent_again(plan, mailoutbox, monkeypatch):
    session = held_session(plan)
    opinion = forwarded(session, deadline=TODAY + datetime.timedelta(days=1))
    other = forwarded(session, deadline=TODAY + datetime.timedelta(days=2))
    # A second beat wrote its row after this one read the ledger.
    monkeypatch.setattr(reminders, "_sent_before", lambda events: set())
    ReminderLog.objects.create(kind="opinion_due_soon", object_id=opinion.pk, recipient=TNMT)

    assert remind_opinions(today=TODAY) == 2

    [to_agency] = [m for m in mailoutbox if m.to == [TNMT]]
    assert other.code in to_agency.body
    assert opinion.code not in to_agency.body
    [to_board] = [m for m in mailoutbox if m.to == [BOARD]]
    assert opinion.code in to_board.body


def queries_for(function, **kwargs):
    ReminderLog.objects.all().delete()
    with CaptureQueriesContext(connection) as context:
        function(**kwargs)
    return len(context.captured_queries)


@pytest.fixture
def district_events(plan):
    """A function adding upcoming, held-without-minutes and due sessions of the district."""
    chairs = OfficeHolder.objects.filter(unit=district(), position__is_head=True)

    def add(count):
        for _ in range(count):
            make_session(plan=plan, host=district(), day="13/05/2019", chairs=chairs)
            session = held_session(plan, host=district(), day="02/05/2019", minutes_text="")
            forwarded(session, deadline=TODAY + datetime.timedelta(days=1))
            forwarded(session, deadline=TODAY - datetime.timedelta(days=1))

    return add


# Reading: events, ledger, people (and the chairs for sessions); writing: 3 per e-mail at most
# (savepoint, one insert of all its ledger rows, release).
def test_opinion_reminders_take_the_same_queries_however_many_opinions(
    district_events, django_assert_max_num_queries
):
    district_events(1)
    few = queries_for(remind_opinions, today=TODAY)
    district_events(10)
    ReminderLog.objects.all().delete()
    with django_assert_max_num_queries(4 + 2 * 3) as context:  # to TN&MT and to the board
        assert remind_opinions(today=TODAY) == 2
    assert len(context) == few


def test_minutes_reminders_take_the_same_queries_however_many_sessions(
    district_events, django_assert_max_num_queries
):
    district_events(1)
    few = queries_for(remind_missing_minutes, now=NOW)
    district_events(10)
    ReminderLog.objects.all().delete()
    with django_assert_max_num_queries(3 + 1 * 3) as context:  # to the board
        assert remind_missing_minutes(now=NOW) == 1
    assert len(context) == few


def test_session_reminders_add_only_the_writes_of_each_email(
    district_events, django_assert_max_num_queries
):
    district_events(1)
    few = queries_for(remind_upcoming_sessions, now=NOW)
    district_events(10)
    ReminderLog.objects.all().delete()
    with django_assert_max_num_queries(few + 10 * 3):
        assert remind_upcoming_sessions(now=NOW) == 11


# --- the Celery tasks -----------------------------------------------------------------------------


def test_the_beat_tasks_run_and_send_once(demo, mailoutbox):
    today = timezone.localdate()
    plan = make_plan(
        start=(today - datetime.timedelta(days=30)).strftime("%d/%m/%Y"),
        end=(today + datetime.timedelta(days=30)).strftime("%d/%m/%Y"),
    )
    soon = today + datetime.timedelta(days=2)
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day=soon.strftime("%d/%m/%Y"))
    session = held_session(
        plan, day=(today - datetime.timedelta(days=10)).strftime("%d/%m/%Y"), minutes_text=""
    )
    forwarded(session, deadline=today + datetime.timedelta(days=1))

    assert remind_upcoming_sessions_task.apply().get() == 1
    assert remind_opinions_task.apply().get() == 2
    assert remind_missing_minutes_task.apply().get() == 1
    assert remind_upcoming_sessions_task.apply().get() == 0
    assert remind_opinions_task.apply().get() == 0
    assert remind_missing_minutes_task.apply().get() == 0
    assert len(mailoutbox) == 4
