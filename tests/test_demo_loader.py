from django.core.management import call_command

from accounts.models import Role, User
from communes.models import AdministrativeUnit, Agency, Hamlet, OfficeHolder, Person, UnitKind


def snapshot():
    return {
        "units": list(AdministrativeUnit.objects.values_list("code", "name", "path")),
        "hamlets": list(Hamlet.objects.order_by("pk").values_list("commune__code", "name")),
        "holders": list(
            OfficeHolder.objects.order_by("pk").values_list("unit__code", "position", "person")
        ),
        "people": Person.objects.count(),
        "agencies": list(Agency.objects.order_by("pk").values_list("name")),
        "users": list(User.objects.order_by("username").values_list("username", "role", "unit")),
    }


def test_demo_has_thirty_units_under_vu_thu(demo):
    district = AdministrativeUnit.objects.get(name="Vũ Thư", kind=UnitKind.DISTRICT)
    below = district.subtree().exclude(pk=district.pk)
    assert below.count() == 30
    assert below.filter(kind=UnitKind.TOWN).get().name == "Vũ Thư"
    assert {"Dũng Nghĩa", "Bách Thuận", "Hòa Bình", "Xuân Hòa"} <= set(
        below.values_list("name", flat=True)
    )
    assert AdministrativeUnit.objects.get_parent(district).name == "Thái Bình"


def test_every_demo_unit_has_office_holders_and_every_commune_hamlets(demo):
    district = AdministrativeUnit.objects.get(code="344")
    for unit in district.subtree():
        positions = {h.position.name for h in unit.office_holders.all()}
        assert {"Bí thư", "Chủ tịch UBND"} <= positions, unit
        if unit != district:
            assert unit.hamlets.count() >= 3, unit


def test_one_demo_user_per_role(demo):
    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {
        "bandanvan": Role.BOARD_STAFF,
        "dungnghia": Role.COMMUNE_OFFICER,
        "bachthuan": Role.COMMUNE_OFFICER,
        "tnmt": Role.AGENCY_RESPONDER,
        "lanhdao": Role.LEADER,
        "admin": Role.ADMINISTRATOR,
    }
    assert User.objects.get(username="dungnghia").unit.name == "Dũng Nghĩa"
    assert User.objects.get(username="tnmt").agency.name.startswith(
        "Phòng Tài nguyên và Môi trường"
    )


def test_loading_the_demo_twice_leaves_the_same_data(full_demo):
    before = snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before


def test_demo_users_log_in_with_the_demo_password(demo, client):
    from communes.demo import DEMO_PASSWORD

    for username in ["bandanvan", "dungnghia", "bachthuan", "tnmt", "lanhdao", "admin"]:
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert response["Location"] == "/"
        assert client.get("/").status_code == 200
        client.post("/accounts/logout/")
