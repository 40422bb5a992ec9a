"""The rules in force, the holiday list and the fields are read from the cache of reference
tables (config/reference.py), so the pages that need them stay within their query budget, and a
change made by an administrator is seen at once."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from feedback.deadlines import working_calendar
from feedback.models import Field, Holiday, Opinion, all_fields
from obligations.models import Obligation
from obligations.rules import RuleBook
from obligations.services import obligations_load

D = datetime.date


@pytest.fixture
def cached(settings):
    """As in production: the reference tables kept in the cache, which starts empty."""
    settings.REFERENCE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def _client(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("username", ["bandanvantinh", "xavuthu", "bandanvan"])
def test_the_home_page_with_the_rules_in_force_makes_at_most_15_queries(
    full_demo, cached, username, django_assert_max_num_queries
):
    """The target of issue 7, on the full demo where today's rules are in force: the page shows
    what falls due this month, the quarter's figures by kind, the plan's coverage."""
    client = _client(username)
    first = client.get("/")  # reads the reference tables into the cache
    assert first.context["due_this_month"] is not None
    with django_assert_max_num_queries(15):
        page = client.get("/")
    assert page.status_code == 200
    assert page.context["due_this_month"].quotas
    assert page.context["coverage"] is not None


def test_the_opinion_page_makes_at_most_5_queries(full_demo, cached, django_assert_max_num_queries):
    opinion = Opinion.objects.filter(session__host_unit__code="33801").order_by("pk").first()
    client = _client("xavuthu")
    client.get(f"/opinions/{opinion.pk}/")
    with django_assert_max_num_queries(5):
        page = client.get(f"/opinions/{opinion.pk}/")
    assert page.status_code == 200
    assert page.context["acknowledge"].day is not None


def test_a_holiday_added_or_removed_counts_at_once(demo, cached):
    day = D(2026, 12, 3)
    assert day not in working_calendar()[0]
    holiday = Holiday.objects.create(day=day, name="Ngày nghỉ bù")
    assert day in working_calendar()[0]
    holiday.is_working_day = True
    holiday.save()
    assert day in working_calendar()[1]
    holiday.delete()
    assert day not in working_calendar()[0] | working_calendar()[1]


def test_a_rule_changed_in_the_admin_is_the_rule_of_the_next_page(demo, cached, admin_client):
    obligations_load()
    rule = RuleBook.load().rules[0]
    assert RuleBook.load().rules[0].number == rule.number  # now from the cache
    rule.number += 5
    rule.save()
    assert RuleBook.load().rules[0].number == rule.number
    Obligation.objects.get(pk=rule.pk).delete()
    assert rule.pk not in {r.pk for r in RuleBook.load().rules}


def test_a_renamed_field_is_named_so_at_once(demo, cached):
    field = all_fields()[0]
    field.name = "Đất đai, nhà ở"
    field.save()
    assert all_fields()[0].name == "Đất đai, nhà ở"


def test_a_change_inside_a_transaction_empties_the_cache_again_when_committed(
    demo, cached, django_capture_on_commit_callbacks
):
    """A page read between the save and the commit would put the old rows back: the entry is
    emptied once more after the commit."""
    all_fields()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Field.objects.create(name="Giao thông nông thôn", order=99)
        assert cache.get("reference:fields") is None
        all_fields()  # read again before the commit
        assert cache.get("reference:fields") is not None
    assert callbacks
    assert cache.get("reference:fields") is None
    assert "Giao thông nông thôn" in [f.name for f in all_fields()]


def test_with_the_cache_down_the_tables_are_read(demo, cached, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    assert [f.name for f in all_fields()] == list(
        Field.objects.order_by("order", "name").values_list("name", flat=True)
    )
