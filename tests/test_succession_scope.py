"""Scope follows succession: a new commune's officers and the new province's staff see the
history of the units theirs were formed from, read only; nobody else does; still one query."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from communes.models import AdministrativeUnit
from dialogues.models import Session, SessionStatus
from feedback.models import Opinion

from .factories import make_opinion, make_plan, make_session
from .reform import HUNG_YEN, XA_TAN_THUAN, XA_VU_THU, apply_reform, by_code


def old(name):
    return AdministrativeUnit.objects.get(name=name, kind="commune", code__startswith="344")


def login(username, *, role=Role.COMMUNE_OFFICER, code):
    user, _ = User.objects.update_or_create(
        username=username, defaults={"role": role, "unit": by_code(code)}
    )
    client = Client()
    client.force_login(user)
    return client, User.objects.select_related("unit").get(pk=user.pk)


@pytest.fixture
def world(demo):
    """Dũng Nghĩa's and Bách Thuận's 2019 sessions, the reform, then a session of xã Vũ Thư."""
    plan = make_plan()
    dung_nghia_2019 = make_session(
        plan=plan, host=old("Dũng Nghĩa"), day="17/05/2019", status=SessionStatus.HELD
    )
    bach_thuan_2019 = make_session(
        plan=plan, host=old("Bách Thuận"), day="20/05/2019", status=SessionStatus.HELD
    )
    district_2019 = make_session(
        plan=plan, host=by_code("344"), day="12/04/2019", status=SessionStatus.HELD,
        attending=[old("Dũng Nghĩa")],
    )  # fmt: skip
    opinion_2019 = make_opinion(session=dung_nghia_2019, outcome="answered")
    apply_reform()
    new_plan = make_plan(unit_=by_code(HUNG_YEN), start="01/01/2026", end="31/12/2026")
    vu_thu_2026 = make_session(
        plan=new_plan, host=by_code(XA_VU_THU), day="15/10/2026", status=SessionStatus.HELD
    )
    return {
        "dung_nghia_2019": dung_nghia_2019,
        "bach_thuan_2019": bach_thuan_2019,
        "district_2019": district_2019,
        "opinion_2019": opinion_2019,
        "opinion_2026": make_opinion(session=vu_thu_2026, outcome="answered"),
        "vu_thu_2026": vu_thu_2026,
        "plan_2019": plan,
    }


def test_xavuthu_sees_dung_nghias_2019_session_and_opinion_through_their_old_urls(world):
    client, _ = login("xavuthu", code=XA_VU_THU)
    page = client.get(f"/sessions/{world['dung_nghia_2019'].pk}/")
    assert page.status_code == 200 and "Dũng Nghĩa" in page.text
    assert client.get(f"/opinions/{world['opinion_2019'].pk}/").status_code == 200
    listed = client.get("/sessions/").context["page"].paginator.count
    assert listed == 2  # Dũng Nghĩa's of 2019 and xã Vũ Thư's of 2026
    # The plan that bound the old communes opens too: the session page links to it.
    assert client.get(f"/plans/{world['plan_2019'].pk}/").status_code == 200


def test_xatanthuan_gets_not_found_for_xa_vu_thus_records_old_and_new(world):
    client, _ = login("xatanthuan", code=XA_TAN_THUAN)
    for session in ("dung_nghia_2019", "vu_thu_2026"):
        assert client.get(f"/sessions/{world[session].pk}/").status_code == 404
    for opinion in ("opinion_2019", "opinion_2026"):
        assert client.get(f"/opinions/{world[opinion].pk}/").status_code == 404
    # Their own predecessor's history is theirs to read.
    assert client.get(f"/sessions/{world['bach_thuan_2019'].pk}/").status_code == 200


def test_hung_yens_staff_see_thai_binhs_old_tree_and_the_new_one(world):
    client, _ = login("bandanvantinh", role=Role.BOARD_STAFF, code=HUNG_YEN)
    for session in ("district_2019", "dung_nghia_2019", "bach_thuan_2019", "vu_thu_2026"):
        assert client.get(f"/sessions/{world[session].pk}/").status_code == 200
    assert client.get(f"/units/{by_code('34').pk}/").status_code == 200


def test_history_seen_through_succession_is_read_only(world):
    client, _ = login("xavuthu", code=XA_VU_THU)
    session = world["dung_nghia_2019"]
    page = client.get(f"/sessions/{session.pk}/")
    assert f"/sessions/{session.pk}/record/" not in page.text
    assert client.post(f"/sessions/{session.pk}/record/", {}).status_code == 403
    entry = client.get(f"/sessions/{session.pk}/opinions/")
    assert entry.status_code == 200 and "op-TOTAL_FORMS" not in entry.text
    before = Opinion.objects.filter(session=session).count()
    client.post(f"/sessions/{session.pk}/opinions/", {"op-TOTAL_FORMS": "1"})
    assert Opinion.objects.filter(session=session).count() == before
    opinion = world["opinion_2019"]
    assert client.post(f"/opinions/{opinion.pk}/reopen/", {}).status_code == 403
    # Their own new session is theirs to change.
    own = world["vu_thu_2026"]
    assert client.get(f"/sessions/{own.pk}/record/").status_code == 200


def test_visible_to_stays_one_query_with_one_range_per_inherited_path(world):
    _, officer = login("xavuthu", code=XA_VU_THU)
    with CaptureQueriesContext(connection) as queries:
        hosts = set(Session.objects.visible_to(officer).values_list("host_unit__name", flat=True))
    assert hosts == {"Dũng Nghĩa", "Vũ Thư"}
    assert len(queries) == 1
    # Its own path and the six old units', each a range of paths; no list of ids.
    assert queries[0]["sql"].count("BETWEEN") == 7


def test_the_old_district_report_scope_is_unchanged_by_the_reform(world):
    district = by_code("344")
    hosts = set(Session.objects.within(district).values_list("host_unit__name", flat=True))
    assert hosts == {"Vũ Thư", "Dũng Nghĩa", "Bách Thuận"}
    assert not Session.objects.within(district).filter(pk=world["vu_thu_2026"].pk).exists()


@pytest.mark.postgres
def test_inherited_scope_is_served_by_the_path_index(world):
    if connection.vendor != "postgresql":
        pytest.skip("the index plan is PostgreSQL's")
    _, officer = login("xavuthu", code=XA_VU_THU)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = AdministrativeUnit.objects.visible_to(officer).explain()
        cursor.execute("SET enable_seqscan = on")
    assert "Index" in plan, plan


def test_search_and_export_of_the_successor_include_the_predecessors_opinions(world):
    client, _ = login("xavuthu", code=XA_VU_THU)
    found = client.get("/opinions/", {"q": "giay chung nhan"}).context["page"].object_list
    assert world["opinion_2019"].pk in [opinion.pk for opinion in found]
    export = client.get("/opinions/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    cells = {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row}
    assert world["opinion_2019"].content in cells
    other, _ = login("xatanthuan", code=XA_TAN_THUAN)
    found = other.get("/opinions/", {"q": "giay chung nhan"}).context["page"].object_list
    assert world["opinion_2019"].pk not in [opinion.pk for opinion in found]
