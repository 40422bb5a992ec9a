"""Near a month's end, a unit's officers are told once of each monthly quota it has not met."""

import datetime

import pytest
from django.core import mail

from accounts.models import User
from obligations.models import Measure, Obligation
from reports.models import ReminderLog
from reports.reminders import remind_quota_shortfalls
from reports.tasks_reminders import remind_quota_shortfalls_task

from .reform import HUNG_YEN, XA_TAN_THUAN, XA_VU_THU, by_code
from .today import reception, world_fixture  # noqa: F401 - the fixture

D = datetime.date
NEAR_THE_END = D(2026, 3, 27)  # 5 days left in March, today included
XAVUTHU = "xavuthu@example.invalid"
XATANTHUAN = "xatanthuan@example.invalid"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.COMPLIANCE_REMINDER_DAYS = 5
    settings.SITE_URL = "https://tiepxuc.example.invalid"


def to(address):
    return [message for message in mail.outbox if address in message.to]


def test_the_officers_of_a_commune_short_of_reception_days_are_told_with_the_rule(world):
    reception(world, by_code(XA_VU_THU), "03/03/2026")
    reception(world, by_code(XA_VU_THU), "10/03/2026")
    reception(world, by_code(XA_TAN_THUAN), "10/03/2026")
    sent = remind_quota_shortfalls(today=NEAR_THE_END)
    assert sent >= 1
    assert to(XAVUTHU) == []  # Vũ Thư has its two days
    [message] = to(XATANTHUAN)
    assert "Người đứng đầu cấp ủy cấp xã tiếp công dân định kỳ" in message.body
    assert "Kết luận số 215-KL/TW ngày 23/11/2025" in message.body
    assert "Xã Tân Thuận: đã thực hiện 1/2" in message.body
    assert "31/03/2026" in message.body
    assert f"/compliance/?unit={by_code(XA_TAN_THUAN).pk}" in message.body
    assert "Chưa đạt chỉ tiêu tháng 03/2026" in message.subject


def test_each_unit_rule_and_month_is_reminded_once(world):
    remind_quota_shortfalls(today=NEAR_THE_END)
    assert len(to(XATANTHUAN)) == 1
    officers = User.objects.filter(unit=by_code(XA_TAN_THUAN), role="commune_officer").count()
    logged = ReminderLog.objects.filter(object_id=by_code(XA_TAN_THUAN).pk)
    assert logged.count() == officers
    assert remind_quota_shortfalls(today=NEAR_THE_END + datetime.timedelta(days=1)) == 0
    assert len(to(XATANTHUAN)) == 1
    assert logged.count() == officers
    # A new month is a new event.
    remind_quota_shortfalls(today=D(2026, 4, 28))
    assert len(to(XATANTHUAN)) == 2


def test_nothing_is_sent_earlier_in_the_month_or_after_the_lead_time_changes(world, settings):
    assert remind_quota_shortfalls(today=D(2026, 3, 26)) == 0  # 6 days left
    settings.COMPLIANCE_REMINDER_DAYS = 6
    assert remind_quota_shortfalls(today=D(2026, 3, 26)) > 0


def test_the_province_board_is_told_of_the_provincial_secretarys_quota(world):
    remind_quota_shortfalls(today=NEAR_THE_END)
    [message] = to("bandanvantinh@example.invalid")
    assert "Người đứng đầu cấp ủy cấp tỉnh tiếp công dân định kỳ" in message.body
    assert by_code(HUNG_YEN).full_name in message.body


def test_a_rule_met_after_its_number_changes_in_the_admin_is_not_reminded(world):
    reception(world, by_code(XA_TAN_THUAN), "10/03/2026")
    Obligation.objects.filter(measure=Measure.PER_MONTH, level="commune").update(number=1)
    remind_quota_shortfalls(today=NEAR_THE_END)
    assert to(XATANTHUAN) == []
    assert User.objects.filter(email=XATANTHUAN).exists()


def test_beat_runs_the_reminder_every_day(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["remind-quota-shortfalls"]
    assert entry["task"] == remind_quota_shortfalls_task.name == "reports.remind_quota_shortfalls"
