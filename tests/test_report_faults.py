"""The broker is down when a report is asked for: nothing is lost, nobody has to ask again."""

import datetime

import pytest

from reports.models import Report, ReportStatus
from reports.services import reports_requeue_stuck

from .factories import district, make_plan, make_session, unit
from .test_report_requests import issue


@pytest.fixture
def broker_down():
    from config.celery import app

    saved = {key: app.conf[key] for key in
             ("broker_url", "task_always_eager", "broker_connection_timeout",
              "broker_connection_retry", "task_publish_retry")}  # fmt: skip
    app.conf.update(
        broker_url="redis://127.0.0.1:1/0",  # nothing listens on port 1
        task_always_eager=False,
        broker_connection_timeout=1,
        broker_connection_retry=False,
        task_publish_retry=False,
    )
    _new_pool(app)
    yield app
    app.conf.update(saved)
    _new_pool(app)


def _new_pool(app):
    # Connections are pooled per broker address: drop the pool so the next send uses the new one.
    app._pool = None
    app.amqp._producer_pool = None


def test_a_report_asked_for_while_the_broker_is_down_is_made_when_it_is_back(
    board_staff, demo, broker_down, django_capture_on_commit_callbacks
):
    from reports.demo import load

    load()
    make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="15/05/2019", status="held")
    with django_capture_on_commit_callbacks(execute=True):
        response = issue(board_staff, district())
    assert response.status_code == 302  # the user is not shown an error page
    report = Report.objects.get()
    assert report.status == ReportStatus.QUEUED
    page = board_staff.get(response["Location"])
    assert "hoạt động trở lại" in page.text  # "it will be made as soon as the service is back"
    # The broker comes back; the periodic job finds the waiting report and sends it again.
    broker_down.conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_requeue_stuck(older_than=datetime.timedelta(0)) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
