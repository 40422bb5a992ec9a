"""Opinions are named by a readable code (host unit's code, year, number), never a database id:
on their pages, in the lists, the exports and the report; the search finds them by it."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from dialogues.models import SessionStatus
from feedback.models import Opinion, OpinionSequence

from .factories import district, make_opinion, make_plan, make_session, unit

D = datetime.date


@pytest.fixture
def plan(demo):
    return make_plan(number="55-KH/HU", end="31/12/2020")


def held(plan, host, day="15/05/2019"):
    return make_session(plan=plan, host=host, day=day, status=SessionStatus.HELD)


def test_codes_number_each_host_units_opinions_per_year(plan):
    dung_nghia = unit("Dũng Nghĩa")
    commune = held(plan, dung_nghia)
    first, second = make_opinion(session=commune), make_opinion(session=commune)
    at_the_district = make_opinion(session=held(plan, district(), "20/06/2019"), unit=dung_nghia)
    next_year = make_opinion(session=held(plan, dung_nghia, "10/03/2020"))
    another_session = make_opinion(session=held(plan, dung_nghia, "20/09/2019"))

    code = dung_nghia.code
    assert (first.code, second.code) == (f"{code}-2019-001", f"{code}-2019-002")
    assert another_session.code == f"{code}-2019-003"
    assert at_the_district.code == "344-2019-001"
    assert next_year.code == f"{code}-2020-001"
    assert str(first).startswith(f"{code}-2019-001 ")


def test_a_code_is_never_given_twice_even_after_an_opinion_is_deleted(plan):
    session = held(plan, unit("Dũng Nghĩa"))
    make_opinion(session=session)
    last = make_opinion(session=session)
    Opinion.objects.filter(pk=last.pk).delete()
    assert make_opinion(session=session).code.endswith("-2019-003")
    assert OpinionSequence.objects.get(unit=unit("Dũng Nghĩa"), year=2019).last == 3


def test_the_search_finds_an_opinion_by_its_code(board_staff, plan):
    session = held(plan, unit("Dũng Nghĩa"))
    wanted = make_opinion(session=session, content="Đề nghị sửa cầu")
    make_opinion(session=session, content="Đề nghị sửa đường")
    response = board_staff.get(reverse("feedback:opinion-list"), {"q": wanted.code})
    assert [opinion.pk for opinion in response.context["page"]] == [wanted.pk]


def test_the_opinions_page_and_list_show_the_code_not_the_database_id(board_staff, plan):
    opinion = make_opinion(session=held(plan, unit("Dũng Nghĩa")))
    page = board_staff.get(opinion.get_absolute_url()).text
    assert f"Ý kiến số {opinion.code}" in page and f"#{opinion.pk}" not in page
    listed = board_staff.get(reverse("feedback:opinion-list")).text
    assert f">{opinion.code}<" in listed


def test_the_reports_overdue_list_names_opinions_by_their_code(plan):
    from django.utils import translation

    from reports.figures import report_figures

    from .factories import backdate

    late = make_opinion(session=held(plan, unit("Dũng Nghĩa")), outcome="forwarded",
                        deadline=D(2019, 5, 20))  # fmt: skip
    backdate(late, "16/05/2019")
    with translation.override("vi"):
        figures = report_figures(unit=district(), start=D(2019, 4, 1), end=D(2019, 6, 30))
    assert [row.code for row in figures.overdue] == [late.code]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_entries_at_the_same_instant_never_get_the_same_code(demo):
    if connection.vendor != "postgresql":
        pytest.skip("two entries only run at the same instant on PostgreSQL (DATABASE_URL)")
    from .test_races import race

    session = held(make_plan(), unit("Dũng Nghĩa"))
    for _round in range(10):
        made = race(*(lambda: make_opinion(session=session) for _ in range(4)))
        assert len({opinion.code for opinion in made}) == 4
    assert Opinion.objects.filter(session=session).values("code").distinct().count() == 40
