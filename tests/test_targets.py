import datetime
import re

from communes.models import AdministrativeUnit, UnitLevel
from dialogues.models import PlanTarget

from .factories import district, make_plan, make_target, unit
from .test_document_numbers import field_error


def bulk_data(plan_unit=None, level="commune", required=1, start="01/01/2019", end="31/12/2019"):
    return {
        "bulk-unit": (plan_unit or district()).pk,
        "bulk-level": level,
        "bulk-sessions_required": required,
        "bulk-period_start": start,
        "bulk-period_end": end,
    }


def target_data(unit_=None, level="district", required=3, start="01/01/2019", end="31/12/2019"):
    return {
        "target-unit": (unit_ or district()).pk,
        "target-level": level,
        "target-sessions_required": required,
        "target-period_start": start,
        "target-period_end": end,
    }


def test_every_commune_and_town_of_the_district_gets_a_target_in_one_go(board_staff):
    plan = make_plan()
    response = board_staff.post(f"/plans/{plan.pk}/targets/bulk/", bulk_data())
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.pk}/#targets"
    targets = PlanTarget.objects.filter(plan=plan)
    assert targets.count() == 30
    assert set(targets.values_list("level", flat=True)) == {UnitLevel.COMMUNE}
    assert {"Dũng Nghĩa", "Bách Thuận", "Vũ Thư"} <= set(
        targets.values_list("unit__name", flat=True)
    )
    assert all(t.period_start == datetime.date(2019, 1, 1) for t in targets)
    # Who set the targets is kept in their history.
    assert targets.first().history.first().history_user.username == "bandanvan"


def test_running_the_bulk_target_twice_leaves_thirty_and_updates_the_number(board_staff):
    plan = make_plan()
    board_staff.post(f"/plans/{plan.pk}/targets/bulk/", bulk_data())
    again = board_staff.post(f"/plans/{plan.pk}/targets/bulk/", bulk_data(), follow=True)
    assert PlanTarget.objects.filter(plan=plan).count() == 30
    first, second = (str(m) for m in again.context["messages"])
    # Created, updated, already set.
    assert re.findall(r"\d+", first) == ["30", "0", "0"]
    assert re.findall(r"\d+", second) == ["0", "0", "30"]
    board_staff.post(f"/plans/{plan.pk}/targets/bulk/", bulk_data(required=2))
    targets = PlanTarget.objects.filter(plan=plan)
    assert targets.count() == 30
    assert set(targets.values_list("sessions_required", flat=True)) == {2}


def test_merged_units_get_no_target(board_staff):
    plan = make_plan()
    from communes.services import reorganisation_apply

    reorganisation_apply(
        mapping="successor_code,successor,kind,parent_code,predecessor_code,predecessor,share\n"
        "34407,Hòa Bình,commune,344,34410,Minh Khai,whole\n",
        decision="99/NQ-UBTVQH15",
        effective_on=datetime.date(2025, 7, 1),
    )
    board_staff.post(f"/plans/{plan.pk}/targets/bulk/", bulk_data())
    assert PlanTarget.objects.filter(plan=plan).count() == 29


def test_bulk_target_at_a_level_with_no_unit_is_explained(board_staff):
    plan = make_plan()
    response = board_staff.post(f"/plans/{plan.pk}/targets/bulk/", bulk_data(level="province"))
    assert response.status_code == 200
    assert field_error(response, "id_bulk-level")
    assert not PlanTarget.objects.exists()


def test_three_district_level_sessions_for_the_district(board_staff):
    plan = make_plan()
    response = board_staff.post(f"/plans/{plan.pk}/targets/", target_data())
    assert response.status_code == 302
    target = PlanTarget.objects.get()
    assert (target.unit, target.level, target.sessions_required) == (district(), "district", 3)
    # The same target again only changes its number.
    board_staff.post(f"/plans/{plan.pk}/targets/", target_data(required=4))
    assert PlanTarget.objects.get().sessions_required == 4


def test_target_period_defaults_to_the_plans(board_staff):
    plan = make_plan(start="01/10/2018", end="31/12/2019")
    form = board_staff.get(f"/plans/{plan.pk}/").context["target_form"]
    assert form["period_start"].value() == datetime.date(2018, 10, 1)
    assert form["period_end"].value() == datetime.date(2019, 12, 31)


def test_target_period_must_lie_within_the_plans(board_staff):
    plan = make_plan()
    response = board_staff.post(
        f"/plans/{plan.pk}/targets/", target_data(start="01/06/2018", end="31/12/2019")
    )
    assert response.status_code == 200
    assert "01/01/2019" in field_error(response, "id_target-period_start")
    # What was typed is kept, and the page is still the plan's page.
    assert 'value="01/06/2018"' in response.text
    assert response.context["plan"] == plan
    assert not PlanTarget.objects.exists()


def test_target_needs_at_least_one_session(board_staff):
    plan = make_plan()
    response = board_staff.post(f"/plans/{plan.pk}/targets/", target_data(required=0))
    assert field_error(response, "id_target-sessions_required")
    response = board_staff.post(f"/plans/{plan.pk}/targets/", target_data(required="ba"))
    assert field_error(response, "id_target-sessions_required")
    assert 'value="ba"' in response.text
    assert not PlanTarget.objects.exists()


def test_target_level_must_be_the_units_own(board_staff):
    plan = make_plan()
    response = board_staff.post(
        f"/plans/{plan.pk}/targets/", target_data(unit_=unit("Dũng Nghĩa"), level="district")
    )
    assert "Dũng Nghĩa" in field_error(response, "id_target-level")
    assert not PlanTarget.objects.exists()


def test_target_unit_must_be_under_the_plans_unit(board_staff):
    plan = make_plan(unit_=unit("Dũng Nghĩa"), number="4-KH/ĐU")
    response = board_staff.post(
        f"/plans/{plan.pk}/targets/", target_data(unit_=unit("Bách Thuận"), level="commune")
    )
    assert field_error(response, "id_target-unit")
    assert not PlanTarget.objects.exists()


def test_only_board_staff_set_targets(officer, leader, responder):
    plan = make_plan()
    for client in (officer, leader, responder):
        assert client.post(f"/plans/{plan.pk}/targets/", target_data()).status_code == 403
        assert client.post(f"/plans/{plan.pk}/targets/bulk/", bulk_data()).status_code == 403
    assert not PlanTarget.objects.exists()


def test_board_staff_cannot_set_targets_on_the_provinces_plan(board_staff):
    plan = make_plan(unit_=AdministrativeUnit.objects.get(code="34"), number="20-KH/TU")
    assert board_staff.post(f"/plans/{plan.pk}/targets/", target_data()).status_code == 403
    assert board_staff.post(f"/plans/{plan.pk}/targets/bulk/", bulk_data()).status_code == 403
    assert not PlanTarget.objects.exists()


def test_targets_are_only_accepted_by_post(board_staff):
    plan = make_plan()
    assert board_staff.get(f"/plans/{plan.pk}/targets/").status_code == 405


def test_deleting_a_target_asks_first_and_leaves_it_in_the_plans_history(board_staff):
    plan = make_plan()
    target = make_target(plan=plan, unit_=district(), level="district", required=3)
    plan_page = board_staff.get(f"/plans/{plan.pk}/")
    # The table's button is a link to a page that asks: no JavaScript confirm needed.
    assert f'href="/targets/{target.pk}/delete/"' in plan_page.text
    question = board_staff.get(f"/targets/{target.pk}/delete/")
    assert question.status_code == 200
    assert "Xóa chỉ tiêu?" in question.text and district().full_name in question.text
    assert PlanTarget.objects.exists()  # asking deletes nothing
    response = board_staff.post(f"/targets/{target.pk}/delete/")
    assert response.status_code == 302
    assert not PlanTarget.objects.exists()
    history = board_staff.get(f"/plans/{plan.pk}/").text.split("Lịch sử thay đổi")[1]
    assert f"Đã xóa chỉ tiêu {district()}: 3" in history


def test_officer_cannot_delete_a_target(officer, outsider):
    plan = make_plan()
    target = make_target(plan=plan, unit_=unit("Dũng Nghĩa"), level="commune")
    assert officer.post(f"/targets/{target.pk}/delete/").status_code == 403
    assert officer.get(f"/targets/{target.pk}/delete/").status_code == 403
    assert outsider.post(f"/targets/{target.pk}/delete/").status_code == 403
    assert PlanTarget.objects.exists()


def test_targets_are_grouped_by_level_on_the_plans_page(board_staff, officer):
    plan = make_plan()
    make_target(plan=plan, unit_=district(), level="district", required=3)
    board_staff.post(f"/plans/{plan.pk}/targets/bulk/", bulk_data())
    groups = board_staff.get(f"/plans/{plan.pk}/").context["target_groups"]
    assert [(str(label), len(rows)) for label, rows in groups] == [
        (str(UnitLevel.DISTRICT.label), 1),
        (str(UnitLevel.COMMUNE.label), 30),
    ]
    # A commune officer sees their own commune's target only.
    groups = officer.get(f"/plans/{plan.pk}/").context["target_groups"]
    assert [[t.unit.name for t in rows] for _, rows in groups] == [["Dũng Nghĩa"]]
