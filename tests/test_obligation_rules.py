"""The rules in force are data: the deadlines of a session and an opinion come from them."""

import datetime

import pytest

from dialogues.models import SessionKind, SessionStatus
from feedback.models import Holiday
from obligations.models import Measure, Obligation
from obligations.rules import RuleBook
from obligations.services import obligations_load

from .factories import make_opinion, make_plan, make_session
from .reform import XA_VU_THU, apply_reform, by_code

D = datetime.date


@pytest.fixture
def today_world(demo):
    apply_reform()
    obligations_load()
    return by_code(XA_VU_THU)


def dialogue(commune, day="10/03/2026", **fields):
    plan = make_plan(
        unit_=commune, number="01-KH/ĐU", start="01/01/2026", end="31/12/2026",
        issuing_body="Đảng ủy xã",
    )  # fmt: skip
    return make_session(
        plan=plan, host=commune, day=day, kind=SessionKind.DIALOGUE, status=SessionStatus.HELD,
        **fields,
    )  # fmt: skip


def test_loading_the_rules_twice_adds_them_once(today_world):
    assert Obligation.objects.count() == 7
    assert obligations_load() == 0
    assert Obligation.objects.count() == 7


def test_a_dialogue_is_announced_7_days_before_and_its_results_public_within_10(today_world):
    session = dialogue(today_world, day="10/03/2026")
    book = RuleBook.load(D(2026, 3, 1))
    assert book.announce_by(session) == D(2026, 3, 3)
    assert book.publish_by(session) == D(2026, 3, 20)


def test_an_authors_deadline_counts_working_days_and_the_holiday_list(today_world):
    # Tuesday 10/03/2026 + 10 working days = Tuesday 24/03; a holiday on 16/03 moves it a day.
    session = dialogue(today_world, day="10/03/2026")
    opinion = make_opinion(session=session)
    assert RuleBook.load(D(2026, 3, 10)).acknowledge_by(opinion) == D(2026, 3, 24)
    Holiday.objects.create(day=D(2026, 3, 16), name="Ngày nghỉ thử")
    assert RuleBook.load(D(2026, 3, 10)).acknowledge_by(opinion) == D(2026, 3, 25)


def test_a_make_up_working_saturday_counts_towards_an_authors_deadline(today_world):
    session = dialogue(today_world, day="10/03/2026")
    opinion = make_opinion(session=session)
    Holiday.objects.create(day=D(2026, 3, 14), name="Làm bù", is_working_day=True)
    assert RuleBook.load(D(2026, 3, 10)).acknowledge_by(opinion) == D(2026, 3, 23)


def test_changing_a_number_in_the_admin_changes_the_deadline(today_world, client):
    session = dialogue(today_world, day="10/03/2026")
    rule = Obligation.objects.get(measure=Measure.PUBLISH_AFTER)
    rule.number = 5
    rule.save()
    assert RuleBook.load(D(2026, 3, 1)).publish_by(session) == D(2026, 3, 15)


def test_a_rule_not_yet_in_force_sets_no_deadline(today_world):
    # Kết luận 215 is of 23/11/2025: a reception in October 2025 had no 10-working-day rule.
    session = dialogue(today_world, day="10/10/2025")
    opinion = make_opinion(session=session)
    assert RuleBook.load(D(2026, 3, 10)).acknowledge_by(opinion) is None
