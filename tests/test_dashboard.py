"""The home page shows, for the user's scope, the figures the quarterly report would print."""

import datetime

from django.utils import timezone

from dialogues.models import SessionStatus
from reports.figures import report_figures
from reports.periods import quarter_bounds

from .factories import district, make_opinion, make_plan, make_session, make_target, unit


def this_quarter():
    today = timezone.localdate()
    return quarter_bounds(today.year, (today.month - 1) // 3 + 1)


def test_home_shows_this_quarters_figures_as_the_report_computes_them(board_staff, demo):
    start, end = this_quarter()
    plan = make_plan(start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"))
    make_target(plan=plan, unit_=unit("Dũng Nghĩa"), level="commune")
    held = make_session(plan=plan, host=unit("Dũng Nghĩa"), day=start, status=SessionStatus.HELD)
    make_opinion(session=held, outcome="answered")
    make_opinion(session=held, outcome="forwarded")
    response = board_staff.get("/")
    shown = response.context["figures"]
    expected = report_figures(unit=district(), start=start, end=end)
    assert shown.sessions_held == expected.sessions_held == 1
    assert shown.opinions == expected.opinions == 2
    assert shown.answered_percent == expected.answered_percent == 50.0
    assert "<svg" in str(response.context["field_chart"])
    assert "<svg" in str(response.context["status_chart"])
    assert response.context["coverage"].plan == plan


def test_home_lists_upcoming_sessions_and_urgent_opinions_in_scope(officer, outsider, demo):
    today = timezone.localdate()
    plan = make_plan(start=f"01/01/{today.year}", end=f"31/12/{today.year + 1}")
    soon = make_session(plan=plan, host=unit("Dũng Nghĩa"), day=today + datetime.timedelta(days=2))
    held = make_session(
        plan=plan, host=unit("Dũng Nghĩa"), day=f"02/01/{today.year}", status=SessionStatus.HELD
    )
    late = make_opinion(session=held, outcome="forwarded", deadline=datetime.date(today.year, 1, 3))
    due = make_opinion(
        session=held, outcome="forwarded", deadline=today + datetime.timedelta(days=1)
    )
    page = officer.get("/")
    assert list(page.context["upcoming"]) == [soon]
    assert list(page.context["overdue"]) == [late]
    assert list(page.context["due_soon"]) == [due]
    other = outsider.get("/")
    assert list(other.context["upcoming"]) == [] and list(other.context["overdue"]) == []


def test_home_has_a_bounded_number_of_queries(board_staff, demo, django_assert_max_num_queries):
    start, _ = this_quarter()
    plan = make_plan(start=start.strftime("%d/%m/%Y"), end=f"31/12/{start.year + 1}")
    for index in range(3):
        make_session(plan=plan, host=unit("Dũng Nghĩa"), day=start, status=SessionStatus.HELD,
                     topic=f"Buổi {index}")  # fmt: skip
    # The target of issue 7: at most 15 queries on every page, at every scale; one more for the
    # rules in force (issue 12: what falls due this month).
    with django_assert_max_num_queries(16) as first:
        board_staff.get("/")
    for index in range(12):
        session = make_session(plan=plan, host=unit("Bách Thuận"), day=start,
                               status=SessionStatus.HELD, topic=f"Thêm {index}")  # fmt: skip
        make_opinion(session=session, outcome="forwarded")
    with django_assert_max_num_queries(len(first.captured_queries)):
        board_staff.get("/")


def test_agency_responders_see_their_counts_only(responder, demo):
    page = responder.get("/")
    assert page.status_code == 200
    assert "figures" not in page.context


def test_sessions_needing_results_come_first_with_the_way_on(officer, outsider, demo):
    today = timezone.localdate()
    plan = make_plan(start=f"01/01/{today.year - 1}", end=f"31/12/{today.year + 1}")
    host = unit("Dũng Nghĩa")
    started = make_session(plan=plan, host=host, day=today, hours=(0, 23), topic="Đang họp")
    held_empty = make_session(
        plan=plan, host=host, day=today - datetime.timedelta(days=3), status=SessionStatus.HELD,
        topic="Đã họp, chưa ghi",
    )  # fmt: skip
    held_done = make_session(
        plan=plan, host=host, day=today - datetime.timedelta(days=3), status=SessionStatus.HELD,
        topic="Đã ghi đủ",
    )  # fmt: skip
    make_opinion(session=held_done, outcome="answered")
    make_session(plan=plan, host=host, day=today + datetime.timedelta(days=5), topic="Sắp tới")
    make_session(
        plan=plan, host=host, day=today - datetime.timedelta(days=400), status=SessionStatus.HELD,
        topic="Năm ngoái",
    )  # fmt: skip

    page = officer.get("/")

    assert list(page.context["awaiting_results"]) == [started, held_empty]
    text = page.text
    # At the top: before this quarter's figures and the upcoming sessions.
    assert text.index("Hội nghị cần ghi kết quả") < text.index("Hội nghị sắp tới")
    assert f'href="/sessions/{held_empty.pk}/opinions/">Ghi ý kiến</a>' in text
    assert f'href="/sessions/{started.pk}/held/"' in text
    assert "Đã ghi đủ" not in text.split("Hội nghị sắp tới")[0]
    assert list(outsider.get("/").context["awaiting_results"]) == []


def test_a_leader_sees_sessions_needing_results_without_actions(leader, demo):
    today = timezone.localdate()
    plan = make_plan(start=f"01/01/{today.year - 1}", end=f"31/12/{today.year}")
    yesterday = today - datetime.timedelta(days=1)
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day=yesterday, status=SessionStatus.HELD)
    page = leader.get("/")
    assert "Hội nghị cần ghi kết quả" in page.text
    assert "Ghi ý kiến" not in page.text
