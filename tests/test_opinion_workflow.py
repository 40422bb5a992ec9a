import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from dialogues.models import SessionStatus
from feedback.models import EventKind, Opinion, OpinionStatus, TransitionNotAllowed

from .factories import agency, make_opinion, make_plan, make_session, unit

D = datetime.date


@pytest.fixture
def session(demo):
    return make_session(
        plan=make_plan(), host=unit("Dũng Nghĩa"), day="17/05/2019", status=SessionStatus.HELD
    )


def user(name):
    return User.objects.get(username=name)


def test_answered_at_the_session_is_closed(session):
    opinion = make_opinion(session=session, by=user("dungnghia"))
    opinion.answer_at_session(
        answer="Đã giải thích", answered_by="Chủ tịch UBND xã", by=user("dungnghia")
    )
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.ANSWERED and opinion.is_closed
    assert [e.kind for e in opinion.events.all()] == [EventKind.RECORDED, EventKind.ANSWERED]


def test_forward_sets_the_agency_and_a_deadline_in_working_days(session, settings):
    settings.OPINION_ANSWER_DAYS = 15
    opinion = make_opinion(session=session, outcome="forwarded", by=user("dungnghia"))
    assert opinion.status == OpinionStatus.FORWARDED
    assert opinion.agency == agency()
    # 17/05/2019 is a Friday: 15 working days later is Friday 07/06/2019 (no holiday between).
    assert opinion.deadline == D(2019, 6, 7)


def test_the_full_path_to_resolved_is_in_the_timeline_with_authors(session):
    officer, responder = user("dungnghia"), user("tnmt")
    opinion = make_opinion(session=session, outcome="forwarded", by=officer)
    opinion.record_progress(note="Đã kiểm tra thực địa", by=responder)
    opinion.resolve(answer="Đã cấp giấy chứng nhận", document_number="125/UBND-TNMT",
                    document_date=D(2019, 6, 1), by=responder)  # fmt: skip
    events = list(opinion.events.all())
    assert [(e.kind, e.by.username) for e in events] == [
        (EventKind.RECORDED, "dungnghia"),
        (EventKind.FORWARDED, "dungnghia"),
        (EventKind.PROGRESS, "tnmt"),
        (EventKind.RESOLVED, "tnmt"),
    ]
    assert events[2].from_status == OpinionStatus.FORWARDED
    assert events[2].to_status == OpinionStatus.IN_PROGRESS
    assert opinion.answer_document_number == "125/UBND-TNMT"
    assert opinion.closed_at is not None


def test_forwarding_to_another_agency_and_reopening_are_recorded(session):
    from communes.models import Agency

    staff = user("bandanvan")
    opinion = make_opinion(session=session, outcome="forwarded", by=staff)
    other = Agency.objects.get(short_name="KT&HT")
    opinion.forward_to(other, by=staff, note="Thuộc thẩm quyền Phòng KT&HT")
    assert opinion.agency == other
    opinion.mark_unresolvable(reason="Vượt thẩm quyền cấp huyện", by=staff)
    opinion.reopen(reason="Có chỉ đạo mới", by=staff)
    assert opinion.status == OpinionStatus.FORWARDED
    assert [e.kind for e in opinion.events.all()][-3:] == [
        EventKind.REFORWARDED, EventKind.UNRESOLVABLE, EventKind.REOPENED,
    ]  # fmt: skip


def test_a_duplicate_links_to_the_original(session):
    first = make_opinion(session=session)
    second = make_opinion(session=session)
    third = make_opinion(session=session)
    second.mark_duplicate(of=first, by=user("dungnghia"))
    third.mark_duplicate(of=second, by=user("dungnghia"))
    assert third.duplicate_of == first  # never a duplicate of a duplicate
    assert set(first.duplicates.all()) == {second, third}
    with pytest.raises(ValidationError):
        first.mark_duplicate(of=first, by=user("dungnghia"))


def test_deadline_change_is_recorded_with_its_reason(session):
    opinion = make_opinion(session=session, outcome="forwarded")
    opinion.change_deadline(deadline=D(2019, 7, 31), reason="Cần đo đạc lại", by=user("bandanvan"))
    event = opinion.events.last()
    assert event.kind == EventKind.DEADLINE and event.deadline == D(2019, 7, 31)
    assert event.text == "Cần đo đạc lại"


REFUSED = [
    # (how the opinion gets there, the refused change)
    ("answered", "forward"), ("answered", "progress"), ("answered", "resolve"),
    ("answered", "answer"), ("pending", "progress"), ("pending", "resolve"),
    ("pending", "unresolvable"), ("pending", "reopen"), ("pending", "deadline"),
    ("forwarded", "answer"), ("forwarded", "reopen"), ("resolved", "resolve"),
    ("resolved", "forward"), ("resolved", "duplicate"), ("resolved", "deadline"),
]  # fmt: skip


def _reach(state, session):
    opinion = make_opinion(session=session, outcome="forwarded" if state == "resolved" else state)
    if state == "resolved":
        opinion.resolve(answer="Xong", document_number="", document_date=None, by=None)
    return opinion


def _change(name, opinion, other):
    by = None
    calls = {
        "answer": lambda: opinion.answer_at_session(answer="x", answered_by="", by=by),
        "forward": lambda: opinion.forward_to(agency("KT&HT"), by=by),
        "progress": lambda: opinion.record_progress(note="x", by=by),
        "resolve": lambda: opinion.resolve(
            answer="x", document_number="", document_date=None, by=by
        ),
        "unresolvable": lambda: opinion.mark_unresolvable(reason="x", by=by),
        "reopen": lambda: opinion.reopen(reason="x", by=by),
        "duplicate": lambda: opinion.mark_duplicate(of=other, by=by),
        "deadline": lambda: opinion.change_deadline(deadline=D(2019, 8, 1), reason="x", by=by),
    }
    calls[name]()


@pytest.mark.parametrize(("state", "change"), REFUSED)
def test_changes_outside_the_workflow_are_refused(session, state, change):
    opinion = _reach(state, session)
    other = make_opinion(session=session)
    before = (opinion.status, opinion.events.count())
    with pytest.raises(TransitionNotAllowed):
        _change(change, opinion, other)
    opinion = Opinion.objects.get(pk=opinion.pk)
    assert (opinion.status, opinion.events.count()) == before


def test_overdue_means_waiting_for_an_agency_past_the_deadline(session):
    today = timezone.localdate()
    late = make_opinion(session=session, outcome="forwarded", deadline=D(2019, 6, 1))
    on_time = make_opinion(session=session, outcome="forwarded",
                           deadline=today + datetime.timedelta(days=2))  # fmt: skip
    resolved_late = make_opinion(session=session, outcome="forwarded", deadline=D(2019, 6, 1))
    resolved_late.resolve(answer="Xong", document_number="", document_date=None, by=None)
    answered = make_opinion(session=session, outcome="answered")
    assert set(Opinion.objects.overdue(today)) == {late}
    assert late.is_overdue and not on_time.is_overdue and not resolved_late.is_overdue
    assert not answered.is_overdue
    assert set(Opinion.objects.due_within(3, today)) == {on_time}
