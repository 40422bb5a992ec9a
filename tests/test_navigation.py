"""The menu says where the user is, and list filters fold away on a phone so results come first."""

import re

import pytest

from .factories import make_plan, make_session, unit


def current_items(text):
    return re.findall(r'<a class="nav-link" href="([^"]+)" aria-current="page">', text)


@pytest.mark.parametrize(
    ("url", "current"),
    [("/", "/"), ("/sessions/", "/sessions/"), ("/sessions/calendar/", "/sessions/calendar/"),
     ("/plans/", "/plans/"), ("/opinions/", "/opinions/"), ("/reports/", "/reports/"),
     ("/compliance/", "/compliance/"),
     ("/units/", "/units/")],
)  # fmt: skip
def test_the_menu_marks_the_current_section_and_only_it(board_staff, url, current):
    assert current_items(board_staff.get(url).text) == [current]


def test_a_sessions_page_keeps_the_sessions_section_marked(officer, demo):
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"))
    assert current_items(officer.get(f"/sessions/{session.pk}/").text) == ["/sessions/"]
    assert current_items(officer.get(f"/sessions/{session.pk}/opinions/").text) == ["/sessions/"]


def test_the_responders_queue_is_marked_in_their_menu(responder):
    assert current_items(responder.get("/queue/").text) == ["/queue/"]


def test_list_filters_fold_behind_one_button_and_open_on_a_mistake(board_staff):
    page = board_staff.get("/sessions/").text
    assert '<details class="filters">' in page
    assert page.index('<details class="filters">') < page.index("<table")
    wrong = board_staff.get("/sessions/", {"start": "31/02/2019"}).text
    assert '<details class="filters" open>' in wrong


def test_list_tables_turn_into_cards_on_a_phone(board_staff, responder):
    for url in ("/sessions/", "/plans/", "/opinions/", "/reports/", "/units/"):
        assert 'class="table table-cards' in board_staff.get(url).text, url
    assert 'class="table table-cards' in responder.get("/queue/").text
