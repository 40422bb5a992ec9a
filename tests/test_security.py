"""Hardened settings: login throttling, session limits, CSP, deploy checks, the audit log."""

import datetime
import os
import re
import secrets
import subprocess
import sys

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent, User
from communes.demo import DEMO_PASSWORD

from .factories import make_plan, make_session, unit


def login(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_too_many_failed_logins_lock_the_account_with_a_vietnamese_message(demo, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        login(client, "dungnghia", "sai-mat-khau")
    response = login(client, "dungnghia", DEMO_PASSWORD)
    assert response.status_code == 429
    assert "quá nhiều" in response.text.lower() or "khóa" in response.text
    assert not response.wsgi_request.user.is_authenticated


def test_a_lockout_does_not_touch_other_users(demo, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        login(client, "dungnghia", "sai")
    assert login(client, "bachthuan", DEMO_PASSWORD).status_code == 302


def test_login_gives_a_new_session_key(demo):
    client = Client()
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "anonymous-session-key-fixed-by-an-attacker"
    login(client, "dungnghia", DEMO_PASSWORD)
    assert client.cookies["sessionid"].value != "anonymous-session-key-fixed-by-an-attacker"


def test_an_active_session_is_kept_alive(officer):
    session = officer.session
    session["seen_at"] = (timezone.now() - datetime.timedelta(minutes=5)).isoformat()
    session.save()
    before = officer.session.get_expiry_date()
    assert officer.get("/").status_code == 200
    assert officer.session.get_expiry_date() > before  # the idle limit starts again


def test_an_idle_session_ends_after_the_idle_timeout(officer, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    session = officer.session
    session.set_expiry(-1)  # as if the 30 minutes had passed without a request
    session.save()
    response = officer.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_session_ends_after_its_absolute_lifetime_even_if_busy(officer):
    officer.get("/")
    session = officer.session
    session["login_at"] = (timezone.now() - datetime.timedelta(hours=11)).isoformat()
    session.save()
    response = officer.get("/sessions/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert officer.get("/").status_code == 302  # logged out for good


def test_every_page_has_a_content_security_policy_without_inline_script(board_staff, demo):
    plan = make_plan()
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), status="held")
    for url in ["/", "/sessions/", f"/sessions/{session.pk}/", f"/sessions/{session.pk}/opinions/",
                "/opinions/", "/plans/", f"/plans/{plan.pk}/coverage/", "/reports/new/",
                "/sessions/calendar/", "/units/"]:  # fmt: skip
        response = board_staff.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.text)
        assert inline == [], url
        assert " onclick=" not in response.text and "javascript:" not in response.text


def test_the_login_page_sends_the_security_headers(anonymous, db):
    response = anonymous.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_deploy_check_passes_with_production_values():
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}},
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "tiepxuc.example.gov.vn",
        "SECURE_SSL_REDIRECT": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_logins_failures_and_refusals_are_in_the_audit_log(demo):
    client = Client(REMOTE_ADDR="10.1.2.3")
    login(client, "dungnghia", "sai-mat-khau")
    login(client, "dungnghia", DEMO_PASSWORD)
    client.get("/queue/")  # refused: not an agency responder
    events = list(AuditEvent.objects.order_by("pk").values_list("kind", "username", "address"))
    assert events == [
        ("login_failed", "dungnghia", "10.1.2.3"),
        ("login", "dungnghia", "10.1.2.3"),
        ("refused", "dungnghia", "10.1.2.3"),
    ]
    assert AuditEvent.objects.get(kind="refused").detail == "GET /queue/"


def test_changes_to_sessions_are_in_the_audit_log_with_who_and_where(demo):
    client = Client(REMOTE_ADDR="10.9.8.7")
    client.force_login(User.objects.get(username="dungnghia"))
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"))
    client.post(f"/sessions/{session.pk}/cancel/", {"reason": "Trùng lịch"})
    entry = LogEntry.objects.get_for_object(session).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor.username == "dungnghia"
    assert entry.remote_addr == "10.9.8.7"
    assert "status" in entry.changes_dict


@pytest.mark.parametrize("url", ["/admin/accounts/auditevent/", "/admin/auditlog/logentry/"])
def test_administrators_read_the_audit_log_and_cannot_change_it(administrator, url):
    Client().post("/accounts/login/", {"username": "x", "password": "y"})  # one event to show
    assert administrator.get(url).status_code == 200
    assert administrator.get(f"{url}add/").status_code == 403
    event = AuditEvent.objects.first()
    if event and "auditevent" in url:
        assert administrator.post(f"{url}{event.pk}/delete/").status_code == 403
        assert administrator.get(f"{url}{event.pk}/change/").status_code == 200  # read-only view
