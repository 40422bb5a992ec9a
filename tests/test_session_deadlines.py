"""Issue 12, point 3 (last sentence): the deadlines of the rules in force on each session (announce
by, results public by) and each opinion (author told by), with overdue marks and filters, counted
in working days with the holiday list — all from obligations.rules.RuleBook."""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import User
from dialogues.models import DialogueScope, Session, SessionKind, SessionStatus
from feedback.models import Holiday, Opinion
from obligations.models import Measure, Obligation
from obligations.rules import RuleBook
from obligations.services import obligations_load

from .factories import make_opinion, make_plan, make_session
from .reform import XA_TAN_THUAN, XA_VU_THU, apply_reform, by_code

D = datetime.date
DAY = datetime.timedelta(days=1)


def client_of(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def world(demo):
    """Today's world: the reorganisation, the rules of 2025 and the demo users of today."""
    apply_reform()
    obligations_load()
    accounts_demo.load_after_reform()
    return by_code(XA_VU_THU)


def plan_of(commune):
    today = timezone.localdate()
    return make_plan(
        unit_=commune, start=(today - 400 * DAY).strftime("%d/%m/%Y"),
        end=(today + 400 * DAY).strftime("%d/%m/%Y"), issuing_body="Đảng ủy xã",
    )  # fmt: skip


def session_on(commune, day, *, plan=None, kind=SessionKind.DIALOGUE, **fields):
    scope = DialogueScope.UNIT if kind == SessionKind.DIALOGUE else ""
    return make_session(
        plan=plan or plan_of(commune), host=commune, day=day.strftime("%d/%m/%Y"), kind=kind,
        dialogue_scope=scope, **fields,
    )  # fmt: skip


# --- RuleBook.latest_start: the SQL filters' edge, checked against the deadline itself --------


def _book(today, *, number=10, working_days=True, holidays=()):
    rule = Obligation(
        title="t", legal_basis="b", level="commune", measure=Measure.ACKNOWLEDGE_AFTER,
        number=number, working_days=working_days, valid_from=D(2025, 11, 23), order=1,
    )  # fmt: skip
    return RuleBook(day=today, rules=[rule], holidays=list(holidays))


@pytest.mark.parametrize("number", [1, 2, 5, 10])
@pytest.mark.parametrize("working_days", [True, False])
def test_latest_start_is_the_last_start_whose_deadline_has_passed_on_any_weekday(
    number, working_days
):
    # A fortnight of "todays" (every weekday, a weekend, a holiday on Thursday 2/4/2026 and on
    # the Monday after), and every start in the month before: past the deadline today ⇔ the
    # session started on or before latest_start.
    holidays = [D(2026, 4, 2), D(2026, 4, 6)]
    for today in (D(2026, 3, 30) + n * DAY for n in range(14)):
        book = _book(today, number=number, working_days=working_days, holidays=holidays)
        last = book.latest_start(Measure.ACKNOWLEDGE_AFTER, level="commune")
        for start in (today - n * DAY for n in range(40)):
            session = SimpleNamespace(level="commune", kind="dialogue", start_date=start)
            deadline = book.acknowledge_by(SimpleNamespace(session=session))
            assert (deadline < today) == (start <= last), (today, start, deadline, last)


def test_a_session_on_friday_is_due_after_the_weekend_not_on_it():
    # 10 working days after Friday 6/3/2026 is Friday 20/3, and so for a session on the Saturday
    # or Sunday after it (they count from the Monday). On Friday 20/3 none is overdue; on
    # Saturday 21/3 all three are, so the last start past the deadline is Sunday 8/3.
    def start(day):
        return SimpleNamespace(session=SimpleNamespace(level="commune", kind="x", start_date=day))

    for day in (D(2026, 3, 6), D(2026, 3, 7), D(2026, 3, 8)):
        assert _book(D(2026, 3, 20)).acknowledge_by(start(day)) == D(2026, 3, 20)
    latest = {today: _book(today).latest_start(Measure.ACKNOWLEDGE_AFTER, level="commune")
              for today in (D(2026, 3, 20), D(2026, 3, 21), D(2026, 3, 23))}  # fmt: skip
    assert latest[D(2026, 3, 20)] == D(2026, 3, 5)
    assert latest[D(2026, 3, 21)] == D(2026, 3, 8)
    assert latest[D(2026, 3, 23)] == D(2026, 3, 8)


# --- the filters in SQL agree with the deadline of each row ------------------------------------


def test_the_author_not_told_filter_agrees_with_each_opinions_deadline(world):
    commune, plan = world, plan_of(world)
    Holiday.objects.create(day=D(2026, 3, 16), name="Ngày nghỉ thử")
    opinions = {}
    for start in (D(2026, 2, 27) + n * DAY for n in range(21)):
        session = session_on(commune, start, plan=plan, status=SessionStatus.HELD,
                             topic=f"Hội nghị {start:%d/%m}")  # fmt: skip
        opinions[make_opinion(session=session).pk] = start
    told = make_opinion(session=Session.objects.order_by("starts_at").first())
    told.acknowledge(day=D(2026, 3, 2), by=None)
    for today in (D(2026, 3, 13), D(2026, 3, 14), D(2026, 3, 16), D(2026, 3, 17), D(2026, 3, 30)):
        book = RuleBook.load(today)
        found = set(book.unacknowledged_overdue(Opinion.objects.all()).values_list("pk", flat=True))
        expected = {pk for pk, start in opinions.items()
                    if book.acknowledge_by(Opinion.objects.get(pk=pk)) < today}  # fmt: skip
        assert found == expected, today
        assert told.pk not in found
    # 2019's opinions have no such rule: never overdue.
    old = make_opinion(session=make_session(plan=make_plan(), host=commune, day="10/05/2019",
                                            status=SessionStatus.HELD))  # fmt: skip
    assert not RuleBook.load().unacknowledged_overdue(Opinion.objects.filter(pk=old.pk)).exists()


def test_results_overdue_and_announcement_late_filters(world):
    today = timezone.localdate()
    commune, plan = world, plan_of(world)
    overdue = session_on(commune, today - 20 * DAY, plan=plan, status=SessionStatus.HELD,
                         topic="Chưa công khai")  # fmt: skip
    published = session_on(commune, today - 20 * DAY, plan=plan, status=SessionStatus.HELD,
                           topic="Đã công khai", results_published_on=today - 12 * DAY)  # fmt: skip
    recent = session_on(commune, today - 3 * DAY, plan=plan, status=SessionStatus.HELD,
                        topic="Mới họp")  # fmt: skip
    reception = session_on(commune, today - 20 * DAY, plan=plan, status=SessionStatus.HELD,
                           kind=SessionKind.RECEPTION, topic="Tiếp dân")  # fmt: skip
    book = RuleBook.load()
    assert set(book.results_overdue(Session.objects.all())) == {overdue}
    assert {published, recent, reception}.isdisjoint(book.results_overdue(Session.objects.all()))

    in_time = session_on(commune, today + 10 * DAY, plan=plan, topic="Báo sớm",
                         notice_date=today)  # fmt: skip
    short = session_on(commune, today + 10 * DAY, plan=plan, topic="Báo muộn",
                       notice_date=today + 5 * DAY)  # fmt: skip
    not_yet_due = session_on(commune, today + 8 * DAY, plan=plan, topic="Chưa đến hạn báo")
    missed = session_on(commune, today + 6 * DAY, plan=plan, topic="Quá hạn chưa báo")
    cancelled = session_on(commune, today + 6 * DAY, plan=plan, topic="Đã hủy",
                           status=SessionStatus.CANCELLED)  # fmt: skip
    late = set(book.announce_late(Session.objects.filter(starts_at__gt=timezone.now())))
    assert late == {short, missed}
    assert {in_time, not_yet_due, cancelled}.isdisjoint(late)


# --- the pages -------------------------------------------------------------------------------


def test_the_session_page_shows_announce_by_and_results_public_by_with_overdue_marks(world):
    today = timezone.localdate()
    held = session_on(world, today - 20 * DAY, status=SessionStatus.HELD,
                      notice_date=today - 30 * DAY)  # fmt: skip
    page = client_of("xavuthu").get(held.get_absolute_url())
    announce, publish = page.context["deadlines"]["announce"], page.context["deadlines"]["publish"]
    assert announce.day == today - 27 * DAY and not announce.overdue and not announce.late
    assert publish.day == today - 10 * DAY and publish.overdue and publish.days_overdue == 10
    assert "Thông báo trước ngày" in page.text and "Công khai kết quả trước ngày" in page.text
    assert "10 ngày quá hạn" in page.text or "Quá hạn 10 ngày" in page.text
    planned = session_on(world, today + 3 * DAY, topic="Sắp họp")
    page = client_of("xavuthu").get(planned.get_absolute_url())
    assert page.context["deadlines"]["announce"].overdue
    assert "publish" not in page.context["deadlines"]
    # A reception has no announcement rule: no such line, and no mark.
    reception = session_on(world, today + 3 * DAY, kind=SessionKind.RECEPTION, topic="Tiếp dân")
    page = client_of("xavuthu").get(reception.get_absolute_url())
    assert page.context["deadlines"] == {} and "Thông báo trước ngày" not in page.text


def test_the_opinion_page_and_list_show_author_told_by_with_an_overdue_mark(
    world, django_assert_max_num_queries
):
    today = timezone.localdate()
    old = session_on(world, today - 30 * DAY, status=SessionStatus.HELD, topic="Họp cũ")
    new = session_on(world, today, status=SessionStatus.HELD, topic="Họp hôm nay")
    late = make_opinion(session=old, content="Ý kiến chưa được thông báo")
    for n in range(12):
        make_opinion(session=new, content=f"Ý kiến mới {n}")
    officer = client_of("xavuthu")
    page = officer.get(late.get_absolute_url())
    assert page.context["acknowledge"].overdue
    assert "Thông báo cho người phản ánh trước ngày" in page.text
    with django_assert_max_num_queries(25):
        listing = officer.get("/opinions/?unacknowledged=on")
    assert [o.pk for o in listing.context["page"]] == [late.pk]
    assert listing.context["page"][0].acknowledge.overdue
    with django_assert_max_num_queries(25):
        listing = officer.get("/opinions/")
    assert len(listing.context["page"]) == 13
    assert listing.text.count("Thông báo cho người phản ánh trước ngày") == 13


def test_the_session_list_filters_and_marks_in_a_bounded_number_of_queries(
    world, django_assert_max_num_queries
):
    today = timezone.localdate()
    plan = plan_of(world)
    for n in range(15):
        session_on(world, today - (20 + n) * DAY, plan=plan, status=SessionStatus.HELD,
                   topic=f"Chưa công khai {n}")  # fmt: skip
    session_on(by_code(XA_TAN_THUAN), today - 20 * DAY, status=SessionStatus.HELD,
               topic="Đã công khai", results_published_on=today - 15 * DAY)  # fmt: skip
    staff = client_of("bandanvantinh")
    with django_assert_max_num_queries(25):
        page = staff.get("/sessions/?results_overdue=on")
    assert page.context["page"].paginator.count == 15
    assert "Đã công khai" not in page.text
    with django_assert_max_num_queries(25):
        page = staff.get("/sessions/?announce_late=on")
    assert page.status_code == 200
