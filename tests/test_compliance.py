"""Who is behind: each rule in force against what the units did, on data that meets and misses
each kind of rule, for a month and for cumulative periods; the compliance page."""

import datetime

from communes.models import AdministrativeUnit, OfficeHolder, UnitLevel
from dialogues.models import Session, SessionKind, SessionStatus
from feedback.models import Opinion
from obligations.compliance import compliance
from obligations.models import Measure, Obligation

from .factories import make_opinion, make_session
from .reform import HUNG_YEN, XA_TAN_THUAN, XA_VU_THU, by_code
from .today import dialogue, reception, world_fixture  # noqa: F401 - the fixture

D = datetime.date


def line(result, measure, level=UnitLevel.COMMUNE):
    return next(
        item for item in result.lines if item.rule.measure == measure and item.rule.level == level
    )


def row(quota, code):
    return next(item for item in quota.units if item.unit.code == code)


def test_a_commune_meets_the_monthly_reception_quota_with_two_days_and_one_is_behind(world):
    vu_thu, tan_thuan = by_code(XA_VU_THU), by_code(XA_TAN_THUAN)
    first = reception(world, vu_thu, "03/03/2026")
    reception(world, vu_thu, "03/03/2026", hours=(14, 16))  # the same day counts once
    second = reception(world, vu_thu, "17/03/2026")
    reception(world, tan_thuan, "10/03/2026")
    result = compliance(
        unit=by_code(HUNG_YEN), start=D(2026, 3, 1), end=D(2026, 3, 31), today=D(2026, 4, 10)
    )
    quota = line(result, Measure.PER_MONTH)
    met, behind = row(quota, XA_VU_THU), row(quota, XA_TAN_THUAN)
    assert (met.required, met.done, met.behind) == (2, 2, 0)
    assert [s.pk for s in met.sessions if s.day.day == 17] == [second.pk]
    assert first.pk in [s.pk for s in met.sessions]
    assert (behind.required, behind.done, behind.behind) == (2, 1, 1)
    secretary = OfficeHolder.objects.get(unit=tan_thuan, position__name="Bí thư", end_date=None)
    assert behind.heads == (f"{secretary.person.full_name} (Bí thư)",)
    # Every new commune of the province is asked; those with nothing are 2 behind.
    children = AdministrativeUnit.objects.get_children(by_code(HUNG_YEN))
    assert len(quota.units) == children.filter(is_active=True).count()
    assert quota.behind == sum(item.behind for item in quota.units)
    assert met not in quota.units_behind and behind in quota.units_behind


def test_a_reception_not_chaired_by_the_secretary_or_not_held_does_not_count(world):
    vu_thu = by_code(XA_VU_THU)
    chairman = OfficeHolder.objects.filter(unit=vu_thu, position__name="Chủ tịch UBND")
    reception(world, vu_thu, "03/03/2026", chairs=chairman)
    make_session(plan=world, host=vu_thu, day="04/03/2026", kind=SessionKind.RECEPTION)
    dialogue(world, vu_thu, "05/03/2026")  # another kind
    result = compliance(unit=vu_thu, start=D(2026, 3, 1), end=D(2026, 3, 31), today=D(2026, 4, 10))
    assert row(line(result, Measure.PER_MONTH), XA_VU_THU).done == 0


def test_a_month_not_over_is_still_open_with_the_days_left(world):
    vu_thu = by_code(XA_VU_THU)
    reception(world, vu_thu, "03/03/2026")
    result = compliance(unit=vu_thu, start=D(2026, 3, 1), end=D(2026, 3, 31), today=D(2026, 3, 19))
    quota = row(line(result, Measure.PER_MONTH), XA_VU_THU)
    assert (quota.done, quota.behind, quota.open, quota.days_left) == (1, 0, 1, 12)


def test_a_month_still_running_is_behind_when_short_of_its_pace(world):
    # 2 days a month: none by the 10th is on pace (2 × 10/31 rounds down to 0); none by the
    # 16th is 1 behind and listed as behind; one day by the 30th is on pace, not on the 31st.
    vu_thu = by_code(XA_VU_THU)

    def quota_on(day):
        result = compliance(unit=vu_thu, start=D(2026, 3, 1), end=D(2026, 3, 31), today=day)
        return row(line(result, Measure.PER_MONTH), XA_VU_THU), line(result, Measure.PER_MONTH)

    assert quota_on(D(2026, 3, 10))[0].behind == 0
    unit_row, quota = quota_on(D(2026, 3, 16))
    assert (unit_row.done, unit_row.behind, unit_row.open) == (0, 1, 2)
    assert unit_row in quota.units_behind
    reception(world, vu_thu, "03/03/2026")
    assert quota_on(D(2026, 3, 30))[0].behind == 0
    assert quota_on(D(2026, 3, 31))[0].behind == 1


def test_a_quarter_counts_each_month_on_its_own(world):
    vu_thu = by_code(XA_VU_THU)
    for day in ("05/01/2026", "06/01/2026", "07/01/2026", "10/02/2026", "11/02/2026"):
        reception(world, vu_thu, day)
    result = compliance(unit=vu_thu, start=D(2026, 1, 1), end=D(2026, 3, 31), today=D(2026, 5, 1))
    quota = row(line(result, Measure.PER_MONTH), XA_VU_THU)
    # Three days in January do not make up for none in March.
    assert (quota.required, quota.done, quota.behind) == (6, 5, 2)


def test_six_months_and_the_year_are_cumulative_from_january(world):
    vu_thu = by_code(XA_VU_THU)
    for month in range(1, 7):
        reception(world, vu_thu, f"05/{month:02}/2026")
        reception(world, vu_thu, f"20/{month:02}/2026")
    six = compliance(unit=vu_thu, start=D(2026, 1, 1), end=D(2026, 6, 30), today=D(2027, 1, 5))
    year = compliance(unit=vu_thu, start=D(2026, 1, 1), end=D(2026, 12, 31), today=D(2027, 1, 5))
    assert row(line(six, Measure.PER_MONTH), XA_VU_THU).behind == 0
    assert (row(line(year, Measure.PER_MONTH), XA_VU_THU).required,
            row(line(year, Measure.PER_MONTH), XA_VU_THU).behind) == (24, 12)  # fmt: skip


def test_the_yearly_dialogue_is_met_by_one_and_missed_by_none_once_the_year_is_over(world):
    vu_thu = by_code(XA_VU_THU)
    dialogue(world, vu_thu, "15/05/2026")
    during = compliance(
        unit=by_code(HUNG_YEN), start=D(2026, 5, 1), end=D(2026, 5, 31), today=D(2026, 6, 1)
    )
    quota = line(during, Measure.PER_YEAR)
    assert row(quota, XA_VU_THU).done == 1 and row(quota, XA_VU_THU).behind == 0
    # In May the year is not over: the others are not behind yet.
    assert row(quota, XA_TAN_THUAN).behind == 0 and row(quota, XA_TAN_THUAN).open == 1
    after = compliance(
        unit=by_code(HUNG_YEN), start=D(2026, 1, 1), end=D(2026, 12, 31), today=D(2027, 1, 2)
    )
    quota = line(after, Measure.PER_YEAR)
    assert row(quota, XA_VU_THU).behind == 0
    assert row(quota, XA_TAN_THUAN).behind == 1


def test_units_ended_by_the_reorganisation_are_not_behind_after_their_end(world):
    # 2025: the old communes ended on 1/7/2025, the day the 2025 law came into force.
    result = compliance(
        unit=by_code(HUNG_YEN), start=D(2025, 1, 1), end=D(2025, 12, 31), today=D(2026, 1, 5)
    )
    units = {item.unit.code for item in line(result, Measure.PER_YEAR).units}
    assert XA_VU_THU in units
    assert not any(code.startswith("344") for code in units)
    # Kết luận 215 counts from its month, November 2025: only the successors are asked.
    receptions = {item.unit.code for item in line(result, Measure.PER_MONTH).units}
    assert receptions == units
    assert row(line(result, Measure.PER_MONTH), XA_VU_THU).required == 2 * 2


def test_no_rule_is_in_force_in_2019(world):
    result = compliance(
        unit=AdministrativeUnit.objects.get(code="344"), start=D(2019, 1, 1),
        end=D(2019, 12, 31), today=D(2026, 1, 5),
    )  # fmt: skip
    assert result.lines == []


def test_announcing_a_dialogue_on_time_late_and_not_at_all(world):
    vu_thu = by_code(XA_VU_THU)
    dialogue(world, vu_thu, "20/03/2026", notice_date=D(2026, 3, 13))  # 7 days before: on time
    dialogue(world, vu_thu, "21/03/2026", notice_date=D(2026, 3, 18))  # late
    dialogue(world, vu_thu, "25/03/2026", status=SessionStatus.PLANNED)  # announce by 18/03
    dialogue(world, vu_thu, "30/03/2026", status=SessionStatus.PLANNED)  # announce by 23/03
    make_session(plan=world, host=vu_thu, day="26/03/2026", kind=SessionKind.RECEPTION)
    result = compliance(unit=vu_thu, start=D(2026, 3, 1), end=D(2026, 3, 31), today=D(2026, 3, 20))
    announce = line(result, Measure.ANNOUNCE_BEFORE)
    assert (announce.on_time, announce.late, announce.overdue, announce.open) == (1, 1, 1, 1)


def test_publishing_results_within_ten_days(world):
    vu_thu = by_code(XA_VU_THU)
    dialogue(world, vu_thu, "02/03/2026", results_published_on=D(2026, 3, 12))  # on time
    dialogue(world, vu_thu, "03/03/2026", results_published_on=D(2026, 3, 16))  # late
    dialogue(world, vu_thu, "04/03/2026")  # due 14/03, not published: overdue on 20/03
    dialogue(world, vu_thu, "16/03/2026")  # due 26/03: open
    result = compliance(unit=vu_thu, start=D(2026, 3, 1), end=D(2026, 3, 31), today=D(2026, 3, 20))
    publish = line(result, Measure.PUBLISH_AFTER)
    assert (publish.on_time, publish.late, publish.overdue, publish.open) == (1, 1, 1, 1)


def test_telling_each_author_within_ten_working_days(world):
    vu_thu = by_code(XA_VU_THU)
    session = reception(world, vu_thu, "10/03/2026")  # Tuesday: due Tuesday 24/03
    told = make_opinion(session=session)
    late = make_opinion(session=session)
    make_opinion(session=session)
    Opinion.objects.filter(pk=told.pk).update(acknowledged_on=D(2026, 3, 24))
    Opinion.objects.filter(pk=late.pk).update(acknowledged_on=D(2026, 3, 25))
    before = compliance(unit=vu_thu, start=D(2026, 3, 1), end=D(2026, 3, 31), today=D(2026, 3, 24))
    after = compliance(unit=vu_thu, start=D(2026, 3, 1), end=D(2026, 3, 31), today=D(2026, 3, 25))
    ack = line(before, Measure.ACKNOWLEDGE_AFTER)
    assert (ack.on_time, ack.late, ack.open, ack.overdue) == (1, 1, 1, 0)
    assert line(after, Measure.ACKNOWLEDGE_AFTER).overdue == 1


def test_editing_a_rules_number_in_the_admin_changes_the_figures_and_the_page(world, client):
    from accounts.models import User

    vu_thu = by_code(XA_VU_THU)
    reception(world, vu_thu, "03/03/2026")
    rule = Obligation.objects.get(measure=Measure.PER_MONTH, level=UnitLevel.COMMUNE)
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    change = f"/admin/obligations/obligation/{rule.pk}/change/"
    assert client.get(change).status_code == 200
    response = client.post(change, {
        "title": rule.title, "legal_basis": rule.legal_basis, "level": rule.level,
        "position": rule.position_id, "session_kind": rule.session_kind, "measure": rule.measure,
        "number": 1, "valid_from": "23/11/2025", "valid_to": "", "order": rule.order,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    result = compliance(unit=vu_thu, start=D(2026, 3, 1), end=D(2026, 3, 31), today=D(2026, 4, 2))
    assert row(line(result, Measure.PER_MONTH), XA_VU_THU).behind == 0
    assert row(line(result, Measure.PER_MONTH), XA_VU_THU).required == 1


# --- the page -----------------------------------------------------------------------------------


def officer_of(code, client):
    from accounts.models import User

    user = User.objects.filter(role="commune_officer", unit__code=code).first()
    client.force_login(user)
    return client


def test_the_page_shows_each_rule_with_its_basis_and_who_is_behind(world, client):
    from accounts.models import User

    vu_thu = by_code(XA_VU_THU)
    session = reception(world, vu_thu, "03/03/2026")
    client.force_login(User.objects.get(username="bandanvantinh"))
    page = client.get("/compliance/", {"period": "month", "year": 2026, "month": 3})
    assert page.status_code == 200
    text = page.text
    assert "Người đứng đầu cấp ủy cấp xã tiếp công dân định kỳ" in text
    assert "Kết luận số 215-KL/TW" in text
    assert "Xã Vũ Thư" in text and f'href="/sessions/{session.pk}/"' in text
    assert "Xã Tân Thuận" in text


def test_the_page_defaults_to_the_users_unit_and_this_month(world, client):
    from django.utils import timezone

    page = officer_of(XA_VU_THU, client).get("/compliance/")
    today = timezone.localdate()
    result = page.context["result"]
    assert result.unit == by_code(XA_VU_THU)
    assert (result.start.month, result.start.year) == (today.month, today.year)


def test_a_unit_outside_the_scope_and_a_bad_month_are_refused_next_to_the_field(world, client):
    officer = officer_of(XA_VU_THU, client)
    page = officer.get("/compliance/", {"unit": by_code(XA_TAN_THUAN).pk, "month": "13"})
    assert page.status_code == 200
    assert "result" not in page.context
    assert set(page.context["form"].errors) == {"unit", "month"}
    page = officer.get("/compliance/", {"year": "abc", "unit": "9" * 40, "rule": "x", "page": "z"})
    assert page.status_code == 200


def test_the_rule_page_lists_every_unit_by_pages(world, client, monkeypatch):
    from accounts.models import User

    monkeypatch.setattr("obligations.views.UNITS_PER_PAGE", 2)
    rule = Obligation.objects.get(measure=Measure.PER_MONTH, level=UnitLevel.COMMUNE)
    client.force_login(User.objects.get(username="bandanvantinh"))
    params = {"period": "month", "year": 2026, "month": 3, "rule": rule.pk}
    first = client.get("/compliance/", params)
    second = client.get("/compliance/", {**params, "page": 2})
    shown = [r.unit.pk for r in first.context["page"]] + [r.unit.pk for r in second.context["page"]]
    assert len(shown) == 4 and len(set(shown)) == 4


def test_the_page_has_a_bounded_number_of_queries_at_a_province_of_many_communes(
    world, client, django_assert_max_num_queries
):
    from accounts.models import User

    province = by_code(HUNG_YEN)
    client.force_login(User.objects.get(username="bandanvantinh"))
    params = {"period": "year", "year": 2026}
    with django_assert_max_num_queries(20) as few:
        client.get("/compliance/", params)
    for index in range(40):
        commune = AdministrativeUnit.objects.add_child(
            AdministrativeUnit.objects.get(pk=province.pk),
            create_kwargs={"name": f"Xã thử {index}", "kind": "commune", "code": f"39{index:03}"},
        )
        reception(world, commune, "03/03/2026")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/compliance/", params)
    assert len(line(page.context["result"], Measure.PER_MONTH).units) > 40
    assert Session.objects.count() >= 40


# --- the home page ------------------------------------------------------------------------------


def test_the_home_page_shows_what_falls_due_this_month_for_the_officers_commune(world, client):
    from django.utils import timezone

    today = timezone.localdate()
    first = today.replace(day=1)
    reception(world, by_code(XA_VU_THU), first)
    page = officer_of(XA_VU_THU, client).get("/")
    due = page.context["due_this_month"]
    quota = next(item for item in due.quotas if item.rule.measure == Measure.PER_MONTH)
    assert [(r.unit.code, r.done, r.required) for r in quota.units] == [(XA_VU_THU, 1, 2)]
    assert "Đến hạn trong tháng" in page.text
    assert "xã Vũ Thư: <strong>1/2</strong>" in page.text
    days_left = (quota.units[0].buckets[0].last - today).days
    assert quota.units[0].days_left == days_left


def test_the_home_page_stays_within_a_constant_number_of_queries_at_a_province(
    world, client, django_assert_max_num_queries
):
    from django.utils import timezone

    from accounts.models import User

    client.force_login(User.objects.get(username="bandanvantinh"))
    reception(world, by_code(XA_VU_THU), timezone.localdate().replace(day=1))
    # The home page's budget (16 with its lists) and what falls due this month: a few queries
    # (the holidays, the units, one per monthly quota, two for the deadlines), not per unit.
    with django_assert_max_num_queries(16 + 6) as few:
        page = client.get("/")
    assert page.context["due_this_month"].quotas
    province = by_code(HUNG_YEN)
    for index in range(20):
        commune = AdministrativeUnit.objects.add_child(
            AdministrativeUnit.objects.get(pk=province.pk),
            create_kwargs={"name": f"Xã mới {index}", "kind": "commune", "code": f"38{index:03}"},
        )
        reception(world, commune, timezone.localdate().replace(day=1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")


def test_the_home_page_counts_each_kind_of_session_separately(world, client):
    from django.utils import timezone

    today = timezone.localdate()
    reception(world, by_code(XA_VU_THU), today.replace(day=1))
    dialogue(world, by_code(XA_VU_THU), today.replace(day=2))
    page = officer_of(XA_VU_THU, client).get("/")
    kinds = {line.kind: line.count for line in page.context["figures"].sessions_by_kind}
    assert kinds == {"dialogue": 1, "reception": 1, "ad_hoc_reception": 0}
    assert page.context["figures"].sessions_held == 2
    assert "<li>Tiếp công dân định kỳ: 1</li>" in page.text
