import json

from django.db import connection


def test_healthz_reports_the_database_and_the_broker(anonymous, db, settings):
    response = anonymous.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    # CI sets REDIS_URL to a running Redis; a local run without it has no broker.
    assert body["broker"] == ("ok" if settings.REDIS_URL else "not configured")


def test_healthz_answers_503_when_the_broker_is_down(anonymous, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = anonymous.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["broker"] == "error"


def test_healthz_answers_503_when_the_database_is_down(anonymous, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("database is down")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken_cursor)
        response = anonymous.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "error"
