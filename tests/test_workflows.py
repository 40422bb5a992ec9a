"""The session and opinion workflows: declared once, and what users are offered follows it."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from config.workflow import TransitionNotAllowed
from dialogues import services
from dialogues.models import SessionStatus
from dialogues.workflow import SESSION_WORKFLOW
from feedback.models import Opinion, OpinionStatus
from feedback.workflow import OPINION_WORKFLOW
from reports.workflow import REPORT_WORKFLOW

from .factories import agency, make_opinion, make_plan, make_session, unit

ACTORS = {
    "board_staff": Role.BOARD_STAFF,
    "officer": Role.COMMUNE_OFFICER,
    "responder": Role.AGENCY_RESPONDER,
    "leader": Role.LEADER,
}


def offered_links(page, pk, workflow) -> set[str]:
    """The workflow pages the page links to (a link or a form's action)."""
    urls = {reverse(t.url_name, args=[pk]) for t in workflow.transitions.values()}
    found = set(re.findall(r'(?:href|action)="([^"]+)"', page.text))
    return urls & found


@pytest.fixture
def held(demo):
    return make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)


@pytest.mark.parametrize("outcome", ["pending", "forwarded", "answered"])
def test_the_opinion_page_offers_each_role_the_steps_the_workflow_declares(actors, held, outcome):
    opinion = make_opinion(session=held, outcome=outcome)
    for actor, role in ACTORS.items():
        page = actors[actor].get(opinion.get_absolute_url())
        if page.status_code == 404:  # the responder's agency does not have it
            assert role == Role.AGENCY_RESPONDER and opinion.agency_id is None
            continue
        expected = {reverse(t.url_name, args=[opinion.pk])
                    for t in OPINION_WORKFLOW.offered(opinion, role)}  # fmt: skip
        assert offered_links(page, opinion.pk, OPINION_WORKFLOW) == expected, (actor, outcome)
        assert expected or role in (Role.LEADER, Role.AGENCY_RESPONDER)


@pytest.mark.parametrize("status", SessionStatus.values)
def test_the_session_page_offers_each_role_the_steps_the_workflow_declares(actors, demo, status):
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), status=status)
    for actor, role in ACTORS.items():
        page = actors[actor].get(session.get_absolute_url())
        if role == Role.AGENCY_RESPONDER:
            assert page.status_code == 403
            continue
        expected = {reverse(t.url_name, args=[session.pk])
                    for t in SESSION_WORKFLOW.offered(session, role)}  # fmt: skip
        assert offered_links(page, session.pk, SESSION_WORKFLOW) == expected, (actor, status)


OPINION_STEPS = {
    "answer": lambda o, by: o.answer_at_session(answer="Đã trả lời", answered_by="", by=by),
    "forward": lambda o, by: o.forward_to(agency("KT&HT"), by=by),
    "reforward": lambda o, by: o.forward_to(agency("KT&HT"), by=by),
    "progress": lambda o, by: o.record_progress(note="Đang làm", by=by),
    "resolve": lambda o, by: o.resolve(
        answer="Xong", document_number="", document_date=None, by=by
    ),
    "unresolvable": lambda o, by: o.mark_unresolvable(reason="Không thể", by=by),
    "deadline": lambda o, by: o.change_deadline(
        deadline=o.session.start_date, reason="Gia hạn", by=by
    ),
    "duplicate": lambda o, by: o.mark_duplicate(
        of=make_opinion(session=o.session, content="Gốc"), by=by
    ),
    "reopen": lambda o, by: o.reopen(reason="Chưa thỏa đáng", by=by),
    "acknowledge": lambda o, by: o.acknowledge(day=o.session.start_date, by=by),
}
SHARED = {"forward": ("forward", "reforward"), "reforward": ("forward", "reforward")}
# An opinion in each state, from the entry form's outcome and one more step.
REACH = {
    OpinionStatus.NEW: ("pending", None),
    OpinionStatus.ANSWERED: ("answered", None),
    OpinionStatus.FORWARDED: ("forwarded", None),
    OpinionStatus.IN_PROGRESS: ("forwarded", "progress"),
    OpinionStatus.RESOLVED: ("forwarded", "resolve"),
    OpinionStatus.UNRESOLVABLE: ("forwarded", "unresolvable"),
    OpinionStatus.DUPLICATE: ("pending", "duplicate"),
}


def test_the_declaration_covers_every_step_and_state():
    assert set(OPINION_STEPS) == set(OPINION_WORKFLOW.transitions)
    assert set(REACH) == set(OpinionStatus.values)


@pytest.mark.parametrize("status", OpinionStatus.values)
def test_an_opinion_takes_exactly_the_steps_its_state_allows(held, status):
    outcome, step = REACH[status]
    for name, take in OPINION_STEPS.items():
        opinion = make_opinion(session=held, outcome=outcome)
        if step:
            OPINION_STEPS[step](opinion, None)
        assert opinion.status == status
        # One method, forward_to, takes both of these steps.
        names = SHARED.get(name, (name,))
        if OPINION_WORKFLOW.allows(status, *names):
            take(opinion, None)
            opinion.refresh_from_db()
            targets = {t for n in names for t in OPINION_WORKFLOW[n].targets}
            assert opinion.status in (targets or {status}), name
            # The timeline names the step as the declaration does (the scale generator too).
            events = {OPINION_WORKFLOW[n].event for n in names}
            assert opinion.events.order_by("at", "pk").last().kind in events, name
        else:
            with pytest.raises(TransitionNotAllowed):
                take(opinion, None)
            assert Opinion.objects.get(pk=opinion.pk).status == status, name


def test_a_session_refuses_each_step_its_state_does_not_allow(demo):
    steps = {
        "postpone": lambda s: services.session_postpone(
            session=s, by=None, new_starts_at=s.starts_at, new_ends_at=s.ends_at, reason="x"
        ),
        "cancel": lambda s: services.session_cancel(session=s, by=None, reason="x"),
        "reschedule": lambda s: services.session_reschedule(session=s, by=None),
        "record": lambda s: services.session_update_record(
            session=s, attendance_residents=1, attendance_cadres=1, minutes_text=""
        ),
        "held": lambda s: services.session_mark_held(
            session=s, by=None, attendance_residents=1, attendance_cadres=1
        ),
    }
    plan = make_plan()
    for status in SessionStatus.values:
        for name, take in steps.items():
            if status in SESSION_WORKFLOW[name].sources:
                continue
            session = make_session(plan=plan, host=unit("Dũng Nghĩa"), status=status)
            with pytest.raises(TransitionNotAllowed):
                take(session)


def test_the_readme_shows_the_workflows_as_declared():
    readme = (settings.BASE_DIR / "README.md").read_text()
    for workflow in (SESSION_WORKFLOW, OPINION_WORKFLOW, REPORT_WORKFLOW):
        table = workflow.as_markdown()
        assert table in readme, f"Paste into the README's Workflows section:\n{table}"
