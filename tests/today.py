"""Today's world for the compliance tests: Hưng Yên's new communes with their office holders,
the users of today, the rules of 2025 and a plan of 2026–2027 to hang sessions on."""

import random

import pytest

from accounts.demo import load_after_reform
from communes.demo import REFORM_DAY, load_office_holders
from communes.models import AdministrativeUnit
from dialogues.models import SessionKind, SessionStatus
from obligations.services import obligations_load

from .factories import make_plan, make_session
from .reform import HUNG_YEN, apply_reform, by_code


@pytest.fixture(name="world")
def world_fixture(demo):
    apply_reform()
    successors = AdministrativeUnit.objects.filter(predecessions__isnull=False).distinct()
    load_office_holders(list(successors.order_by("path")), random.Random(1), start=REFORM_DAY)
    load_after_reform()
    obligations_load()
    plan = make_plan(
        unit_=by_code(HUNG_YEN), number="25-KH/TU", start="01/01/2026", end="31/12/2027",
        issuing_body="Ban Thường vụ Tỉnh ủy",
    )  # fmt: skip
    return plan


def reception(plan, host, day, **fields):
    return make_session(
        plan=plan, host=host, day=day, kind=SessionKind.RECEPTION, status=SessionStatus.HELD,
        **fields,
    )  # fmt: skip


def dialogue(plan, host, day, **fields):
    fields.setdefault("status", SessionStatus.HELD)
    return make_session(plan=plan, host=host, day=day, kind=SessionKind.DIALOGUE, **fields)
