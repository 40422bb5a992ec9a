"""The steps that meet the deadlines, taken by two people at the same instant (PostgreSQL only,
like tests/test_races.py): one record of the day results were made public, and each author
told once however many bulk records run together."""

from functools import partial

import pytest

from config.history import history_count
from dialogues.models import SessionStatus
from feedback.models import EventKind, OpinionEvent

from .factories import make_opinion, make_plan, make_session, unit
from .test_races import STALE_SESSION, _postgres_only, client_for, one_won, race  # noqa: F401

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = 5


def test_of_two_records_of_the_results_made_public_at_once_one_is_saved(demo):
    officer, staff = client_for("dungnghia"), client_for("bandanvan")
    plan, host = make_plan(), unit("Dũng Nghĩa")
    for _round in range(ROUNDS):
        session = make_session(plan=plan, host=host, day="15/05/2019", status=SessionStatus.HELD)
        url, seen = f"/sessions/{session.pk}/publish/", history_count(session)
        responses = race(
            partial(officer.post, url, {"day": "20/05/2019", "seen": seen}),
            partial(staff.post, url, {"day": "22/05/2019", "seen": seen}),
        )
        winner = one_won(responses, STALE_SESSION)
        session.refresh_from_db()
        assert session.results_published_on.day == (20, 22)[winner]
        assert history_count(session) == seen + 1


def test_two_bulk_records_of_authors_told_at_once_tell_each_author_once(demo):
    officer, staff = client_for("dungnghia"), client_for("bandanvan")
    plan, host = make_plan(), unit("Dũng Nghĩa")
    for _round in range(ROUNDS):
        session = make_session(plan=plan, host=host, day="15/05/2019", status=SessionStatus.HELD)
        opinions = [make_opinion(session=session, content=f"Ý kiến {n}") for n in range(5)]
        url = f"/sessions/{session.pk}/opinions/acknowledge/"
        responses = race(
            partial(officer.post, url, {"day": "20/05/2019"}),
            partial(staff.post, url, {"day": "22/05/2019"}),
        )
        assert [response.status_code for response in responses] == [302, 302]
        told = OpinionEvent.objects.filter(opinion__in=opinions, kind=EventKind.ACKNOWLEDGED)
        assert sorted(told.values_list("opinion_id", flat=True)) == sorted(o.pk for o in opinions)
        days = {opinion.pk: None for opinion in opinions}
        for opinion in opinions:
            opinion.refresh_from_db()
            days[opinion.pk] = opinion.acknowledged_on.day
        # One of the two took them all (rows locked in one order); never a mix of both lists.
        assert len(set(days.values())) == 1
