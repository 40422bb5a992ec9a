"""The 2025 reorganisation applied from the data file: what it creates, ends, moves and refuses."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from accounts.models import User
from communes.models import AdministrativeUnit, Hamlet, OfficeHolder, Succession
from communes.services import ReorganisationRefused
from dialogues.models import PlanTarget, SessionStatus
from feedback.models import Opinion

from .factories import agency, make_opinion, make_plan, make_session, make_target
from .reform import (
    DECISION,
    EFFECTIVE,
    HUNG_YEN,
    MAPPING,
    XA_TAN_THUAN,
    XA_VU_THU,
    apply_reform,
    by_code,
    mapping_text,
)

HEADER = "successor_code,successor,kind,parent_code,predecessor_code,predecessor,share\n"


def snapshot():
    """Everything a reorganisation may change, as plain values."""
    return {
        "units": list(AdministrativeUnit.objects.values_list(
            "code", "name", "is_active", "ended_on", "inherited_paths", "path")),
        "successions": Succession.objects.count(),
        "hamlets": list(Hamlet.objects.values_list("pk", "commune_id", "name").order_by("pk")),
        "terms": list(OfficeHolder.objects.values_list("pk", "end_date").order_by("pk")),
        "users": list(User.objects.values_list("username", "unit_id", "agency_id", "moved_from_id")
                      .order_by("username")),
        "targets": list(PlanTarget.objects.values_list("pk", "unit_id").order_by("pk")),
        "opinions": list(Opinion.objects.values_list("pk", "unit_id", "agency_id").order_by("pk")),
        "log": LogEntry.objects.count(),
    }  # fmt: skip


@pytest.fixture
def open_work(demo):
    """A plan running across the reform, with targets, and an opinion still waiting."""
    plan = make_plan(start="01/01/2025", end="31/12/2025")
    for name in ("Dũng Nghĩa", "Hòa Bình", "Bách Thuận"):
        make_target(plan=plan, unit_=AdministrativeUnit.objects.get(name=name), level="commune")
    session = make_session(
        plan=plan, host=AdministrativeUnit.objects.get(name="Dũng Nghĩa"), day="12/03/2025",
        status=SessionStatus.HELD,
    )  # fmt: skip
    waiting = make_opinion(session=session, outcome="forwarded")
    closed = make_opinion(session=session, outcome="answered")
    return {"plan": plan, "waiting": waiting, "closed": closed}


def test_the_data_file_names_its_source_and_maps_all_thirty_units_of_vu_thu():
    text = mapping_text()
    assert "1666/NQ-UBTVQH15" in text and "202/2025/QH15" in text
    rows = [line.split(",") for line in text.splitlines() if line[:1].isdigit()]
    communes = {row[4] for row in rows if row[4].startswith("344") and len(row[4]) == 5}
    assert len(communes) == 30
    assert ["33", "Hưng Yên", "province", "", "34", "Thái Bình", "whole"] in rows


def test_the_reform_creates_hung_yen_and_the_new_communes_and_links_every_predecessor(demo):
    apply_reform()
    hung_yen = by_code(HUNG_YEN)
    assert hung_yen.full_name == "Tỉnh Hưng Yên" and hung_yen.depth == 1
    xa_vu_thu = by_code(XA_VU_THU)
    assert xa_vu_thu.full_name == "Xã Vũ Thư"
    assert AdministrativeUnit.objects.get_parent(xa_vu_thu) == hung_yen
    predecessors = Succession.objects.filter(successor=xa_vu_thu)
    assert sorted(s.predecessor.name for s in predecessors) == sorted(
        ["Vũ Thư", "Hòa Bình", "Minh Khai", "Minh Quang", "Tam Quang", "Dũng Nghĩa"]
    )
    assert {(s.decision, s.effective_on, s.share) for s in predecessors} == {
        (DECISION, EFFECTIVE, "whole")
    }


def test_old_units_end_keep_their_names_and_records_and_their_office_holders_leave(demo):
    apply_reform()
    dung_nghia = AdministrativeUnit.objects.get(name="Dũng Nghĩa")
    assert not dung_nghia.is_active and dung_nghia.ended_on == EFFECTIVE
    assert not by_code("344").is_active and not by_code("34").is_active
    assert not dung_nghia.office_holders_on(EFFECTIVE).exists()
    assert dung_nghia.office_holders_on(datetime.date(2025, 6, 30)).count() == 4
    # Who took each over: the unit it went to as a whole, or its only successor.
    assert dung_nghia.heir().code == XA_VU_THU
    assert by_code("344").heir().code == HUNG_YEN == by_code("34").heir().code


def test_hamlets_move_to_the_new_commune_and_same_names_are_told_apart(demo):
    before = Hamlet.objects.filter(commune__name__in=["Dũng Nghĩa", "Hòa Bình"]).count()
    apply_reform()
    names = set(Hamlet.objects.filter(commune__code=XA_VU_THU).values_list("name", flat=True))
    assert len(names) >= before
    # Every old commune had a Thôn Đông; the later ones carry their old commune's name.
    assert "Thôn Đông" in names and "Thôn Đông (Dũng Nghĩa)" in names
    assert not Hamlet.objects.filter(commune__name="Dũng Nghĩa").exists()


def test_users_move_to_the_successor_and_are_told_once_at_their_next_login(demo, client):
    apply_reform()
    officer = User.objects.get(username="dungnghia")
    assert officer.unit.code == XA_VU_THU
    staff = User.objects.get(username="bandanvan")
    assert staff.unit.code == HUNG_YEN  # the district's staff go to the province
    client.post("/accounts/login/", {"username": "dungnghia", "password": "DoiThoai@2019"})
    page = client.get("/units/")
    assert "Xã Dũng Nghĩa" in page.text and "01/07/2025" in page.text
    client.logout()
    client.post("/accounts/login/", {"username": "dungnghia", "password": "DoiThoai@2019"})
    assert "01/07/2025" not in client.get("/units/").text


def test_targets_of_running_plans_go_to_the_new_commune_once(open_work):
    apply_reform()
    targets = PlanTarget.objects.filter(plan=open_work["plan"])
    assert sorted(t.unit.code for t in targets) == sorted([XA_VU_THU, XA_TAN_THUAN])


def test_waiting_opinions_move_and_those_of_an_ended_agency_are_left_for_board_staff(open_work):
    result = apply_reform()
    waiting, closed = (Opinion.objects.get(pk=open_work[k].pk) for k in ("waiting", "closed"))
    assert waiting.unit.code == XA_VU_THU
    assert closed.unit.name == "Dũng Nghĩa"  # history stays where it happened
    assert result.to_route == [waiting.pk]
    assert list(Opinion.objects.needing_routing()) == [waiting]


def test_an_agency_file_maps_a_district_office_to_one_of_today(open_work):
    agencies = (
        "old_agency,new_agency,new_short_name,new_unit_code\n"
        "Phòng Tài nguyên và Môi trường huyện Vũ Thư,"
        "Sở Nông nghiệp và Môi trường tỉnh Hưng Yên,NN&MT,33\n"
    )
    result = apply_reform(agencies=agencies)
    waiting = Opinion.objects.get(pk=open_work["waiting"].pk)
    assert waiting.agency.name == "Sở Nông nghiệp và Môi trường tỉnh Hưng Yên"
    assert result.to_route == []
    assert User.objects.get(username="tnmt").agency == waiting.agency
    assert not agency().is_active


def test_every_change_is_in_the_audit_log(open_work):
    apply_reform()
    logged = {(entry.content_type.model, entry.object_repr) for entry in LogEntry.objects.all()}
    assert ("administrativeunit", "Xã Dũng Nghĩa") in logged
    assert ("administrativeunit", "Xã Vũ Thư") in logged
    assert ("user", "dungnghia") in logged
    assert ("opinion", str(open_work["waiting"])) in logged
    assert any(model == "succession" for model, _ in logged)


def test_a_dry_run_says_what_would_change_and_changes_nothing(open_work):
    before = snapshot()
    result = apply_reform(dry_run=True)
    assert snapshot() == before
    assert "Chuyển người dùng dungnghia từ Xã Dũng Nghĩa sang Xã Vũ Thư." in result.changes
    assert any(line.startswith("Thành lập Xã Tân Thuận") for line in result.changes)
    # The dry run lists exactly what the real run then does.
    assert apply_reform().changes == result.changes


def test_applying_the_same_reform_twice_changes_nothing_the_second_time(open_work):
    apply_reform()
    after = snapshot()
    result = apply_reform()
    assert result.changes == []
    assert snapshot() == after


def refused(mapping):
    with pytest.raises(ReorganisationRefused) as error:
        apply_reform(mapping=HEADER + mapping)
    return error.value.problems


def test_a_mapping_naming_an_unknown_unit_is_refused_with_its_line(demo):
    before = snapshot()
    problems = refused(
        "33801,Vũ Thư,commune,33,34404,Dũng Nghĩa,whole\n"
        "33801,Vũ Thư,commune,33,99999,Nowhere,whole\n"
        "33801,Vũ Thư,commune,33,34407,Minh Khai,whole\n"
    )
    assert any(p.startswith("Dòng 3:") and "99999" in p for p in problems)
    assert any(p.startswith("Dòng 4:") and "Hòa Bình" in p for p in problems)  # code ≠ name
    assert any("33" in p and "cấp trên" in p for p in problems)  # Hưng Yên is not in this file
    assert snapshot() == before


def test_a_unit_mapped_twice_as_a_whole_is_refused(demo):
    problems = refused(
        "33801,Vũ Thư,commune,,34404,Dũng Nghĩa,whole\n"
        "33803,Tân Thuận,commune,,34404,Dũng Nghĩa,whole\n"
    )
    assert any(p.startswith("Dòng 3:") and "dòng 2" in p for p in problems)
    assert not AdministrativeUnit.objects.filter(code="33801").exists()


def test_a_mapping_that_would_leave_users_without_a_unit_is_refused(demo):
    problems = refused(
        "33801,Vũ Thư,commune,,34404,Dũng Nghĩa,part\n"
        "33803,Tân Thuận,commune,,34404,Dũng Nghĩa,part\n"
    )
    assert any("dungnghia" in p for p in problems)


def test_ending_a_district_but_not_its_communes_is_refused(demo):
    problems = refused("33,Hưng Yên,province,,344,Vũ Thư,whole\n")
    assert any("Bách Thuận" in p for p in problems)


def test_the_command_applies_the_file_and_its_dry_run_changes_nothing(demo, capsys):
    args = [str(MAPPING), "--decision", DECISION, "--effective", "2025-07-01"]
    call_command("apply_reorganisation", *args, "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not AdministrativeUnit.objects.filter(code=XA_VU_THU).exists()
    call_command("apply_reorganisation", *args)
    assert by_code(XA_VU_THU).is_active
    call_command("apply_reorganisation", *args)
    assert "already applied" in capsys.readouterr().out


def test_the_command_lists_every_problem_of_a_refused_file(demo, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "33801,Vũ Thư,hamlet,,99999,X,most\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("apply_reorganisation", str(bad), "--decision", DECISION,
                     "--effective", "2025-07-01")  # fmt: skip
    message = str(error.value)
    assert "Dòng 2" in message and "hamlet" in message and "most" in message
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("apply_reorganisation", str(MAPPING), "--decision", DECISION,
                     "--effective", "01/07/2025")  # fmt: skip
