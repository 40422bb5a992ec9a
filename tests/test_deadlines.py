import datetime

import pytest

from feedback.deadlines import add_working_days, answer_days, default_deadline
from feedback.holidays import holidays_prefill
from feedback.models import Field, Holiday

D = datetime.date


def test_working_days_skip_the_weekend():
    friday = D(2019, 5, 17)
    assert add_working_days(friday, 1, []) == D(2019, 5, 20)  # Monday
    assert add_working_days(friday, 5, []) == D(2019, 5, 24)
    assert add_working_days(D(2019, 5, 18), 1, []) == D(2019, 5, 20)  # from a Saturday


def test_working_days_skip_holidays():
    # 30/4 and 1/5/2019 (Tuesday, Wednesday) are holidays: Monday 29/4 + 3 working days.
    holidays = [D(2019, 4, 29), D(2019, 4, 30), D(2019, 5, 1)]
    assert add_working_days(D(2019, 4, 26), 3, holidays) == D(2019, 5, 6)


def test_fifteen_working_days_across_tet():
    # Tết 2026: 16–20/02 are holidays; a session on Friday 13/02/2026.
    tet = [D(2026, 2, day) for day in range(16, 21)]
    # 15 working days: 23/02 … 13/03 (weeks of 23/02, 02/03, 09/03).
    assert add_working_days(D(2026, 2, 13), 15, tet) == D(2026, 3, 13)


def test_zero_days_is_the_same_day():
    assert add_working_days(D(2019, 5, 17), 0, []) == D(2019, 5, 17)


@pytest.mark.django_db
def test_default_deadline_uses_the_managed_holiday_list(settings):
    settings.OPINION_ANSWER_DAYS = 3
    Holiday.objects.create(day=D(2019, 5, 20), name="Ngày nghỉ thử")
    assert default_deadline(session_date=D(2019, 5, 17)) == D(2019, 5, 23)


@pytest.mark.django_db
def test_days_come_from_the_agency_then_the_field_then_the_default(demo, settings):
    from .factories import agency

    settings.OPINION_ANSWER_DAYS = 15
    land = Field.objects.get(name="Đất đai")
    office = agency()
    assert answer_days(field=land, agency=office) == 15
    land.answer_days = 30
    assert answer_days(field=land, agency=office) == 30
    office.answer_days = 10
    assert answer_days(field=land, agency=office) == 10


@pytest.mark.django_db
def test_holidays_are_prefilled_with_tet_and_the_fixed_days():
    Holiday.objects.all().delete()
    holidays_prefill(years=[2026, 2027])
    days = set(Holiday.objects.values_list("day", flat=True))
    assert {D(2026, 1, 1), D(2026, 2, 17), D(2026, 4, 30), D(2026, 5, 1), D(2026, 9, 2)} <= days
    assert D(2027, 2, 6) in days  # Tết Đinh Mùi
    assert holidays_prefill(years=[2026]) == 0  # running again adds nothing


def test_a_make_up_working_saturday_counts_as_a_working_day():
    # 29/04/2019 was given off in exchange for Saturday 04/05/2019, which was worked.
    holidays = [D(2019, 4, 29), D(2019, 4, 30), D(2019, 5, 1)]
    worked = [D(2019, 5, 4)]
    assert add_working_days(D(2019, 4, 26), 3, holidays, worked) == D(2019, 5, 4)
    assert add_working_days(D(2019, 4, 26), 4, holidays, worked) == D(2019, 5, 6)
    # Saturday 22/08/2026 was worked for Monday 31/08/2026.
    assert add_working_days(D(2026, 8, 21), 1, [D(2026, 8, 31)], [D(2026, 8, 22)]) == D(2026, 8, 22)


@pytest.mark.django_db
def test_the_prefilled_list_names_the_make_up_saturdays_and_deadlines_count_them(settings):
    Holiday.objects.all().delete()
    holidays_prefill(years=[2019, 2026])
    worked = Holiday.objects.filter(is_working_day=True)
    assert {row.day for row in worked} == {D(2019, 1, 5), D(2019, 5, 4), D(2026, 8, 22)}
    assert worked.get(day=D(2019, 5, 4)).name == "Làm bù cho ngày 29/04/2019"
    settings.OPINION_ANSWER_DAYS = 3
    # Friday 26/04/2019: 29/04–01/05 are off, 02/05, 03/05 and Saturday 04/05 are worked.
    assert default_deadline(session_date=D(2019, 4, 26)) == D(2019, 5, 4)
    # Friday 21/08/2026: Saturday 22/08, Monday 24/08 and Tuesday 25/08.
    assert default_deadline(session_date=D(2026, 8, 21)) == D(2026, 8, 25)


@pytest.mark.django_db
def test_an_administrator_marks_a_saturday_as_worked_in_the_holiday_list(admin_client):
    response = admin_client.post(
        "/admin/feedback/holiday/add/",
        {"day": "10/10/2026", "name": "Làm bù thử", "is_working_day": "on"},
    )
    assert response.status_code == 302
    assert Holiday.objects.get(day=D(2026, 10, 10)).is_working_day
