"""Lists that stay fast with millions of opinions, and the data generator the benchmark uses."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from communes.demo import REFORM_DAY
from communes.models import AdministrativeUnit, Agency, UnitKind, UnitLevel
from config.pagination import CappedPaginator
from dialogues.models import Session, SessionStatus
from feedback.models import Opinion, OpinionEvent, OpinionStatus
from public.selectors import public_sessions, unit_opinions, unit_sessions
from reports.scale import OTHER_DISTRICTS, SCALES, YEARS, Generator, generated_scale

from .factories import district, make_opinion, make_plan, make_session, unit

LIST_URL = "/opinions/"


@pytest.fixture
def opinions(demo):
    plan = make_plan()
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)
    return [make_opinion(session=session, content=f"Ý kiến số {n} về đường") for n in range(7)]


def test_a_list_past_the_count_cap_says_more_than_and_still_pages_in_order(
    board_staff, opinions, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    monkeypatch.setattr("feedback.views.lists.OPINIONS_PER_PAGE", 2)
    first = board_staff.get(LIST_URL)
    assert "Số ý kiến tìm thấy: hơn 5" in first.text
    assert "trong số hơn 5" in first.text
    shown = [o.pk for o in first.context["page"].object_list]
    second = board_staff.get(LIST_URL, {"page": 2})
    shown += [o.pk for o in second.context["page"].object_list]
    newest_first = sorted((o.pk for o in opinions), reverse=True)
    assert shown == newest_first[:4]


def test_a_list_under_the_cap_gives_the_exact_count(board_staff, opinions):
    response = board_staff.get(LIST_URL, {"q": "duong"})
    assert "Số ý kiến tìm thấy: 7" in response.text
    assert "hơn" not in response.text.split("Số ý kiến tìm thấy")[1][:20]


def test_the_unit_filter_offers_provinces_to_those_who_see_everything_yet_takes_any_unit(
    administrator, opinions
):
    page = administrator.get(LIST_URL)
    options = page.context["filter"].form.fields["unit"].widget.choices
    offered = {label for _, label in options[1:]}
    assert offered == {str(AdministrativeUnit.objects.get(code="34"))}
    dung_nghia = unit("Dũng Nghĩa")
    filtered = administrator.get(LIST_URL, {"unit": dung_nghia.pk})
    assert filtered.context["page"].paginator.count == 7
    assert f'<option value="{dung_nghia.pk}" selected>Xã Dũng Nghĩa</option>' in filtered.text


def test_the_unit_filter_offers_the_district_and_its_communes_to_board_staff(board_staff, demo):
    options = board_staff.get(LIST_URL).context["filter"].form.fields["unit"].widget.choices
    assert len(options) == 1 + 31  # "all units", the district and its 30 communes


def test_the_agency_filter_offers_only_agencies_the_users_opinions_can_go_to(officer, demo):
    elsewhere = AdministrativeUnit.objects.add_child(
        AdministrativeUnit.objects.get(code="34"),
        create_kwargs={"name": "Kiến Xương", "kind": UnitKind.DISTRICT, "code": "34099"},
    )
    Agency.objects.create(name="Phòng Tài nguyên và Môi trường huyện Kiến Xương", unit=elsewhere)
    response = officer.get(LIST_URL)
    offered = [label for _, label in response.context["filter"].form.fields["agency"].choices]
    assert "Phòng Tài nguyên và Môi trường huyện Vũ Thư" in offered
    assert "Phòng Tài nguyên và Môi trường huyện Kiến Xương" not in offered


def test_the_fast_select_renders_as_djangos_select(board_staff, demo):
    from django import forms

    from config.widgets import FastSelect

    choices = [("", "Tất cả"), (1, "Xã <Dũng> Nghĩa"), ("Nhóm", [(2, "A & B")])]
    ours = FastSelect(choices=choices, attrs={"class": "form-select"})
    django = forms.Select(choices=choices, attrs={"class": "form-select"})
    for value in ("", "1", "2"):
        expected = "".join(django.render("unit", value).split())
        assert "".join(ours.render("unit", value).split()) == expected


# --- PostgreSQL: the indexes and the generator ---------------------------------------------

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram index and COPY exist only on PostgreSQL"
)


@pytest.mark.postgres
@needs_postgres
def test_search_without_diacritics_can_be_served_by_the_trigram_index(opinions):
    query = Opinion.objects.search("duong so").order_by()
    with connection.cursor() as cursor:
        # A handful of rows is cheaper to scan; forbid it to see whether the index serves.
        cursor.execute("SET enable_seqscan = off")
        plan = query.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "feedback_opinion_search_trgm" in plan, plan


@pytest.mark.postgres
@needs_postgres
def test_unit_paths_have_statistics_fine_enough_for_a_district(demo):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = "
            "'communes_administrativeunit'::regclass AND attname = 'path'"
        )
        assert cursor.fetchone()[0] == 10000


@pytest.mark.postgres
@needs_postgres
def test_generate_scale_data_builds_the_province_as_the_issue_describes(db):
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    # The province's shape at full size; 2 opinions a session instead of 40 to stay quick.
    Generator(SCALES["province"], stdout=out, opinions_per_session=2).run()
    communes = AdministrativeUnit.objects.at_level(UnitLevel.COMMUNE)
    # Thái Bình's 260; formed on 1/7/2025, the demo's 8 communes and wards of Hưng Yên and the
    # generated districts' communes three into one (19 → 7, 38 → 13, 33 → 11, …).
    formed = 8 + sum(-(-count // 3) for _, _, count in OTHER_DISTRICTS)
    assert communes.exclude(predecessions__isnull=False).count() == 260
    assert communes.count() == 260 + formed
    assert not communes.filter(predecessions__isnull=True, is_active=True).exists()
    assert AdministrativeUnit.objects.find_problems() == ([], [], [], [], [])
    province = AdministrativeUnit.objects.get(code="34")
    assert AdministrativeUnit.objects.get_descendant_count(province) == 8 + 260
    years = [timezone.localdate().year - back for back in range(1, YEARS + 1)]
    for year in years:
        # Four sessions a year in every commune; in 2025 two before the reorganisation, two by
        # each new commune after it.
        expected = 260 * 2 + formed * 2 if year == REFORM_DAY.year else 260 * 4
        assert Session.objects.filter(starts_at__year=year).count() == expected
    assert not Session.objects.filter(
        host_unit__ended_on__isnull=False, starts_at__date__gte=REFORM_DAY
    ).exists()
    generated = Opinion.objects.filter(session__starts_at__year__in=years)
    assert generated.count() == (260 * YEARS * 4 - 260 * 2 + formed * 2) * 2
    # A new commune of a generated district: its officer sees its three predecessors' records
    # through the inherited paths, and nobody else's.
    new = AdministrativeUnit.objects.get(code="336001")
    old = [link.predecessor for link in new.predecessions.select_related("predecessor")]
    assert len(old) == 3 and len(new.inherited_paths) == 3
    officer = User.objects.create_user("xamoi", role=Role.COMMUNE_OFFICER, unit=new)
    seen = Session.objects.visible_to(officer)
    assert set(seen.values_list("host_unit", flat=True).distinct()) == {
        new.pk,
        *(u.pk for u in old),
    }
    assert seen.filter(host_unit=new).count() == 2
    assert seen.filter(host_unit__in=old).count() == 3 * (YEARS * 4 - 2)
    # Their targets: the old communes' plan of 2025 ends the day before; the new commune's two
    # sessions are in Hưng Yên's plan for the rest of the year.
    target = new.plan_targets.select_related("plan__unit").get()
    assert target.plan.unit.code == "33"
    assert (target.period_start, target.sessions_required) == (REFORM_DAY, 2)
    assert {t.period_end for t in old[0].plan_targets.filter(period_start__year=2025)} == {
        REFORM_DAY - datetime.timedelta(days=1)
    }
    # Stored as the app stores them: folded text, a timeline, the fields each status needs.
    for opinion in generated.select_related("hamlet", "field").order_by("?")[:200]:
        assert opinion.search_text == opinion.folded_text()
        assert opinion.events.exists()
        if opinion.status in (OpinionStatus.FORWARDED, OpinionStatus.RESOLVED):
            assert opinion.agency is not None and opinion.deadline is not None
        if opinion.status == OpinionStatus.ANSWERED:
            assert opinion.session_answer and opinion.closed_at
    assert OpinionEvent.objects.filter(opinion__in=generated).count() > generated.count()
    # Since the reform results are published, as the 2025 rules ask: the new commune's two
    # sessions and every opinion of theirs but duplicates are on its public page, and no session
    # generated before the reform is public.
    public = unit_opinions(new)
    assert unit_sessions(new).count() == 2
    assert public.count() == (
        Opinion.objects.filter(session__host_unit=new, duplicate_of__isnull=True).count()
    )
    assert public.filter(opinion__duplicate_of__isnull=False).count() == 0
    assert (
        not public_sessions()
        .filter(starts_at__year__in=years, starts_at__date__lt=REFORM_DAY)
        .exists()
    )
    assert Client().get(reverse("public:unit", args=[new.code])).status_code == 200
    # The deadline to publish results is met on each of them.
    assert not Session.objects.filter(
        starts_at__date__gte=REFORM_DAY, results_published_on__isnull=True, host_unit=new
    ).exists()
    # The provincial board's user sees the whole province; new rows get new ids.
    staff = User.objects.get(username="bandanvantinh")
    assert Opinion.objects.visible_to(staff).count() == Opinion.objects.count()
    last_generated = Opinion.objects.order_by("-pk").first().pk
    session = Session.objects.filter(starts_at__year=years[0]).first()
    assert make_opinion(session=session).pk > last_generated
    assert generated_scale() == "province"
    # The demo loads again over it: the demo's responder keeps the agency the reorganisation
    # gave them, not one of the generated agencies with the same short name.
    call_command("load_demo", stdout=io.StringIO())
    agency = User.objects.get(username="tnmt").agency
    assert agency.name == "Sở Nông nghiệp và Môi trường tỉnh Hưng Yên"


@pytest.mark.postgres
@needs_postgres
def test_generate_scale_data_is_left_alone_when_there_and_refused_over_another_scale(db):
    out = io.StringIO()
    call_command("load_demo", stdout=io.StringIO())
    Generator(SCALES["district"], stdout=out, opinions_per_session=1).run()
    before = Opinion.objects.count()
    call_command("generate_scale_data", "--scale", "district", stdout=out)
    assert "already holds the district scale" in out.getvalue()
    assert Opinion.objects.count() == before
    with pytest.raises(CommandError, match="use a fresh database"):
        call_command("generate_scale_data", "--scale", "province", stdout=out)
    assert AdministrativeUnit.objects.get_children_count(district()) == 30


def test_generate_scale_data_refuses_sqlite_with_a_clear_message(db):
    if connection.vendor == "postgresql":
        pytest.skip("the refusal is for SQLite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("generate_scale_data", "--scale", "district", stdout=io.StringIO())


@pytest.mark.parametrize(
    "data",
    [{}, {"q": "x", "start": "99/99/2019", "session": "abc", "overdue": "on", "field": "1"}],
)
def test_filter_fields_are_written_as_crispy_writes_them(board_staff, demo, data):
    import re

    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    from config.filter_fields import as_filter_field
    from feedback.filters import OpinionFilter

    def squeezed(html):
        return re.sub(r"\s+", "", str(html))

    user = User.objects.get(username="bandanvan")
    form = OpinionFilter(data or None, user=user).form
    form.is_valid()
    for name in form.fields:
        assert squeezed(as_filter_field(form[name])) == squeezed(as_crispy_field(form[name])), name


def test_the_capped_count_reads_with_vietnamese_thousands(board_staff, opinions, monkeypatch):
    # As if 10,001 matched: the count stops there.
    monkeypatch.setattr(CappedPaginator, "count", property(lambda self: self.cap + 1))
    response = board_staff.get(LIST_URL)
    assert "Số ý kiến tìm thấy: hơn 10.000 (thu hẹp bộ lọc để đếm chính xác)" in response.text
    assert "trong số hơn 10.000" in response.text
