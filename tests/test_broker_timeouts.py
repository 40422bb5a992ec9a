"""Redis refuses connections or hangs when a report is asked for: the request still answers at
once, the report row is kept, and the periodic job sends it when Redis is back."""

import socket
import time

import pytest

from reports.models import Report, ReportStatus

from .factories import district, make_plan, make_session, unit
from .test_report_faults import _new_pool
from .test_report_requests import issue


@pytest.fixture
def hung_redis():
    """A server that accepts connections and never answers: Redis stopped with SIGSTOP."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


@pytest.fixture
def refused_redis():
    """An address where nothing listens: Redis down."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def broker_at():
    """Point the Celery app at a given broker address, as settings would with REDIS_URL."""
    from config.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}

    def point(url):
        app.conf.update(broker_url=url, task_always_eager=False)
        _new_pool(app)

    yield point
    app.conf.update(saved)
    _new_pool(app)


@pytest.mark.parametrize("broker", ["hung_redis", "refused_redis"])
def test_asking_for_a_report_with_redis_away_answers_at_once_and_keeps_the_row(
    broker, request, board_staff, demo, broker_at, django_capture_on_commit_callbacks
):
    make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="15/05/2019", status="held")
    broker_at(request.getfixturevalue(broker))
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = issue(board_staff, district())  # issuing queues its PDF
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    # Without the short timeouts: 19 s refused (result backend retries), 30 s+ hung.
    assert elapsed < 5, f"the request waited {elapsed:.1f} s for Redis"
    assert Report.objects.get().status == ReportStatus.QUEUED  # kept, sent again later
