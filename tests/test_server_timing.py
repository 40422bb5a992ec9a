"""The Server-Timing header that `make bench` reads, /ping (its baseline), and the harness's
own arithmetic."""

import importlib.util
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from feedback.models import Opinion

TIMING = "config.middleware.ServerTimingMiddleware"


def _load_bench():
    path = django_settings.BASE_DIR / "scripts" / "bench.py"
    spec = importlib.util.spec_from_file_location("bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


@pytest.fixture
def timed(settings):
    """Settings as with SERVER_TIMING=1: the middleware is put first when settings are read."""
    settings.SERVER_TIMING = True
    settings.MIDDLEWARE = [TIMING, *(name for name in settings.MIDDLEWARE if name != TIMING)]
    return settings


def logged_in(username):
    # A client made after the settings changed loads the middleware they name.
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_header_counts_every_query_the_page_made(demo, timed):
    client = logged_in("bandanvan")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sessions/")
    assert response.status_code == 200
    header = response["Server-Timing"]
    assert header.startswith("app;dur=")
    assert f'desc="{len(queries)} queries"' in header
    timing = bench.parse_server_timing(header)
    assert timing["queries"] == len(queries)
    assert timing["app"] >= timing["db"] >= 0


def test_without_server_timing_there_is_no_header(demo, settings):
    settings.SERVER_TIMING = False
    # Even if it were listed, the middleware takes itself out.
    settings.MIDDLEWARE = [TIMING, *settings.MIDDLEWARE]
    response = logged_in("bandanvan").get("/sessions/")
    assert response.status_code == 200
    assert "Server-Timing" not in response


def middleware_when(server_timing):
    env = {k: v for k, v in os.environ.items() if k != "SERVER_TIMING"}
    env.update(SERVER_TIMING=server_timing, SECRET_KEY="x" * 50, DEBUG="0")
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(*s.MIDDLEWARE)"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_the_middleware_is_first_when_on_and_not_installed_when_off():
    assert middleware_when("1")[0] == TIMING
    assert TIMING not in middleware_when("0")


def test_ping_answers_ok_with_the_session_and_the_user_only(
    board_staff, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = board_staff.get("/ping")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_ping_sends_an_anonymous_visitor_to_the_login_page(anonymous, db):
    response = anonymous.get("/ping")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# The harness's pure functions (scripts/bench.py)


def test_percentile_interpolates_between_the_closest_ranks():
    assert bench.percentile([4, 1, 3, 2], 50) == 2.5
    assert bench.percentile([7], 95) == 7
    assert bench.percentile(range(1, 101), 95) == pytest.approx(95.05)
    assert bench.percentile([1, 2, 3], 100) == 3
    with pytest.raises(ValueError):
        bench.percentile([], 50)


def test_server_timing_is_parsed_and_what_is_missing_is_none():
    parsed = bench.parse_server_timing('app;dur=12.5, db;dur=3.0;desc="7 queries"')
    assert parsed == {"app": 12.5, "db": 3.0, "queries": 7}
    assert bench.parse_server_timing(None) == {"app": None, "db": None, "queries": None}
    assert bench.parse_server_timing("app;dur=1.5")["queries"] is None


def test_a_page_misses_the_targets_it_exceeds():
    fine = {"median": 20, "p95": 100, "queries": 15, "baseline": 5}
    assert bench.page_misses(**fine) == []
    assert bench.page_misses(**{**fine, "p95": 151}) == ["p95 > 150 ms"]
    assert bench.page_misses(**{**fine, "p95": 290}, p95_limit=300) == []
    assert bench.page_misses(**{**fine, "median": 51}) == ["median > 10× ping"]
    assert bench.page_misses(**{**fine, "queries": 16}) == ["queries > 15"]


def test_a_run_replaces_its_own_section_and_keeps_the_others():
    first = bench.replace_section("", "province", "Province, first run", "# Benchmarks")
    assert first.startswith("# Benchmarks\n\n<!-- bench:province:start -->\n")
    both = bench.replace_section(first, "district", "District", "# Benchmarks")
    again = bench.replace_section(both, "province", "Province, second run", "# Benchmarks, new")
    assert again.startswith("# Benchmarks, new\n")
    assert "Province, first run" not in again
    assert again.count("<!-- bench:province:start -->") == 1
    # Sections keep the order of the scales, whichever ran last.
    assert again.index("District") < again.index("Province, second run")
    assert again.endswith("<!-- bench:province:end -->\n")


def test_a_page_is_judged_by_its_usual_query_count_and_shows_the_range():
    timing = bench.Timing("page", "user", "/", walls=[10, 12, 11], queries=[15, 16, 15])
    assert timing.query_text == "15 (15–16)"
    assert timing.misses(baseline=5) == []


def test_the_bench_times_the_users_of_today_on_pages_that_open_for_them(full_demo):
    """The bench's users after the 2025 reorganisation: the new commune's officer gets every page
    it is timed on, their opinion page is a predecessor's record (seen through succession), and
    the province's report is Hưng Yên's, which took over Thái Bình."""
    assert [code for _, code, _, _ in bench.report_units()] == ["344", "33"]
    users, paths, _, _ = bench.discover()
    assert {"xavuthu", "bandanvantinh", "bandanvan", "dungnghia"} <= set(users)
    mine = {key: path for (key, name), path in paths.items() if name == "xavuthu"}
    assert {"dashboard", "sessions", "calendar", "opinions", "opinion"} <= set(mine)
    client = Client()
    client.force_login(users["xavuthu"])
    for path in mine.values():
        assert path.startswith("/"), path
        assert client.get(path).status_code == 200, path
    opinion = Opinion.objects.get(pk=mine["opinion"].strip("/").split("/")[-1])
    assert opinion.unit.code != "33801"
    assert opinion.unit.successions.get().successor.code == "33801"


def test_the_bench_times_the_public_pages_cold_at_addresses_of_their_own_and_cached_at_one(
    full_demo,
):
    """The public pages open without a login at the addresses the bench finds (xã Vũ Thư's,
    which the demo publishes); a cold request is at an address the cache has not seen, and the
    page ignores the parameter that makes it so but in its language links."""
    paths = bench.discover_public()
    assert paths["public:unit"] == "/cong-khai/33801/"
    assert paths["public:search"] == "/cong-khai/33801/?q=dat+dai"
    cold = bench.Timing("page", bench.ANONYMOUS, paths["public:search"], cold=True)
    assert [cold.address(n) for n in (1, 2)] == [
        "/cong-khai/33801/?q=dat+dai&bench=1",
        "/cong-khai/33801/?q=dat+dai&bench=2",
    ]
    cached = bench.Timing("page", bench.ANONYMOUS, paths["public:unit"])
    assert cached.address(1) == cached.address(2) == "/cong-khai/33801/"
    client = Client()
    for path in (paths["public:units"], cold.address(1), cached.address(1)):
        response = client.get(path)
        assert response.status_code == 200, path
    # The same page, but for the language links, which bring the visitor back where they were.
    cold_page = client.get(cold.address(3)).content
    assert b"%26bench%3D3" in cold_page
    assert cold_page.replace(b"%26bench%3D3", b"") == client.get(paths["public:search"]).content
