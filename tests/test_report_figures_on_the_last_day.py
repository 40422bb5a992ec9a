"""A report's figures are what the records said on its period's last day: statuses from the
opinions' timelines, duplicates apart, residents' opinions at higher-level sessions on their own
lines, and shares rounded half up."""

import datetime

import pytest
from django.utils import timezone, translation

from dialogues.models import SessionStatus
from feedback.models import OpinionEvent
from reports.charts import Bar
from reports.document import report_document, share
from reports.figures import Change, half_up, percent, report_figures

from .factories import (
    agency,
    at,
    backdate,
    district,
    make_opinion,
    make_plan,
    make_session,
    make_target,
    unit,
)

D = datetime.date
Q2 = {"start": D(2019, 4, 1), "end": D(2019, 6, 30)}


def figures_for(unit_, **period):
    with translation.override("vi"):
        return report_figures(unit=unit_, **period)


def step_on(opinion, day):
    """Date the opinion's latest timeline entry on `day`."""
    event = opinion.events.order_by("-at", "-pk").first()
    OpinionEvent.objects.filter(pk=event.pk).update(at=at(day, 15))


@pytest.fixture
def session(demo):
    plan = make_plan(number="55-KH/HU")
    return make_session(plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019",
                        status=SessionStatus.HELD)  # fmt: skip


def forwarded(session, deadline, day="16/05/2019"):
    return backdate(make_opinion(session=session, outcome="forwarded", deadline=deadline), day)


def test_an_opinion_resolved_after_the_period_counts_as_awaiting_in_its_report(session):
    on_time = forwarded(session, D(2019, 6, 20))
    later = forwarded(session, D(2019, 6, 20))
    for opinion, day in ((on_time, "10/06/2019"), (later, "05/07/2019")):
        opinion.resolve(answer="Đã giải quyết", document_number="", document_date=None, by=None)
        step_on(opinion, day)

    q2 = figures_for(district(), **Q2)
    statuses = {row.key: row.count for row in q2.by_status}

    assert (q2.forwarded, q2.resolved, q2.resolution_rate) == (2, 1, 50.0)
    assert statuses["resolved"] == 1 and statuses["forwarded"] == 1
    # Today both are resolved: a report of the year, which ends after 05/07, says so.
    year = figures_for(district(), start=D(2019, 1, 1), end=D(2019, 12, 31))
    assert (year.resolved, year.resolution_rate) == (2, 100.0)


def test_the_overdue_list_of_the_last_day_keeps_those_answered_later_with_that_days_agency(
    session,
):
    late = forwarded(session, D(2019, 6, 10))
    first_agency = late.agency
    late.forward_to(agency("KT&HT"), deadline=D(2019, 8, 1), by=None)
    step_on(late, "03/07/2019")
    late.resolve(answer="Đã giải quyết", document_number="", document_date=None, by=None)
    step_on(late, "20/07/2019")
    not_yet_due = forwarded(session, D(2019, 7, 15))

    q2 = figures_for(district(), **Q2)

    assert [(row.pk, row.days_late) for row in q2.overdue] == [(late.pk, 20)]
    row = q2.overdue[0]
    assert (row.agency, row.deadline) == (first_agency.name, D(2019, 6, 10))
    assert not_yet_due.pk not in [row.pk for row in q2.overdue]
    assert late.pk not in [r.pk for r in figures_for(district(), start=D(2019, 1, 1),
                                                     end=D(2019, 12, 31)).overdue]  # fmt: skip


def test_what_was_answered_at_the_session_counts_even_if_typed_in_after_the_period(session):
    # Typed in today (2026) from the session's minutes: answered at the session all the same.
    make_opinion(session=session, outcome="answered")
    make_opinion(session=session)
    q2 = figures_for(district(), **Q2)
    assert (q2.opinions, q2.answered, q2.answered_percent) == (2, 1, 50.0)


def test_duplicates_are_counted_apart_not_in_totals_or_rates(session):
    original = make_opinion(session=session, outcome="answered")
    make_opinion(session=session)
    duplicate = backdate(make_opinion(session=session), "15/05/2019")
    duplicate.mark_duplicate(of=original, by=None)
    step_on(duplicate, "20/05/2019")
    marked_later = backdate(make_opinion(session=session), "15/05/2019")
    marked_later.mark_duplicate(of=original, by=None)
    step_on(marked_later, "02/07/2019")

    q2 = figures_for(district(), **Q2)

    # Marked after 30/06: still a new opinion in Q2's report.
    assert (q2.opinions, q2.duplicates) == (3, 1)
    assert (q2.answered, q2.answered_percent) == (1, 33.3)
    assert "duplicate" not in [row.key for row in q2.by_status]
    assert sum(row.count for row in q2.by_status) == sum(row.count for row in q2.by_field) == 3
    year = figures_for(district(), start=D(2019, 1, 1), end=D(2019, 12, 31))
    assert (year.opinions, year.duplicates, year.answered_percent) == (2, 2, 50.0)


def test_a_communes_report_adds_what_its_residents_raised_at_district_sessions(session):
    dung_nghia = unit("Dũng Nghĩa")
    make_opinion(session=session, outcome="answered")
    district_session = make_session(
        plan=session.plan, host=district(), day="20/06/2019", status=SessionStatus.HELD,
        attending=[dung_nghia, unit("Bách Thuận")],
    )  # fmt: skip
    for outcome in ("answered", "answered", "forwarded"):
        made = make_opinion(session=district_session, outcome=outcome, unit=dung_nghia)
    backdate(made, "21/06/2019")
    make_opinion(session=district_session, unit=unit("Bách Thuận"))
    # Another quarter's district session: not in Q2.
    other = make_session(plan=session.plan, host=district(), day="20/08/2019",
                         status=SessionStatus.HELD, attending=[dung_nghia])  # fmt: skip
    make_opinion(session=other, unit=dung_nghia)

    commune = figures_for(dung_nghia, **Q2)

    assert commune.opinions == 1  # its own session's, as before
    above = commune.raised_above
    assert (above.sessions, above.opinions) == (1, 3)
    assert (above.tallies.answered, above.tallies.forwarded) == (2, 1)
    # The district's report already counts its own sessions: nothing is added twice.
    whole = figures_for(district(), **Q2)
    assert whole.raised_above is None and whole.opinions == 5


def test_the_home_page_figures_are_the_reports_as_of_today(board_staff, demo):
    today = timezone.localdate()
    start = D(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    plan = make_plan(start=start.strftime("%d/%m/%Y"), end=f"31/12/{today.year}")
    held = make_session(plan=plan, host=unit("Dũng Nghĩa"), day=start, status=SessionStatus.HELD)
    make_opinion(session=held, outcome="answered")
    resolved = make_opinion(session=held, outcome="forwarded", deadline=today)
    resolved.resolve(answer="Đã giải quyết", document_number="", document_date=None, by=None)
    original = make_opinion(session=held)
    make_opinion(session=held).mark_duplicate(of=original, by=None)

    shown = board_staff.get("/").context["figures"]
    end = D(today.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    report = report_figures(unit=district(), start=start, end=end - datetime.timedelta(days=1))

    assert shown.opinions == report.opinions == 3
    assert shown.answered_percent == report.answered_percent == 33.3
    assert {t.key: t.count for t in shown.by_status} == {t.key: t.count for t in report.by_status}
    assert {t.key: t.count for t in shown.by_status}["resolved"] == 1


# --- half-up rounding ----------------------------------------------------------------------------


def test_shares_exactly_halfway_round_up_as_vietnamese_reports_do():
    assert percent(1, 16) == 6.3  # 6,25 %
    assert percent(3, 8) == 37.5
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.7
    assert percent(0, 5) == 0.0 and percent(1, 0) is None
    assert half_up(0.05) == 0.1 and half_up(-0.25) == -0.3
    with translation.override("vi"):
        assert share(percent(1, 16)) == "6,3"
        assert share(6.25) == "6,3"
        assert Bar("Đất đai", 1, percent(1, 16)).value_text == "1 (6,3%)"


def test_a_change_of_shares_rounds_half_up_in_percentage_points():
    assert Change("x", 6.3, 2.05, is_percent=True).delta == 4.3  # 4,25 points
    assert Change("x", 80.0, 76.9, is_percent=True).delta == 3.1
    # Counts stay whole numbers: "+31", not "+31,0".
    change = Change("x", 31, 0, is_percent=False)
    assert change.delta == 31 and isinstance(change.delta, int)


def document_text(unit_, *, start, end):
    from reports.models import PeriodKind
    from reports.pdf import letterhead_for

    from .test_report_pdf import report_of

    report = report_of(unit_, kind=PeriodKind.QUARTER, year=start.year, quarter=2, start=start,
                       end=end, report_date=end)  # fmt: skip
    with translation.override("vi"):
        document = report_document(report=report, letterhead=letterhead_for(unit_))
    lines = []
    for block in document.blocks:
        lines.append(block.text)
        lines += ["".join(run.text for run in item) for item in block.items]
        if block.table:
            lines += [" | ".join(row) for row in block.table.rows]
    return "\n".join(lines)


def test_the_commune_report_prints_duplicates_higher_level_opinions_and_coverage_in_words(session):
    dung_nghia = unit("Dũng Nghĩa")
    original = make_opinion(session=session, outcome="answered")
    backdate(make_opinion(session=session), "15/05/2019").mark_duplicate(of=original, by=None)
    step_on(original.duplicates.get(), "16/05/2019")
    make_target(plan=session.plan, unit_=dung_nghia, level="commune")
    above = make_session(plan=session.plan, host=district(), day="20/06/2019",
                         status=SessionStatus.HELD, attending=[dung_nghia])  # fmt: skip
    make_opinion(session=above, outcome="answered", unit=dung_nghia)
    make_opinion(session=above, unit=dung_nghia)

    text = document_text(dung_nghia, **Q2)

    assert "1 ý kiến trùng lặp, không tính." in text
    assert "Nhân dân xã Dũng Nghĩa đã nêu 2 ý kiến, kiến nghị" in text
    assert "1/1 xã, thị trấn (từ đầu kỳ kế hoạch)" in text
