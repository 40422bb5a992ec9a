import datetime
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from communes.models import UnitLevel
from dialogues.models import Session, SessionStatus
from feedback.models import AWAITING_AGENCY, Field, Opinion, OpinionEvent, OpinionStatus
from reports.figures import report_figures
from reports.models import PeriodKind
from reports.periods import period_bounds, period_kind_of, period_label, previous_period

from .factories import backdate, district, make_opinion, make_plan, make_session, make_target, unit

D = datetime.date
YEAR_2019 = {"start": D(2019, 1, 1), "end": D(2019, 12, 31)}


def figures_for(unit_, **period):
    with translation.override("vi"):
        return report_figures(unit=unit_, **period)


def opinions_2019_of_the_district():
    """Counted here with plain ORM queries, independently of report_figures."""
    return Opinion.objects.filter(
        session__status=SessionStatus.HELD,
        session__starts_at__year=2019,
        session__host_unit__path__startswith=district().path,
    )


# --- the demo's 2019 -----------------------------------------------------------------------------


def test_demo_2019_has_three_district_sessions_and_25_of_30_communes(full_demo):
    figures = figures_for(district(), **YEAR_2019)
    by_level = {row.level: row.count for row in figures.sessions_by_level}
    assert by_level == {UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 25}
    coverage = {line.level: line for line in figures.coverage}
    assert coverage[UnitLevel.COMMUNE].headline == "25/30 xã, thị trấn"
    assert coverage[UnitLevel.DISTRICT].headline == "3/3 cuộc"
    assert set(coverage[UnitLevel.COMMUNE].uncovered) == {
        "Minh Lãng", "Song An", "Tân Phong", "Vũ Vân", "Xuân Hòa",
    }  # fmt: skip


def states_on(opinions, day):
    """{opinion pk: (status, agency id, deadline)} at the end of `day`, read from each timeline
    in Python, independently of report_figures: the last entry recorded that day or before (the
    recording and the answer at the session count whenever they were typed in)."""
    states = {}
    events = OpinionEvent.objects.filter(opinion__in=opinions).order_by("opinion", "at", "pk")
    for event in events:
        on_time = timezone.localtime(event.at).date() <= day
        if on_time or event.kind in ("recorded", "answered"):
            states[event.opinion_id] = (event.to_status, event.agency_id, event.deadline)
    return states


def test_demo_2019_opinions_by_field_and_status_match_a_count_of_the_records(full_demo):
    figures = figures_for(district(), **YEAR_2019)
    opinions = opinions_2019_of_the_district()
    states = states_on(opinions, D(2019, 12, 31))
    fields = Counter(opinions.values_list("field__name", flat=True))
    statuses = Counter(status for status, _, _ in states.values())

    assert figures.opinions == opinions.count() > 900
    assert {row.label: row.count for row in figures.by_field} == {
        name: fields.get(name, 0)
        for name in Field.objects.filter(is_active=True).values_list("name", flat=True)
    }
    assert [row.key for row in figures.by_status] == [
        status for status in OpinionStatus.values if status != "duplicate"
    ]
    assert {row.key: row.count for row in figures.by_status} == {
        status: statuses.get(status, 0) for status in OpinionStatus.values if status != "duplicate"
    }


def test_demo_2019_answered_share_and_resolution_rate_are_recomputed_from_the_timelines(
    full_demo,
):
    figures = figures_for(district(), **YEAR_2019)
    states = states_on(opinions_2019_of_the_district(), D(2019, 12, 31))
    answered = sum(status == OpinionStatus.ANSWERED for status, _, _ in states.values())
    forwarded = [status for status, agency, _ in states.values() if agency is not None]
    resolved = forwarded.count(OpinionStatus.RESOLVED)

    assert figures.answered == answered
    assert figures.answered_percent == round(100 * answered / len(states), 1)
    assert figures.forwarded == len(forwarded)
    assert figures.resolved == resolved
    assert figures.resolution_rate == round(100 * resolved / len(forwarded), 1)


def test_demo_2019_q2_counts_the_resolved_of_30_06_2019_not_of_today(full_demo):
    """The issue's numbers: today's statuses say 360 resolved (80,0%), the timelines 346."""
    figures = figures_for(district(), start=D(2019, 4, 1), end=D(2019, 6, 30))
    opinions = Opinion.objects.filter(session_id__in=[row.pk for row in figures.sessions])
    states = states_on(opinions, D(2019, 6, 30))
    resolved_then = [s for s, agency, _ in states.values() if agency and s == "resolved"]
    resolved_today = opinions.exclude(agency=None).filter(status="resolved").count()

    assert (figures.forwarded, figures.resolved, figures.resolution_rate) == (450, 346, 76.9)
    assert figures.resolved == len(resolved_then) < resolved_today == 360


def test_demo_2019_session_list_is_the_sessions_counted(full_demo):
    figures = figures_for(district(), **YEAR_2019)
    held = Session.objects.filter(
        status=SessionStatus.HELD, starts_at__year=2019, host_unit__path__startswith=district().path
    )
    assert [row.pk for row in figures.sessions] == list(
        held.order_by("starts_at", "pk").values_list("pk", flat=True)
    )
    assert sum(row.opinions for row in figures.sessions) == figures.opinions
    assert sum(row.count for row in figures.by_field) == figures.opinions


def test_demo_2019_overdue_list_holds_what_awaited_an_agency_past_its_deadline_that_day(
    full_demo,
):
    figures = figures_for(district(), **YEAR_2019)
    states = states_on(opinions_2019_of_the_district(), D(2019, 12, 31))
    expected = [
        pk
        for pk, (status, _, deadline) in states.items()
        if status in AWAITING_AGENCY and deadline < D(2019, 12, 31)
    ]
    assert figures.as_of == D(2019, 12, 31)
    assert sorted(row.pk for row in figures.overdue) == sorted(expected)
    for row in figures.overdue:
        assert row.days_late == (D(2019, 12, 31) - row.deadline).days > 0
        assert len(row.content) <= 120


# --- small, exact cases --------------------------------------------------------------------------


@pytest.fixture
def plan(demo):
    return make_plan(number="55-KH/HU")


def test_only_held_sessions_in_the_period_and_the_units_subtree_count(plan):
    dung_nghia = unit("Dũng Nghĩa")
    counted = make_session(plan=plan, host=dung_nghia, day="15/05/2019", status=SessionStatus.HELD)
    make_session(plan=plan, host=dung_nghia, day="16/05/2019")  # planned
    make_session(plan=plan, host=dung_nghia, day="15/07/2019", status=SessionStatus.HELD)
    make_session(plan=plan, host=unit("Bách Thuận"), day="15/05/2019", status=SessionStatus.HELD)

    figures = figures_for(dung_nghia, start=D(2019, 4, 1), end=D(2019, 6, 30))

    assert [row.pk for row in figures.sessions] == [counted.pk]
    assert {row.level: row.count for row in figures.sessions_by_level} == {UnitLevel.COMMUNE: 1}


def test_session_list_names_the_chairs_with_their_positions(plan):
    session = make_session(
        plan=plan, host=unit("Dũng Nghĩa"), status=SessionStatus.HELD,
        attendance_residents=120, attendance_cadres=30,
    )  # fmt: skip
    make_opinion(session=session)
    row = figures_for(district(), start=D(2019, 4, 1), end=D(2019, 6, 30)).sessions[0]
    chairs = [f"{c.person.full_name} ({c.position.name})" for c in session.chairs.all()]
    assert chairs and sorted(row.chairs) == sorted(chairs)
    assert (row.residents, row.cadres, row.opinions) == (120, 30, 1)
    assert row.day == D(2019, 5, 15)


def test_a_target_counts_sessions_from_the_start_of_its_period_up_to_the_reports_end(plan):
    dung_nghia, bach_thuan, hiep_hoa = unit("Dũng Nghĩa"), unit("Bách Thuận"), unit("Hiệp Hòa")
    for commune in (dung_nghia, bach_thuan, hiep_hoa):
        make_target(plan=plan, unit_=commune, level=UnitLevel.COMMUNE)
    # Dũng Nghĩa held its yearly session in the first quarter: not "chưa tổ chức" in Q2.
    make_session(plan=plan, host=dung_nghia, day="15/03/2019", status=SessionStatus.HELD)
    make_session(plan=plan, host=bach_thuan, day="15/05/2019", status=SessionStatus.HELD)
    # After the report's end: not yet held as of 30/06.
    make_session(plan=plan, host=hiep_hoa, day="15/08/2019", status=SessionStatus.HELD)

    q1 = figures_for(district(), start=D(2019, 1, 1), end=D(2019, 3, 31)).coverage
    q2 = figures_for(district(), start=D(2019, 4, 1), end=D(2019, 6, 30)).coverage
    year = figures_for(district(), **YEAR_2019).coverage

    assert [(line.done, line.total) for line in q1] == [(1, 3)]
    assert [(line.done, line.total, line.uncovered) for line in q2] == [(2, 3, ("Hiệp Hòa",))]
    assert [(line.done, line.total) for line in year] == [(3, 3)]


def test_district_coverage_counts_sessions_held_against_sessions_required(plan):
    make_target(plan=plan, unit_=district(), level=UnitLevel.DISTRICT, required=3)
    for day in ("12/04/2019", "17/05/2019"):
        make_session(plan=plan, host=district(), day=day, status=SessionStatus.HELD,
                     attending=[unit("Dũng Nghĩa")])  # fmt: skip
    line = figures_for(district(), **YEAR_2019).coverage[0]
    assert (line.level, line.done, line.total, line.headline) == (
        UnitLevel.DISTRICT, 2, 3, "2/3 cuộc",
    )  # fmt: skip


def test_no_target_in_the_period_gives_no_coverage(plan):
    make_target(plan=plan, unit_=unit("Dũng Nghĩa"), level=UnitLevel.COMMUNE,
                start=D(2019, 1, 1), end=D(2019, 3, 31))  # fmt: skip
    assert figures_for(district(), start=D(2019, 4, 1), end=D(2019, 6, 30)).coverage == ()


def test_opinion_figures_of_a_small_quarter(plan):
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)
    make_opinion(session=session, outcome="answered")
    make_opinion(session=session, outcome="answered", field_name="Môi trường")
    make_opinion(session=session)  # still new
    late = make_opinion(session=session, outcome="forwarded", deadline=D(2019, 5, 20))
    resolved = make_opinion(session=session, outcome="forwarded", deadline=D(2019, 6, 30))
    resolved.resolve(answer="Đã cấp giấy chứng nhận", document_number="12/UBND",
                     document_date=D(2019, 6, 1), by=None)  # fmt: skip
    backdate(late, "16/05/2019")
    backdate(resolved, "01/06/2019")

    figures = figures_for(district(), start=D(2019, 4, 1), end=D(2019, 6, 30))

    assert figures.opinions == 5
    assert (figures.answered, figures.answered_percent) == (2, 40.0)
    assert (figures.forwarded, figures.resolved, figures.resolution_rate) == (2, 1, 50.0)
    by_field = {row.label: row.count for row in figures.by_field}
    assert by_field["Đất đai"] == 4 and by_field["Môi trường"] == 1 and by_field["Giao thông"] == 0
    by_status = {row.key: row.count for row in figures.by_status}
    assert by_status == {"new": 1, "answered": 2, "forwarded": 1, "in_progress": 0,
                         "resolved": 1, "unresolvable": 0}  # fmt: skip
    assert [(row.pk, row.days_late) for row in figures.overdue] == [(late.pk, 41)]
    assert figures.overdue[0].agency == late.agency.name


def test_overdue_is_judged_on_today_when_the_period_is_not_over(plan):
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)
    for deadline in (D(2019, 5, 20), D(2019, 6, 10)):
        backdate(
            make_opinion(session=session, outcome="forwarded", deadline=deadline), "16/05/2019"
        )
    with translation.override("vi"):
        figures = report_figures(
            unit=district(), start=D(2019, 4, 1), end=D(2019, 6, 30), today=D(2019, 6, 1)
        )
    assert figures.as_of == D(2019, 6, 1)
    assert [row.days_late for row in figures.overdue] == [12]


def test_retired_field_still_counts_when_opinions_use_it(plan):
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)
    make_opinion(session=session, field_name="Khác")
    Field.objects.filter(name="Khác").update(is_active=False)
    Field.objects.filter(name="Y tế").update(is_active=False)
    labels = [row.label for row in figures_for(district(), **YEAR_2019).by_field]
    assert "Khác" in labels and "Y tế" not in labels


def test_no_session_gives_zeros_and_no_shares(plan):
    figures = figures_for(district(), **YEAR_2019)
    assert (figures.sessions_held, figures.opinions) == (0, 0)
    assert figures.answered_percent is None and figures.resolution_rate is None
    assert all(row.count == 0 and row.percent is None for row in figures.by_field)


def test_previous_period_headline_and_change(plan):
    dung_nghia = unit("Dũng Nghĩa")
    first = make_session(plan=plan, host=dung_nghia, day="15/02/2019", status=SessionStatus.HELD)
    make_opinion(session=first, outcome="answered")
    make_opinion(session=first)
    for day in ("15/04/2019", "15/05/2019"):
        session = make_session(plan=plan, host=dung_nghia, day=day, status=SessionStatus.HELD)
        make_opinion(session=session, outcome="answered")

    figures = figures_for(district(), start=D(2019, 4, 1), end=D(2019, 6, 30))

    previous = figures.previous
    assert (previous.start, previous.end) == (D(2019, 1, 1), D(2019, 3, 31))
    assert (previous.headline.sessions, previous.headline.opinions) == (1, 2)
    assert previous.headline.answered_percent == 50.0
    assert [(c.current, c.previous, c.delta) for c in previous.changes[:3]] == [
        (2, 1, 1), (2, 2, 0), (100.0, 50.0, 50.0),
    ]  # fmt: skip
    # Nothing was forwarded in either quarter: there is no resolution rate to compare.
    assert previous.changes[3].delta is None


def test_report_figures_queries_do_not_depend_on_the_number_of_sessions(plan):
    communes = list(district().subtree().exclude(pk=district().pk))

    def add_sessions(first, count):
        for index in range(first, first + count):
            commune = communes[index % len(communes)]
            # Targets of different periods: one more target row with each session.
            end = D(2019, 1, 1) + datetime.timedelta(days=index)
            make_target(
                plan=plan, unit_=commune, level=UnitLevel.COMMUNE, start=D(2019, 1, 1), end=end
            )
            session = make_session(
                plan=plan, host=commune, day=f"{1 + index % 28:02d}/05/2019",
                status=SessionStatus.HELD,
            )  # fmt: skip
            make_opinion(session=session, outcome="answered")
            forwarded = make_opinion(session=session, outcome="forwarded", deadline=D(2019, 6, 1))
            backdate(forwarded, "02/05/2019")

    def measure():
        with CaptureQueriesContext(connection) as queries:
            figures_for(district(), start=D(2019, 4, 1), end=D(2019, 6, 30))
        return len(queries)

    add_sessions(0, 5)
    with_five = measure()
    add_sessions(5, 25)
    assert figures_for(district(), start=D(2019, 4, 1), end=D(2019, 6, 30)).sessions_held == 30
    assert measure() == with_five


# --- periods -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "options", "bounds"),
    [
        (PeriodKind.MONTH, {"year": 2026, "month": 10}, (D(2026, 10, 1), D(2026, 10, 31))),
        (PeriodKind.MONTH, {"year": 2024, "month": 2}, (D(2024, 2, 1), D(2024, 2, 29))),
        (PeriodKind.MONTH, {"year": 2026, "month": 2}, (D(2026, 2, 1), D(2026, 2, 28))),
        (PeriodKind.MONTH, {"year": 2026, "month": 12}, (D(2026, 12, 1), D(2026, 12, 31))),
        (PeriodKind.QUARTER, {"year": 2019, "quarter": 1}, (D(2019, 1, 1), D(2019, 3, 31))),
        (PeriodKind.QUARTER, {"year": 2019, "quarter": 2}, (D(2019, 4, 1), D(2019, 6, 30))),
        (PeriodKind.QUARTER, {"year": 2019, "quarter": 3}, (D(2019, 7, 1), D(2019, 9, 30))),
        (PeriodKind.QUARTER, {"year": 2019, "quarter": 4}, (D(2019, 10, 1), D(2019, 12, 31))),
        (PeriodKind.SIX_MONTHS, {"year": 2019}, (D(2019, 1, 1), D(2019, 6, 30))),
        (PeriodKind.NINE_MONTHS, {"year": 2019}, (D(2019, 1, 1), D(2019, 9, 30))),
        (PeriodKind.YEAR, {"year": 2019}, (D(2019, 1, 1), D(2019, 12, 31))),
        (PeriodKind.CUSTOM, {"start": D(2019, 4, 1), "end": D(2019, 4, 1)},
         (D(2019, 4, 1), D(2019, 4, 1))),
    ],
)  # fmt: skip
def test_period_bounds_of_every_kind(kind, options, bounds):
    assert period_bounds(kind, **options) == bounds
    assert period_kind_of(*bounds) == kind


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        (PeriodKind.CUSTOM, {"start": D(2019, 6, 30), "end": D(2019, 4, 1)}),
        (PeriodKind.CUSTOM, {"start": D(2019, 6, 30)}),
        (PeriodKind.QUARTER, {"year": 2019, "quarter": 5}),
        (PeriodKind.MONTH, {"year": 2019, "month": 13}),
        (PeriodKind.MONTH, {"year": 2019, "month": 0}),
        (PeriodKind.MONTH, {"year": 2019}),
        (PeriodKind.MONTH, {"month": 10}),
        (PeriodKind.QUARTER, {"year": 2019}),
        (PeriodKind.YEAR, {}),
        ("fortnight", {"year": 2019}),
    ],
)
def test_period_that_makes_no_sense_is_refused(kind, options):
    with pytest.raises(ValidationError):
        period_bounds(kind, **options)


@pytest.mark.parametrize(
    ("start", "end", "kind", "previous"),
    [
        # A month: the same month a year earlier (29 February's month too).
        (D(2026, 10, 1), D(2026, 10, 31), PeriodKind.MONTH, (D(2025, 10, 1), D(2025, 10, 31))),
        (D(2025, 2, 1), D(2025, 2, 28), PeriodKind.MONTH, (D(2024, 2, 1), D(2024, 2, 29))),
        (D(2019, 4, 1), D(2019, 6, 30), PeriodKind.QUARTER, (D(2019, 1, 1), D(2019, 3, 31))),
        (D(2019, 1, 1), D(2019, 3, 31), PeriodKind.QUARTER, (D(2018, 10, 1), D(2018, 12, 31))),
        (D(2019, 1, 1), D(2019, 6, 30), PeriodKind.SIX_MONTHS, (D(2018, 1, 1), D(2018, 6, 30))),
        (D(2019, 1, 1), D(2019, 9, 30), PeriodKind.NINE_MONTHS, (D(2018, 1, 1), D(2018, 9, 30))),
        (D(2019, 1, 1), D(2019, 12, 31), PeriodKind.YEAR, (D(2018, 1, 1), D(2018, 12, 31))),
        (D(2019, 5, 11), D(2019, 5, 20), PeriodKind.CUSTOM, (D(2019, 5, 1), D(2019, 5, 10))),
    ],
)  # fmt: skip
def test_previous_period(start, end, kind, previous):
    assert previous_period(start, end, kind) == previous


def test_period_labels_name_every_kind():
    with translation.override("en"):
        assert period_label(PeriodKind.QUARTER, 2019, 2) == "quarter II of 2019"
        assert period_label(PeriodKind.SIX_MONTHS, 2019) == "the first 6 months of 2019"
        assert period_label(PeriodKind.NINE_MONTHS, 2019) == "the first 9 months of 2019"
        assert period_label(PeriodKind.YEAR, 2019) == "the year 2019"
        assert period_label(PeriodKind.MONTH, start=D(2026, 10, 1)) == "month 10 of 2026"
        custom = period_label(PeriodKind.CUSTOM, start=D(2019, 4, 1), end=D(2019, 6, 30))
        assert custom == "from 01/04/2019 to 30/06/2019"


def test_period_labels_read_as_party_reports_write_them():
    with translation.override("vi"):
        assert period_label(PeriodKind.QUARTER, 2019, 2) == "quý II năm 2019"
        assert period_label(PeriodKind.QUARTER, start=D(2019, 10, 1)) == "quý IV năm 2019"
        assert period_label(PeriodKind.SIX_MONTHS, 2019) == "6 tháng đầu năm 2019"
        assert period_label(PeriodKind.NINE_MONTHS, 2019) == "9 tháng đầu năm 2019"
        assert period_label(PeriodKind.YEAR, 2019) == "năm 2019"
        assert period_label(PeriodKind.MONTH, 2026, start=D(2026, 10, 1)) == "tháng 10 năm 2026"
        assert period_label(PeriodKind.MONTH, start=D(2026, 1, 1)) == "tháng 1 năm 2026"
        custom = period_label(PeriodKind.CUSTOM, start=D(2019, 4, 1), end=D(2019, 6, 30))
        assert custom == "từ 01/04/2019 đến 30/06/2019"
