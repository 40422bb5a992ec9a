"""Walks every URL pattern, so pages added later are covered without writing a test for them."""

import pytest

from accounts.access import allowed_roles
from accounts.models import Role

from .urlwalk import app_routes, walk

# The calendar feed is public by design: its address carries a private token. The public pages
# (/cong-khai/) show residents only what staff published.
PUBLIC = {"login", "healthz", "set_language", "dialogues:session-feed", "public:unit-list",
          "public:open-data", "public:language", "public:unit", "public:unit-feed",
          "public:unit-csv", "public:unit-json", "public:session"}  # fmt: skip


def is_public(route):
    return getattr(route.callback, "login_required", True) is False


def test_the_public_views_are_exactly_login_healthz_language_switch_calendar_and_public_pages():
    assert {route.name for route in app_routes() if is_public(route)} == PUBLIC


def test_every_view_declares_who_may_use_it():
    undeclared = [
        route.url
        for route in app_routes()
        if not is_public(route) and not allowed_roles(route.callback)
    ]
    assert undeclared == []


def test_every_page_redirects_an_anonymous_visitor_to_login(anonymous, db):
    for route in app_routes():
        if is_public(route):
            continue
        for method in ("get", "post"):
            response = getattr(anonymous, method)(route.url)
            assert response.status_code == 302, (method, route.url)
            assert response["Location"].startswith("/accounts/login/?next="), route.url


def test_the_admin_sends_anonymous_visitors_to_its_login(anonymous, db):
    response = anonymous.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_public_pages_open_without_login(anonymous, db):
    assert anonymous.get("/accounts/login/").status_code == 200
    assert anonymous.get("/healthz").status_code == 200


def test_leader_is_refused_every_write(leader):
    """Leaders read: a POST to any page but their own password and logout is refused."""
    for route in app_routes():
        if is_public(route) or getattr(route.callback, "readers_may_post", False):
            continue
        response = leader.post(route.url, {"name": "x"})
        assert response.status_code == 403, route.url


def test_leader_cannot_enter_the_admin(leader):
    assert leader.get("/admin/").status_code == 302
    response = leader.post("/admin/communes/hamlet/add/", {"name": "Thôn Mới", "commune": 1})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_leader_user_cannot_write():
    assert not _user(Role.LEADER).can_write
    assert _user(Role.BOARD_STAFF).can_write


def _user(role):
    from accounts.models import User

    return User(username="x", role=role)


def test_agency_responder_is_refused_the_unit_pages(responder, demo):
    assert responder.get("/units/").status_code == 403


@pytest.mark.parametrize("username", ["bandanvan", "dungnghia", "tnmt", "lanhdao"])
def test_only_administrators_reach_the_admin(demo, client, username):
    from accounts.models import User

    client.force_login(User.objects.get(username=username))
    assert client.get("/admin/").status_code == 302


def test_administrator_edits_reference_data_in_the_admin(administrator):
    for url in ["/admin/", "/admin/communes/administrativeunit/", "/admin/communes/hamlet/",
                "/admin/communes/officeholder/", "/admin/communes/position/",
                "/admin/communes/agency/", "/admin/accounts/user/"]:  # fmt: skip
        assert administrator.get(url).status_code == 200, url


def test_leaders_post_only_where_no_shared_record_changes():
    allowed = {r.name for r in app_routes() if getattr(r.callback, "readers_may_post", False)}
    assert allowed == {
        "password_change", "password_change_done", "logout", "dialogues:feed-regenerate",
        "reports:report-create",
        # Asking to see a person's data changes no record; the request is logged.
        "feedback:opinion-personal",
    }  # fmt: skip


def test_walk_covers_the_known_pages():
    names = {route.name for route in walk()}
    assert {"home", "communes:unit-tree", "communes:unit-detail", "login", "logout"} <= names
