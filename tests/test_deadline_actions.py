"""Issue 12, point 3: the steps that meet the deadlines — the results of a held session made
public, and an opinion's author told in writing (one opinion, or all of a session's at once) —
with who may take them, row locks and the `seen` count, the audit log, Vietnamese messages, and
history seen through succession read only."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import User
from config.history import history_count
from dialogues.models import DialogueScope, SessionKind, SessionStatus
from feedback.models import EventKind, Opinion, OpinionStatus
from obligations.services import obligations_load

from .factories import make_opinion, make_plan, make_session, unit
from .reform import XA_VU_THU, apply_reform, by_code

DAY = datetime.timedelta(days=1)


def client_of(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def day_text(day):
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def world(demo):
    apply_reform()
    obligations_load()
    accounts_demo.load_after_reform()
    return by_code(XA_VU_THU)


@pytest.fixture
def held(world):
    today = timezone.localdate()
    plan = make_plan(unit_=world, start=day_text(today - 200 * DAY),
                     end=day_text(today + 200 * DAY), issuing_body="Đảng ủy xã")  # fmt: skip
    return make_session(
        plan=plan, host=world, day=day_text(today - 20 * DAY), status=SessionStatus.HELD,
        kind=SessionKind.DIALOGUE, dialogue_scope=DialogueScope.UNIT,
    )  # fmt: skip


def publish_url(session):
    return f"/sessions/{session.pk}/publish/"


# --- results made public ---------------------------------------------------------------------


def test_an_officer_records_the_day_results_were_made_public_and_it_is_logged(held):
    officer = client_of("xavuthu")
    page = officer.get(held.get_absolute_url())
    assert publish_url(held) in page.text  # the button the workflow offers
    assert page.context["deadlines"]["publish"].overdue
    day = timezone.localdate() - 2 * DAY
    seen = history_count(held)
    response = officer.post(publish_url(held), {"day": day_text(day), "seen": seen})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.results_published_on == day
    assert held.results_published_by.username == "xavuthu"
    assert history_count(held) == seen + 1
    assert (
        LogEntry.objects.get_for_object(held)
        .filter(changes__icontains="results_published_on")
        .exists()
    )
    page = officer.get(held.get_absolute_url())
    deadline = page.context["deadlines"]["publish"]
    assert not deadline.overdue and deadline.late  # 18 days after: late, but done
    # Once recorded, the officer is no longer offered the step; board staff correct it.
    assert publish_url(held) not in page.text
    response = officer.post(publish_url(held), {"day": day_text(day + DAY)}, follow=True)
    assert "chỉ cán bộ Ban mới được sửa" in response.text
    staff = client_of("bandanvantinh")
    assert publish_url(held) in staff.get(held.get_absolute_url()).text
    correct = timezone.localdate() - 12 * DAY
    assert staff.post(publish_url(held), {"day": day_text(correct)}).status_code == 302
    held.refresh_from_db()
    assert held.results_published_on == correct
    assert held.results_published_by.username == "bandanvantinh"


@pytest.mark.parametrize(
    ("offset", "message"),
    [(1, "Ngày không được sau ngày hôm nay."), (-21, "Không thể công khai kết quả trước ngày")],
)
def test_a_day_in_the_future_or_before_the_session_is_refused_in_vietnamese(held, offset, message):
    typed = day_text(timezone.localdate() + offset * DAY)
    response = client_of("xavuthu").post(publish_url(held), {"day": typed})
    assert response.status_code == 200
    assert message in response.text
    assert f'value="{typed}"' in response.text
    held.refresh_from_db()
    assert held.results_published_on is None


def test_a_stale_page_saves_nothing_and_shows_what_changed(held):
    officer = client_of("xavuthu")
    seen = history_count(held)
    held.minutes_text = "Biên bản sửa lại"
    held.save()  # someone else saved the session after the page was opened
    response = officer.post(
        publish_url(held), {"day": day_text(timezone.localdate()), "seen": seen}
    )
    assert response.status_code == 200
    assert "Người khác đã lưu hội nghị này" in response.text
    held.refresh_from_db()
    assert held.results_published_on is None


def test_results_only_once_held_and_not_by_a_leader_nor_on_history(held, world):
    today = timezone.localdate()
    planned = make_session(plan=held.plan, host=world, day=day_text(today + 5 * DAY),
                           kind=SessionKind.RECEPTION)  # fmt: skip
    response = client_of("xavuthu").post(publish_url(planned), {"day": day_text(today)})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.results_published_on is None
    assert client_of("lanhdao").post(publish_url(held), {"day": day_text(today)}).status_code == 403
    # A 2019 session of Dũng Nghĩa, seen by xã Vũ Thư's officer through succession: read only.
    old = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="15/05/2019",
                       status=SessionStatus.HELD)  # fmt: skip
    officer = client_of("xavuthu")
    assert officer.get(old.get_absolute_url()).status_code == 200
    assert publish_url(old) not in officer.get(old.get_absolute_url()).text
    assert officer.post(publish_url(old), {"day": "20/05/2019"}).status_code == 403


# --- the author told --------------------------------------------------------------------------


def test_an_officer_records_that_an_opinions_author_was_told(held):
    opinion = make_opinion(session=held, outcome="answered")
    officer = client_of("xavuthu")
    url = f"/opinions/{opinion.pk}/acknowledge/"
    assert url in officer.get(opinion.get_absolute_url()).text
    response = officer.post(url, {"day": day_text(timezone.localdate() + DAY), "seen": 2})
    assert "Ngày không được sau ngày hôm nay." in response.text
    day = timezone.localdate() - 15 * DAY
    assert officer.post(url, {"day": day_text(day), "seen": 2}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.acknowledged_on == day and opinion.acknowledged_by.username == "xavuthu"
    assert opinion.status == OpinionStatus.ANSWERED  # the state does not change
    event = opinion.events.get(kind=EventKind.ACKNOWLEDGED)
    assert event.text == day_text(day)
    assert (
        LogEntry.objects.get_for_object(opinion)
        .filter(changes__icontains="acknowledged_on")
        .exists()
    )
    page = officer.get(opinion.get_absolute_url())
    assert url not in page.text and not page.context["acknowledge"].overdue
    assert "Đã thông báo cho người phản ánh" in page.text
    # Told once: a second record (another tab) is refused.
    response = officer.post(url, {"day": day_text(day)}, follow=True)
    assert opinion.events.filter(kind=EventKind.ACKNOWLEDGED).count() == 1
    assert client_of("lanhdao").post(url, {"day": day_text(day)}).status_code == 403


def test_a_second_tab_that_saw_the_opinion_before_is_told_and_saves_nothing(held):
    opinion = make_opinion(session=held)
    officer = client_of("xavuthu")
    seen = opinion.events.count()
    opinion.acknowledge(day=timezone.localdate(), by=None)  # another user, meanwhile
    response = officer.post(
        f"/opinions/{opinion.pk}/acknowledge/",
        {"day": day_text(timezone.localdate() - DAY), "seen": seen},
    )
    assert response.status_code == 200
    assert "Người khác đã cập nhật ý kiến này" in response.text
    opinion.refresh_from_db()
    assert opinion.acknowledged_on == timezone.localdate()


def test_all_authors_of_a_session_told_at_once(held, django_assert_max_num_queries):
    today = timezone.localdate()
    waiting = [make_opinion(session=held, content=f"Ý kiến {n}") for n in range(6)]
    told = make_opinion(session=held, content="Đã thông báo trước")
    told.acknowledge(day=today - 10 * DAY, by=None)
    duplicate = make_opinion(session=held, content="Ý kiến trùng")
    duplicate.mark_duplicate(of=waiting[0], by=None)
    officer = client_of("xavuthu")
    page = officer.get(held.get_absolute_url())
    assert page.context["to_acknowledge"] == 6
    url = f"/sessions/{held.pk}/opinions/acknowledge/"
    assert url in page.text
    assert officer.get(url).context["waiting"] == 6
    response = officer.post(url, {"day": day_text(today + DAY)})
    assert "Ngày không được sau ngày hôm nay." in response.text
    assert not Opinion.objects.filter(acknowledged_on=today + DAY).exists()
    response = officer.post(url, {"day": day_text(today - 3 * DAY)}, follow=True)
    assert "đã thông báo bằng văn bản cho người phản ánh của 6 ý kiến" in response.text
    for opinion in waiting:
        opinion.refresh_from_db()
        assert opinion.acknowledged_on == today - 3 * DAY
        assert opinion.events.filter(kind=EventKind.ACKNOWLEDGED).count() == 1
    told.refresh_from_db()
    duplicate.refresh_from_db()
    assert told.acknowledged_on == today - 10 * DAY  # left as it was
    assert duplicate.acknowledged_on is None
    assert officer.get(held.get_absolute_url()).context["to_acknowledge"] == 0
    # Nothing left: a second post records nothing and says so.
    response = officer.post(url, {"day": day_text(today)}, follow=True)
    assert "Tất cả người phản ánh của hội nghị này đã được thông báo." in response.text
    assert client_of("lanhdao").post(url, {"day": day_text(today)}).status_code == 403
    assert client_of("xatanthuan").post(url, {"day": day_text(today)}).status_code == 404
