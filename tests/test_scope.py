import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from communes.models import AdministrativeUnit, Agency, Hamlet, OfficeHolder
from communes.scope import PATH_ALPHABET, subtree_range


def user(username):
    return User.objects.select_related("unit", "agency").get(username=username)


def unit(name):
    return AdministrativeUnit.objects.get(name=name, kind__in=["commune", "town"])


def test_commune_officer_sees_their_commune_only(demo):
    officer = user("dungnghia")
    assert list(AdministrativeUnit.objects.visible_to(officer).values_list("name", flat=True)) == [
        "Dũng Nghĩa"
    ]
    hamlet_communes = set(
        Hamlet.objects.visible_to(officer).values_list("commune__name", flat=True)
    )
    assert hamlet_communes == {"Dũng Nghĩa"}
    holder_units = set(
        OfficeHolder.objects.visible_to(officer).values_list("unit__name", flat=True)
    )
    assert holder_units == {"Dũng Nghĩa"}


def test_board_staff_see_the_district_and_all_thirty_units(demo):
    staff = user("bandanvan")
    visible = AdministrativeUnit.objects.visible_to(staff)
    assert visible.count() == 31
    assert visible.exclude(code="344").count() == 30
    assert not visible.filter(name="Thái Bình").exists()


def test_agency_responder_sees_their_agency_and_no_unit(demo):
    responder = user("tnmt")
    assert not AdministrativeUnit.objects.visible_to(responder).exists()
    assert list(Agency.objects.visible_to(responder)) == [responder.agency]


def test_administrator_sees_everything(demo):
    assert AdministrativeUnit.objects.visible_to(user("admin")).count() == 32


def test_inactive_or_anonymous_users_see_nothing(demo):
    from django.contrib.auth.models import AnonymousUser

    assert not AdministrativeUnit.objects.visible_to(AnonymousUser()).exists()
    officer = user("dungnghia")
    officer.is_active = False
    assert not AdministrativeUnit.objects.visible_to(officer).exists()


def test_subtree_of_a_unit_is_one_query_at_any_depth(demo):
    province = AdministrativeUnit.objects.get(code="34")
    with CaptureQueriesContext(connection) as queries:
        names = list(province.subtree().values_list("name", flat=True))
    assert len(queries) == 1
    assert len(names) == 32


@pytest.mark.postgres
def test_subtree_query_is_served_by_the_path_index(demo):
    if connection.vendor != "postgresql":
        pytest.skip("the index plan is PostgreSQL's")
    district = AdministrativeUnit.objects.get(code="344")
    with connection.cursor() as cursor:
        # Tiny tables are cheaper to scan; forbid it to see whether an index can serve the query.
        cursor.execute("SET enable_seqscan = off")
        plan = district.subtree().explain()
        scope_plan = AdministrativeUnit.objects.within(district).explain()
        cursor.execute("SET enable_seqscan = on")
    assert "Index" in plan, plan
    # The scope's range of paths too.
    assert "Index" in scope_plan, scope_plan


def test_outsider_officer_gets_404_on_another_communes_unit_page(outsider):
    dung_nghia = unit("Dũng Nghĩa")
    assert outsider.get(f"/units/{dung_nghia.pk}/").status_code == 404


def test_officer_opens_their_own_unit_page(officer):
    dung_nghia = unit("Dũng Nghĩa")
    response = officer.get(f"/units/{dung_nghia.pk}/")
    assert response.status_code == 200
    assert "Dũng Nghĩa" in response.text


def test_unit_tree_lists_only_units_in_scope(officer, board_staff):
    response = officer.get("/units/")
    assert "Dũng Nghĩa" in response.text
    assert "Bách Thuận" not in response.text
    response = board_staff.get("/units/")
    assert response.context["page"].paginator.count == 31
    assert "Bách Thuận" in response.text and "Xuân Hòa" in response.text


def test_leader_reads_unit_pages(leader):
    assert leader.get("/units/").status_code == 200
    assert leader.get(f"/units/{unit('Bách Thuận').pk}/").status_code == 200


def test_a_scope_holds_exactly_the_units_whose_paths_start_with_its_own(demo):
    """`within` asks for a range of paths (communes/scope.py: cheaper to plan than LIKE): the
    same units as "starts with", for every unit of the demo, before and after the reform."""
    from .reform import apply_reform

    for moment in ("2019", "after the reform"):
        if moment != "2019":
            apply_reform()
        units = list(AdministrativeUnit.objects.all())
        for scope in units:
            expected = {
                u.pk for u in units if any(u.path.startswith(p) for p in scope.scope_paths())
            }
            found = set(AdministrativeUnit.objects.within(scope).values_list("pk", flat=True))
            assert found == expected, (moment, scope)


@given(
    path=st.text(alphabet=PATH_ALPHABET, min_size=4, max_size=12).filter(lambda p: len(p) % 4 == 0),
    other=st.text(alphabet=PATH_ALPHABET, min_size=4, max_size=24),
)
def test_a_subtree_range_is_the_paths_that_start_with_the_prefix(path, other):
    low, high = subtree_range(path)
    assert (low <= other <= high) == other.startswith(path)
    assert len(high) == 255
