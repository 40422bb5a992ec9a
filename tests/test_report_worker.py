"""End to end on a real worker: a report asked for in the browser is made by a Celery worker
through Redis, and downloaded. CI runs it (PostgreSQL and Redis); elsewhere it says why not."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from reports.models import Report, ReportStatus

from .factories import district, make_plan, make_session, unit
from .test_report_requests import issue

# serialized_rollback: the reference data that migrations put in (positions, fields…) comes back
# after each test empties the tables.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _database_url():
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def worker(settings):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis, as CI has (DATABASE_URL and REDIS_URL)")
    from config.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"  # nothing else is ever sent to this queue
    previous = app.conf.task_default_queue, app.conf.task_always_eager
    app.conf.task_default_queue, app.conf.task_always_eager = queue, False
    env = {
        **os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue, "MEDIA_ROOT": str(settings.MEDIA_ROOT), "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
    }  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1",
         "--without-mingle", "--without-gossip", "--loglevel=INFO", "-Q", queue],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    app.conf.task_default_queue, app.conf.task_always_eager = previous


def wait_for(report, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in (ReportStatus.READY, ReportStatus.FAILED):
            return report
        time.sleep(0.5)
    return report


def test_a_report_asked_for_on_the_web_is_made_by_the_worker(worker, board_staff, demo):
    from reports.demo import load

    load()
    plan = make_plan()
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019", status="held")
    response = issue(board_staff, district())
    assert response.status_code == 302
    report = wait_for(Report.objects.get())
    if report.status != ReportStatus.READY:
        worker.terminate()
        print(worker.communicate(timeout=20)[0].decode(errors="replace"))
    assert report.status == ReportStatus.READY, report.error
    page = board_staff.get(response["Location"])
    assert f"/reports/{report.pk}/download/" in page.text
    pdf = b"".join(board_staff.get(f"/reports/{report.pk}/download/").streaming_content)
    assert pdf.startswith(b"%PDF")
    assert str(settings.MEDIA_ROOT) in report.file.path


def _children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(line) for line in out.stdout.split()]


def test_a_worker_killed_while_rendering_is_replaced_and_the_report_finishes(worker, board_staff):
    """The worker process dies mid-PDF (out of memory, killed): the task goes back to the queue
    (late acknowledgement, rejected on a lost worker) and a fresh process makes the report."""
    import signal

    from django.core.management import call_command

    from communes.models import AdministrativeUnit

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # After the demo's 2025 reorganisation the district's board staff work for Hưng Yên, whose
    # 2019 report holds Vũ Thư's sessions.
    hung_yen = AdministrativeUnit.objects.get(code="33")
    issue(board_staff, hung_yen, period={"period_kind": "year", "quarter": ""},
          number="1-BC/BTGDVTU", report_date="31/12/2019")  # fmt: skip
    report = Report.objects.get()
    deadline = time.monotonic() + 120
    killed = False
    while time.monotonic() < deadline and not killed:
        report.refresh_from_db()
        if report.status == ReportStatus.RENDERING:
            for child in _children(worker.pid):
                os.kill(child, signal.SIGKILL)
                killed = True
        elif report.status in (ReportStatus.READY, ReportStatus.FAILED):
            break
        time.sleep(0.02)
    assert killed, f"the render was never caught in progress (status {report.status})"
    report = wait_for(report)
    assert report.status == ReportStatus.READY, report.error
    assert report.attempts >= 2
