import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import User
from communes.models import AdministrativeUnit, UnitLevel
from dialogues.coverage import Quarter, plan_coverage, quarters_between
from dialogues.models import Session, SessionStatus

from .factories import at, district, make_plan, make_session, make_target, unit

HELD, PLANNED = SessionStatus.HELD, SessionStatus.PLANNED


def communes():
    return list(AdministrativeUnit.objects.get_children(district()))


def user(username):
    return User.objects.select_related("unit").get(username=username)


@pytest.fixture
def plan_55(board_staff):
    """Plan 55-KH/HU: every commune and town one session in 2019, the district three."""
    plan = make_plan(number="55-KH/HU")
    board_staff.post(
        f"/plans/{plan.pk}/targets/bulk/",
        {"bulk-unit": district().pk, "bulk-level": "commune", "bulk-sessions_required": 1,
         "bulk-period_start": "01/01/2019", "bulk-period_end": "31/12/2019"},
    )  # fmt: skip
    board_staff.post(
        f"/plans/{plan.pk}/targets/",
        {"target-unit": district().pk, "target-level": "district",
         "target-sessions_required": 3, "target-period_start": "01/01/2019",
         "target-period_end": "31/12/2019"},
    )  # fmt: skip
    assert plan.targets.count() == 31
    return plan


@pytest.fixture
def story(plan_55):
    """As in mid-2019: 25 of 30 communes held theirs, and the district held three."""
    units = communes()
    held, missing = units[:25], units[25:]
    for n, host in enumerate(held):
        make_session(plan=plan_55, host=host, day=f"{n % 28 + 1:02}/{n % 6 + 1:02}/2019",
                     status=HELD)  # fmt: skip
    for day, guests in (("10/04/2019", "Dũng Nghĩa"), ("15/05/2019", "Bách Thuận"),
                        ("20/06/2019", "Hòa Bình")):  # fmt: skip
        make_session(plan=plan_55, host=district(), day=day, status=HELD,
                     attending=[unit(guests)])  # fmt: skip
    # None of these count: planned, cancelled, postponed, or under another plan.
    make_session(plan=plan_55, host=missing[0], day="01/09/2019", status=PLANNED)
    make_session(plan=plan_55, host=missing[1], day="02/09/2019", status=SessionStatus.CANCELLED)
    make_session(plan=plan_55, host=missing[2], day="03/09/2019", status=SessionStatus.POSTPONED)
    make_session(plan=plan_55, host=district(), day="04/09/2019", status=PLANNED)
    other = make_plan(number="99-KH/HU")
    make_session(plan=other, host=missing[3], day="05/09/2019", status=HELD)
    return plan_55, missing


def test_coverage_counts_25_of_30_communes_and_3_district_sessions(story):
    plan, missing = story
    coverage = plan_coverage(plan, user=user("bandanvan"))
    communes_ = coverage.level(UnitLevel.COMMUNE)
    assert (communes_.units_covered, communes_.units_with_target) == (25, 30)
    with translation.override("en"):
        assert communes_.headline == "25/30 communes and towns"
        assert coverage.level(UnitLevel.DISTRICT).headline == "3/3 sessions"
    district_ = coverage.level(UnitLevel.DISTRICT)
    assert (district_.sessions_held, district_.sessions_required) == (3, 3)
    assert district_.complete
    assert [u.name for u in communes_.uncovered_units] == [u.name for u in missing]


def test_coverage_page_flags_the_five_uncovered_units(board_staff, story):
    plan, missing = story
    response = board_staff.get(f"/plans/{plan.pk}/coverage/")
    assert response.status_code == 200
    assert response.text.count('class="table-warning"') == 5
    flagged = [row.unit.name for row in response.context["rows"] if not row.covered]
    assert flagged == [u.name for u in missing]
    levels = response.context["coverage"].levels
    assert [(lc.done, lc.total) for lc in levels] == [(3, 3), (25, 30)]
    assert "3/3" in response.text
    assert "25/30" in response.text


def test_coverage_page_can_show_only_the_units_not_yet_covered(board_staff, story):
    plan, missing = story
    response = board_staff.get(f"/plans/{plan.pk}/coverage/", {"missing": "on"})
    assert [row.unit.name for row in response.context["rows"]] == [u.name for u in missing]


def test_coverage_grid_counts_held_and_scheduled_sessions_by_quarter(story):
    plan, missing = story
    coverage = plan_coverage(plan, user=user("bandanvan"))
    with translation.override("en"):
        assert [q.label for q in coverage.quarters] == ["Q1/2019", "Q2/2019", "Q3/2019", "Q4/2019"]
    district_row = coverage.level(UnitLevel.DISTRICT).rows[0]
    assert [(c.held, c.scheduled) for c in district_row.cells] == [(0, 0), (3, 0), (0, 1), (0, 0)]
    rows = {row.unit.pk: row for row in coverage.level(UnitLevel.COMMUNE).rows}
    planned, cancelled, postponed = (rows[u.pk] for u in missing[:3])
    assert [c.scheduled for c in planned.cells] == [0, 0, 1, 0]
    assert sum(c.scheduled + c.held for c in cancelled.cells) == 0
    assert [c.scheduled for c in postponed.cells] == [0, 0, 1, 0]
    assert rows[missing[3].pk].held == 0


def test_coverage_rows_are_in_tree_order(story):
    plan, _ = story
    coverage = plan_coverage(plan, user=user("bandanvan"))
    paths = [row.unit.path for row in coverage.rows]
    assert paths == sorted(paths)
    assert coverage.rows[0].unit == district()


def test_a_session_counts_by_its_date_in_vietnam(board_staff):
    plan = make_plan(start="01/01/2019", end="31/12/2019")
    host = unit("Dũng Nghĩa")
    make_target(plan=plan, unit_=host, level="commune", start=datetime.date(2019, 4, 1))
    # 00:30 on 1/4/2019 in Hà Nội is still 31/3 in UTC.
    Session.objects.create(plan=plan, host_unit=host, topic="Đối thoại sớm", venue="Hội trường",
                           starts_at=at("01/04/2019", 0, 30), ends_at=at("01/04/2019", 3),
                           status=HELD)  # fmt: skip
    row = plan_coverage(plan, user=user("bandanvan")).rows[0]
    assert row.covered
    assert [c.held for c in row.cells] == [0, 1, 0, 0]


def test_sessions_outside_the_targets_period_do_not_count(board_staff):
    plan = make_plan()
    host = unit("Dũng Nghĩa")
    make_target(plan=plan, unit_=host, level="commune",
                start=datetime.date(2019, 7, 1), end=datetime.date(2019, 12, 31))  # fmt: skip
    make_session(plan=plan, host=host, day="15/05/2019", status=HELD)
    row = plan_coverage(plan, user=user("bandanvan")).rows[0]
    assert (row.held, row.covered) == (0, False)
    # The grid still shows the session in its quarter.
    assert [c.held for c in row.cells] == [0, 1, 0, 0]


def test_commune_officer_sees_their_own_communes_coverage_only(officer, story):
    plan, _ = story
    response = officer.get(f"/plans/{plan.pk}/coverage/")
    assert response.status_code == 200
    coverage = response.context["coverage"]
    assert [lc.level for lc in coverage.levels] == [UnitLevel.COMMUNE]
    assert [row.unit.name for row in coverage.rows] == ["Dũng Nghĩa"]


def test_outsider_gets_404_on_another_communes_plan_coverage(outsider):
    plan = make_plan(unit_=unit("Dũng Nghĩa"), number="4-KH/ĐU")
    assert outsider.get(f"/plans/{plan.pk}/coverage/").status_code == 404


def test_responder_is_refused_coverage(responder):
    plan = make_plan()
    assert responder.get(f"/plans/{plan.pk}/coverage/").status_code == 403


def test_plan_without_targets_has_an_empty_coverage(board_staff):
    plan = make_plan()
    response = board_staff.get(f"/plans/{plan.pk}/coverage/")
    assert response.status_code == 200
    assert response.context["coverage"].levels == []


def test_coverage_queries_do_not_depend_on_the_number_of_units(
    board_staff, django_assert_max_num_queries
):
    units = communes()
    staff = user("bandanvan")

    def measure(count):
        plan = make_plan()
        for host in units[:count]:
            make_target(plan=plan, unit_=host, level="commune")
            make_session(plan=plan, host=host, status=HELD)
            make_session(plan=plan, host=host, day="10/10/2019")
        with CaptureQueriesContext(connection) as ctx:
            coverage = plan_coverage(plan, user=staff)
        assert coverage.level(UnitLevel.COMMUNE).units_covered == count
        with django_assert_max_num_queries(12):
            assert board_staff.get(f"/plans/{plan.pk}/coverage/").status_code == 200
        return len(ctx.captured_queries)

    assert measure(5) == measure(30) <= 3


def test_quarters_span_the_plans_period():
    quarters = quarters_between(datetime.date(2018, 9, 26), datetime.date(2019, 12, 31))
    assert [(q.year, q.number) for q in quarters] == [
        (2018, 3), (2018, 4), (2019, 1), (2019, 2), (2019, 3), (2019, 4),
    ]  # fmt: skip
    assert Quarter(2019, 2).start == datetime.date(2019, 4, 1)
    assert Quarter(2019, 4).end == datetime.date(2019, 12, 31)
    assert datetime.date(2019, 6, 30) in Quarter(2019, 2)


def test_the_demo_2019_plan_shows_25_of_30_communes_and_3_district_sessions(full_demo, client):
    from accounts.models import User
    from dialogues.coverage import plan_coverage
    from dialogues.models import Plan

    staff = User.objects.get(username="bandanvan")
    plan = Plan.objects.get(number="55-KH/HU")
    headlines = {level.level: level.headline for level in plan_coverage(plan, user=staff).levels}
    assert headlines["commune"].startswith("25/30")
    assert headlines["district"].startswith("3/3")
    client.force_login(staff)
    page = client.get(f"/plans/{plan.pk}/coverage/")
    assert "25/30" in page.text and "3/3" in page.text
