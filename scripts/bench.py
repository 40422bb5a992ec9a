"""`make bench SCALE=…`: the app as in production (gunicorn, PostgreSQL, DEBUG off), timed.

    .venv/bin/python scripts/bench.py --scale province

Prepares the database (creates it, migrates, loads the data of the scale), starts gunicorn with
the Server-Timing header on, logs each user in through the login form and times the key pages
for the roles that use them, against a minimal logged-in view (/ping) timed in the same run, and
the public pages residents read without logging in, with an empty cache and cached. Then
it loads the opinion list with concurrent clients, renders the quarterly report of the district
and of the province, prints the results against the targets of issue 7 and writes them to
docs/benchmarks.md, one section per scale.

The functions at the top are pure (no Django) so that tests import them cheaply.
"""

import argparse
import datetime
import http.client
import math
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DOCS = BASE_DIR / "docs" / "benchmarks.md"
SCALES = ("demo", "district", "province", "national")

# The targets of issue 7.
PAGE_P95_MS = 150
SEARCH_P95_MS = 300
MEDIAN_RATIO = 10
MAX_QUERIES = 15
DISTRICT_REPORT_SECONDS = 5
PROVINCE_REPORT_SECONDS = 60
PROVINCE_REPORT_MB = 1024

WARMUP = 5
# The users of today, since the 2025 reorganisation: the board staff of Hưng Yên, which took over
# Thái Bình (they see its old tree through succession), and the officer of xã Vũ Thư, formed of
# six 2019 communes (they see those communes' records through its inherited paths). The 2019
# users are timed as the reorganisation left them (bandanvan and lanhdao went to Hưng Yên,
# dungnghia to xã Vũ Thư, tnmt to the province's department).
PROVINCE_USER = "bandanvantinh"
NEW_COMMUNE_USER = "xavuthu"
SEARCHES = ("dat dai", "o nhiem nuoc")  # Vietnamese folded to ASCII: "đất đai", "ô nhiễm nước"
LOAD_PAGES = 4  # the opinion list under load: page 1 and up to three more
# The public pages are read by anyone, logged in or not: timed without a login.
ANONYMOUS = "(no login)"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    users: tuple[str, ...]
    p95_limit: float = PAGE_P95_MS


READERS = ("bandanvan", "dungnghia", "lanhdao", PROVINCE_USER, NEW_COMMUNE_USER)
# The opinion list under load: the same four clients as before the reorganisation's users.
LOAD_USERS = ("bandanvan", "dungnghia", "lanhdao", PROVINCE_USER)
# The administrator sees every unit: at national scale, searches over all 2.7 million opinions.
EVERYTHING = "admin"
PAGES = (
    Page(
        "dashboard",
        "dashboard",
        ("bandanvan", "dungnghia", "lanhdao", "tnmt", PROVINCE_USER, NEW_COMMUNE_USER),
    ),
    Page("sessions", "session list", READERS),
    Page("calendar", "calendar", READERS),
    Page("coverage", "coverage", ("bandanvan", "lanhdao", PROVINCE_USER)),
    Page("opinions", "opinion list filtered", (*READERS, EVERYTHING)),
    *(
        Page(
            f"search:{query}", f"search “{query}”", (*READERS, EVERYTHING), p95_limit=SEARCH_P95_MS
        )
        for query in SEARCHES
    ),
    Page("opinion", "opinion page", ("bandanvan", "dungnghia", "tnmt", NEW_COMMUNE_USER)),
    Page("queue", "agency queue", ("tnmt",)),
)
# The public pages (issue 13), each timed twice: "cold", every request a page the cache has not
# seen (an address of its own: a parameter the page ignores), so it is made and stored; and
# "cached", the same address again and again, as residents following one shared link.
PUBLIC_PAGES = (
    ("public:units", "public unit list"),
    ("public:unit", "public unit page"),
    ("public:search", "public unit page, search “dat dai”"),
)
CACHE_STATES = ("cold", "cached")


# Pure functions ---------------------------------------------------------------------------------


def percentile(values, p: float) -> float:
    """The p-th percentile, interpolated between the closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


SERVER_TIMING_QUERIES = re.compile(r"(\d+) quer")


def parse_server_timing(header: str | None) -> dict:
    """{"app": ms, "db": ms, "queries": n} from `app;dur=…, db;dur=…;desc="n queries"`.

    What the header does not say is None.
    """
    result = {"app": None, "db": None, "queries": None}
    for metric in (header or "").split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        for param in params:
            key, _, value = param.partition("=")
            value = value.strip().strip('"')
            if key == "dur" and name in ("app", "db"):
                result[name] = float(value)
            elif key == "desc" and name == "db" and (match := SERVER_TIMING_QUERIES.match(value)):
                result["queries"] = int(match[1])
    return result


def page_misses(*, median, p95, queries, baseline, p95_limit=PAGE_P95_MS) -> list[str]:
    """The targets a page misses."""
    misses = []
    if p95 > p95_limit:
        misses.append(f"p95 > {p95_limit:g} ms")
    if baseline and median > MEDIAN_RATIO * baseline:
        misses.append(f"median > {MEDIAN_RATIO}× ping")
    if queries is None or queries > MAX_QUERIES:
        misses.append(f"queries > {MAX_QUERIES}")
    return misses


def section_markers(scale: str) -> tuple[str, str]:
    return f"<!-- bench:{scale}:start -->", f"<!-- bench:{scale}:end -->"


SECTION = re.compile(r"<!-- bench:(\w+):start -->.*?<!-- bench:\1:end -->\n?", re.DOTALL)


def settle(cores: int, *, most: float = 180) -> None:
    """Wait (at most `most` seconds) for the load of preparing the data to die down.

    Migrating, loading the demo and collecting static files keep the cores busy for a while;
    measuring right after them would time the pages on a busy machine.
    """
    deadline = time.monotonic() + most
    if os.getloadavg()[0] > cores / 2:
        print("Waiting for the machine to settle (1-minute load average above half the cores)…")
    while os.getloadavg()[0] > cores / 2 and time.monotonic() < deadline:
        time.sleep(5)


def replace_section(document: str, scale: str, body: str, header: str) -> str:
    """The document with this scale's section replaced by `body` and the others kept.

    The header is written anew above the sections, which come in the order of SCALES.
    """
    sections = {match[1]: match[0].rstrip("\n") for match in SECTION.finditer(document)}
    start, end = section_markers(scale)
    sections[scale] = f"{start}\n{body.strip()}\n{end}"
    order = sorted(sections, key=lambda name: (SCALES.index(name) if name in SCALES else 99, name))
    return header.strip() + "\n\n" + "\n\n".join(sections[name] for name in order) + "\n"


def markdown_table(headers, rows) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def text_table(headers, rows) -> str:
    """A table for the terminal: columns as wide as their widest cell, numbers on the right."""
    cells = [list(map(str, headers)), *([str(cell) for cell in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row):
        parts = []
        for text, width in zip(row, widths, strict=True):
            numeric = re.fullmatch(r"[\d.,×*–-]+", text) is not None
            parts.append(text.rjust(width) if numeric else text.ljust(width))
        return "  ".join(parts).rstrip()

    return "\n".join([line(cells[0]), "  ".join("-" * w for w in widths), *map(line, cells[1:])])


def ms(value) -> str:
    return "–" if value is None else f"{value:.1f}"


# Measurements -----------------------------------------------------------------------------------


@dataclass
class Timing:
    """N requests of one page by one user: client wall times and what Server-Timing said."""

    label: str
    user: str
    path: str
    walls: list[float] = field(default_factory=list)
    apps: list[float] = field(default_factory=list)
    dbs: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    error: str | None = None
    p95_limit: float = PAGE_P95_MS
    cold: bool = False  # each request at an address of its own (see PUBLIC_PAGES)

    def address(self, number: int) -> str:
        if not self.cold:
            return self.path
        return f"{self.path}{'&' if '?' in self.path else '?'}bench={number}"

    @property
    def median(self):
        return statistics.median(self.walls) if self.walls else None

    @property
    def p95(self):
        return percentile(self.walls, 95) if self.walls else None

    @property
    def app_median(self):
        return statistics.median(self.apps) if self.apps else None

    @property
    def db_median(self):
        return statistics.median(self.dbs) if self.dbs else None

    @property
    def query_count(self):
        """The most frequent count: the session is written back once a minute, one query more."""
        return statistics.mode(self.queries) if self.queries else None

    @property
    def query_text(self) -> str:
        if not self.queries:
            return "–"
        low, high = min(self.queries), max(self.queries)
        return str(self.query_count) if low == high else f"{self.query_count} ({low}–{high})"

    def misses(self, baseline) -> list[str]:
        if self.error:
            return [self.error]
        return page_misses(
            median=self.median,
            p95=self.p95,
            queries=self.query_count,
            baseline=baseline,
            p95_limit=self.p95_limit,
        )


class Browser:
    """One user's HTTP client: a connection of its own, the cookies the server set.

    gunicorn's sync workers close the connection after each response; http.client then opens
    a new one for the next request, over loopback, which is part of the time measured.
    """

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.cookies = dict(cookies or {})
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body bytes, seconds from sending to the last byte read)."""
        headers = {"Accept-Language": "vi", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        elapsed = time.perf_counter() - started
        for value in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(value).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, content, elapsed

    def get(self, path):
        return self.request("GET", path)

    def log_in(self, username: str, password: str) -> str | None:
        """Logs in through the form as a person would; the reason when it did not work.

        django-axes locks a username out after a few failures: a failure is not retried.
        """
        status, _, content, _ = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or token is None:
            return f"login page answered {status}"
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token[1].decode(), "username": username, "password": password}
        )
        status, _, _, _ = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            return f"login refused ({status})"
        return None


def time_page(browser: Browser, timing: Timing, *, requests: int, warmup: int) -> Timing:
    """Warm-up requests, then `requests` timed ones; the first answer must be a 200."""
    try:
        status, headers, _, _ = browser.get(timing.address(0))
        if status != 200:
            where = headers.get("Location")
            timing.error = f"HTTP {status}" + (f" → {where}" if where else "")
            return timing
        for number in range(1, warmup):
            browser.get(timing.address(number))
        for number in range(warmup, warmup + requests):
            status, headers, _, elapsed = browser.get(timing.address(number))
            if status != 200:
                timing.error = f"HTTP {status} during the run"
                return timing
            timing.walls.append(elapsed * 1000)
            server = parse_server_timing(headers.get("Server-Timing"))
            if server["app"] is not None:
                timing.apps.append(server["app"])
                timing.dbs.append(server["db"])
                timing.queries.append(server["queries"])
    except (OSError, http.client.HTTPException) as error:
        timing.error = f"{type(error).__name__}: {error}"
    return timing


@dataclass
class Load:
    clients: int
    seconds: float
    walls: list[float]
    errors: int
    error_kinds: dict
    client_cpu: float  # the harness's own CPU time over the wall time, in cores

    @property
    def rate(self):
        return len(self.walls) / self.seconds

    def misses(self):
        return [f"{self.errors} errors"] if self.errors else []


def load_test(port, clients: list[tuple[dict, list[str]]], *, concurrency, duration) -> Load:
    """`concurrency` threads, each a client of its own with one user's cookies, cycling
    through that user's pages for `duration` seconds; every non-200 or exception counts."""
    results = [[] for _ in range(concurrency)]
    failures = [[] for _ in range(concurrency)]
    start = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def client(number):
        cookies, paths = clients[number % len(clients)]
        browser = Browser(port, cookies)
        start.wait()
        turn = number  # clients start on different pages
        while time.perf_counter() < deadline[0]:
            path = paths[turn % len(paths)]
            turn += 1
            try:
                status, _, _, elapsed = browser.get(path)
            except (OSError, http.client.HTTPException) as error:
                failures[number].append(type(error).__name__)
                browser = Browser(port, cookies)
                continue
            if status == 200:
                results[number].append(elapsed * 1000)
            else:
                failures[number].append(f"HTTP {status}")

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    cpu = time.process_time()
    began = time.perf_counter()
    deadline[0] = began + duration
    start.wait()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    cpu = time.process_time() - cpu
    kinds = {}
    for kind in (kind for found in failures for kind in found):
        kinds[kind] = kinds.get(kind, 0) + 1
    return Load(
        clients=concurrency,
        seconds=seconds,
        walls=[wall for found in results for wall in found],
        errors=sum(kinds.values()),
        error_kinds=kinds,
        client_cpu=cpu / seconds,
    )


@dataclass
class Rendering:
    label: str
    unit_code: str
    opinions: int  # in the unit, in the quarter
    seconds_limit: float
    mb_limit: float | None = None
    seconds: float | None = None
    peak_mb: float | None = None
    pages: int | None = None
    error: str | None = None

    def misses(self):
        if self.error:
            return [self.error]
        misses = []
        if self.seconds > self.seconds_limit:
            misses.append(f"> {self.seconds_limit:g} s")
        if self.mb_limit and self.peak_mb > self.mb_limit:
            misses.append(f"> {self.mb_limit:g} MB")
        return misses


def render_report(env, rendering: Rendering, *, year, quarter, folder) -> Rendering:
    """`manage.py render_report` in a process of its own: wall time (Django's start included)
    and peak resident memory, from wait4's accounting of that one process."""
    output = Path(folder) / f"report-{rendering.unit_code}.pdf"
    log = Path(folder) / f"report-{rendering.unit_code}.log"
    command = [
        *manage(),
        "render_report",
        f"--unit={rendering.unit_code}",
        f"--year={year}",
        f"--quarter={quarter}",
        f"--output={output}",
    ]
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=out)  # noqa: S603
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    rendering.seconds = time.perf_counter() - started
    rendering.peak_mb = usage.ru_maxrss / 1024  # KiB on Linux
    if process.returncode != 0:
        lines = log.read_text(errors="replace").strip().splitlines()
        rendering.error = f"exit {process.returncode}: {lines[-1] if lines else ''}"
        return rendering
    from pypdf import PdfReader

    rendering.pages = len(PdfReader(output).pages)
    return rendering


# The run ----------------------------------------------------------------------------------------


def manage():
    return [sys.executable, str(BASE_DIR / "manage.py")]


def run_command(command, env, *, quiet=True):
    """Runs a command from the project folder; its output is shown only when it fails, unless
    it is worth following (the data generator)."""
    print("$", " ".join(str(part) for part in command[1:]), flush=True)
    result = subprocess.run(  # noqa: S603
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.STDOUT if quiet else None,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        if quiet:
            print(result.stdout)
        raise SystemExit(f"Failed (exit {result.returncode}): {' '.join(map(str, command))}")


def ensure_database(url: str):
    """Creates the database named in the URL when it does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            print(f"Creating the database {name}", flush=True)
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def server_env(database_url: str, folder: Path) -> dict:
    """Production's settings (DEBUG off), but plain HTTP on loopback and static files collected
    into a folder of this run (settings have no variable for STATIC_ROOT: a module of two lines
    imports them and changes that one value)."""
    (folder / "bench_settings.py").write_text(
        f"from config.settings import *  # noqa: F403\n\nSTATIC_ROOT = {str(folder / 'static')!r}\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        # The local .env must not leak in: the variables set here win over it.
        if key not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        SERVER_TIMING="1",
        SECURE_COOKIES="0",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1",
        # No broker: tasks run eagerly and the cache is in memory; no page needs either.
        REDIS_URL="",
        # One client sends thousands of requests to the public pages: no rate limit.
        PUBLIC_RATE_LIMIT="1000000/m",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=str(folder),
        MEDIA_ROOT=str(folder / "media"),
    )
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn in a process group of its own, so that stopping it stops its workers too."""

    def __init__(self, env, *, workers: int, folder: Path):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log_path = folder / "gunicorn.log"
        self.process = None

    def start(self):
        gunicorn = Path(sys.executable).parent / "gunicorn"
        command = [
            str(gunicorn),
            "config.wsgi",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            # As in production (Dockerfile): an access log line per request.
            "--access-logfile=-",
        ]
        print(f"$ gunicorn config.wsgi --bind 127.0.0.1:{self.port} --workers {self.workers}")
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start:\n{self.log_tail()}")
            try:
                status, _, _, _ = Browser(self.port).get("/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer /healthz within 60 s:\n{self.log_tail()}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        print("gunicorn stopped", flush=True)

    def log_tail(self, lines=30):
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def setup_django(env):
    """Django in this process, on the same database and settings, to find what to request."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def discover():
    """Who exists, and for each user the address of each page they use, from the data.

    Returns (users, paths, load_paths, notes): paths maps (page key, username) to a path or to
    an error text; load_paths maps a username to the opinion list's pages for the load test.
    """
    from django.db.models import Count
    from django.db.models.functions import TruncMonth, TruncYear
    from django.urls import reverse
    from django.utils import translation

    from accounts.models import User
    from dialogues.models import Plan, Session
    from feedback.models import Opinion, OpinionStatus

    wanted = {user for page in PAGES for user in page.users}
    users = {user.username: user for user in User.objects.filter(username__in=wanted)}
    paths, load_paths = {}, {}
    with translation.override("en"):
        notes = {
            name: f"{user.get_role_display()}, {user.unit or user.agency}"
            for name, user in sorted(users.items())
        }
    for page in PAGES:
        for name in page.users:
            user = users.get(name)
            if user is None:
                continue
            if page.key == "dashboard":
                paths[page.key, name] = "/"
            elif page.key == "sessions":
                paths[page.key, name] = reverse("dialogues:session-list")
            elif page.key == "queue":
                paths[page.key, name] = reverse("feedback:agency-queue")
            elif page.key == "calendar":
                busiest = (
                    Session.objects.visible_to(user)
                    .annotate(month=TruncMonth("starts_at"))
                    .values("month")
                    .annotate(n=Count("pk"))
                    .order_by("-n", "-month")
                    .first()
                )
                paths[page.key, name] = (
                    f"{reverse('dialogues:session-calendar')}?month={busiest['month']:%Y-%m}"
                    if busiest
                    else "no session in scope"
                )
            elif page.key == "coverage":
                plan = (
                    Plan.objects.visible_to(user)
                    .filter(targets__isnull=False)
                    .distinct()
                    .order_by("-period_start", "-pk")
                    .first()
                )
                paths[page.key, name] = (
                    reverse("dialogues:plan-coverage", args=[plan.pk])
                    if plan
                    else "no plan with targets in scope"
                )
            elif page.key == "opinion":
                mine = Opinion.objects.visible_to(user)
                if user.unit and user.unit.inherited_paths:
                    # A record of the units theirs succeeded: the old address still opens.
                    mine = mine.exclude(unit__path__startswith=user.unit.path)
                opinion = (
                    mine.filter(agency__isnull=False)
                    .exclude(status=OpinionStatus.NEW)
                    .order_by("-session__starts_at", "-pk")
                    .first()
                )
                paths[page.key, name] = (
                    reverse("feedback:opinion-detail", args=[opinion.pk])
                    if opinion
                    else "no forwarded opinion in scope"
                )
            elif page.key == "opinions":
                mine = Opinion.objects.visible_to(user)
                # The commonest field in the year with the most opinions (the latest of equals).
                year = (
                    mine.annotate(year=TruncYear("session__starts_at"))
                    .values("year")
                    .annotate(n=Count("pk"))
                    .order_by("-n", "-year")
                    .first()
                )
                if year is None:
                    paths[page.key, name] = "no opinion in scope"
                    continue
                year = year["year"].year
                in_year = mine.filter(session__starts_at__year=year)
                commonest = (
                    in_year.values("field").annotate(n=Count("pk")).order_by("-n", "field").first()
                )
                query = {"start": f"01/01/{year}", "end": f"31/12/{year}"}
                found = in_year
                if commonest and commonest["field"]:
                    query["field"] = commonest["field"]
                    found = in_year.filter(field=commonest["field"])
                query = urllib.parse.urlencode(query, safe="/")
                path = f"{reverse('feedback:opinion-list')}?{query}"
                paths[page.key, name] = path
                pages = max(1, math.ceil(found.count() / 25))
                load_paths[name] = [path] + [
                    f"{path}&page={number}" for number in range(2, min(pages, LOAD_PAGES) + 1)
                ]
            elif page.key.startswith("search:"):
                query = urllib.parse.urlencode({"q": page.key.removeprefix("search:")})
                paths[page.key, name] = f"{reverse('feedback:opinion-list')}?{query}"
    return users, paths, load_paths, notes


def discover_public() -> dict:
    """The public pages' addresses (PUBLIC_PAGES): the list of units, and the page of xã Vũ Thư
    (the demo's commune of today) or, when it has nothing public, of the unit of today with the
    most published opinions; or why there is none."""
    from django.db.models import Count
    from django.urls import reverse

    from communes.models import AdministrativeUnit
    from dialogues.demo import XA_VU_THU
    from public.selectors import public_opinions, public_unit_of, unit_opinions

    paths = {"public:units": reverse("public:unit-list")}
    unit = AdministrativeUnit.objects.filter(code=XA_VU_THU, is_active=True).first()
    if unit is None or not unit_opinions(unit).exists():
        busiest = (
            public_opinions()
            .values("session__host_unit")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        unit = None
        if busiest:
            unit = public_unit_of(AdministrativeUnit.objects.get(pk=busiest["session__host_unit"]))
    if unit is None:
        paths["public:unit"] = paths["public:search"] = "no published results"
    else:
        page = reverse("public:unit", args=[unit.code])
        paths["public:unit"] = page
        paths["public:search"] = f"{page}?{urllib.parse.urlencode({'q': SEARCHES[0]})}"
    return paths


def report_quarter(province_code: str, today: datetime.date):
    """(year, quarter): the finished quarter with the most opinions in the province (the latest
    of equals), or None when it has none."""
    from django.db.models import Count
    from django.db.models.functions import ExtractQuarter, ExtractYear

    from communes.models import AdministrativeUnit
    from feedback.models import Opinion

    province = AdministrativeUnit.objects.get(code=province_code)
    this_quarter = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    busiest = (
        Opinion.objects.within(province)
        .filter(session__starts_at__date__lt=this_quarter)
        .annotate(
            year=ExtractYear("session__starts_at"), quarter=ExtractQuarter("session__starts_at")
        )
        .values("year", "quarter")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year", "-quarter")
        .first()
    )
    return (busiest["year"], busiest["quarter"]) if busiest else None


def report_units():
    """(label, unit code, seconds allowed, MB allowed) of the reports rendered: the 2019 district
    (Vũ Thư, unchanged by the reorganisation) and the province of today (Thái Bình's heir,
    Hưng Yên, whose report counts Thái Bình's old tree through succession)."""
    from communes.demo import DISTRICT, PROVINCE
    from communes.models import AdministrativeUnit

    province = AdministrativeUnit.objects.get(code=PROVINCE[1]).heir()
    return [
        (f"district {DISTRICT[0]}", DISTRICT[1], DISTRICT_REPORT_SECONDS, None),
        (f"province {province.name}", province.code, PROVINCE_REPORT_SECONDS, PROVINCE_REPORT_MB),
    ]


def opinions_in_quarter(unit_code: str, year: int, quarter: int) -> int:
    from communes.models import AdministrativeUnit
    from feedback.models import Opinion

    return (
        Opinion.objects.within(AdministrativeUnit.objects.get(code=unit_code))
        .filter(session__starts_at__year=year, session__starts_at__quarter=quarter)
        .count()
    )


def machine(workers: int) -> dict:
    """What the numbers were measured on, and how busy it was before the run."""
    from django.db import connection

    from communes.models import AdministrativeUnit, UnitLevel
    from dialogues.models import Session
    from feedback.models import Opinion, OpinionEvent

    def read(path):
        return Path(path).read_text() if Path(path).exists() else ""

    cpu = re.search(r"^model name\s*:\s*(.+)$", read("/proc/cpuinfo"), re.MULTILINE)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", read("/proc/meminfo"), re.MULTILINE)
    pretty = re.search(r'^PRETTY_NAME="?([^"\n]+)"?', read("/etc/os-release"), re.MULTILINE)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]

    def git(*args):
        result = subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": commit,
        "cpu": cpu[1].strip() if cpu else platform.processor() or "unknown",
        "cores": os.cpu_count() or 1,
        "memory": f"{int(memory[1]) / 1024 / 1024:.1f} GB" if memory else "unknown",
        "os": pretty[1] if pretty else platform.platform(),
        "python": platform.python_version(),
        "postgres": postgres,
        "workers": workers,
        "load": os.getloadavg()[0],
        "communes": AdministrativeUnit.objects.at_level(UnitLevel.COMMUNE).count(),
        "sessions": Session.objects.count(),
        "opinions": Opinion.objects.count(),
        "events": OpinionEvent.objects.count(),
    }


@dataclass
class Results:
    scale: str
    args: argparse.Namespace
    facts: dict
    notes: dict
    timings: list
    pings: list  # (when, Timing)
    loads: list
    load_paths: dict
    quarter: tuple | None
    renderings: list

    @property
    def baseline(self):
        medians = [timing.median for _, timing in self.pings if timing.median]
        return statistics.mean(medians) if medians else None

    @property
    def busy(self) -> bool:
        return self.facts["load"] > self.facts["cores"] / 2

    def misses(self) -> int:
        return (
            sum(bool(timing.misses(self.baseline)) for timing in self.timings)
            + sum(bool(load.misses()) for load in self.loads)
            + sum(bool(rendering.misses()) for rendering in self.renderings)
        )


# Measuring --------------------------------------------------------------------------------------


def log_in_all(port, users, password):
    """Browsers of the users who logged in, and why the others could not."""
    browsers, refused = {}, {}
    for name in users:
        browser = Browser(port)
        reason = browser.log_in(name, password)
        if reason:
            refused[name] = reason
        else:
            browsers[name] = browser
    return browsers, refused


def time_pages(browsers, refused, users, paths, *, requests):
    timings = []
    for page in PAGES:
        for name in page.users:
            if name not in users:
                continue
            path = paths.get((page.key, name), "")
            timing = Timing(page.label, name, path, p95_limit=page.p95_limit)
            if name in refused:
                timing.error = refused[name]
            elif not path.startswith("/"):
                timing.error = path
            else:
                time_page(browsers[name], timing, requests=requests, warmup=WARMUP)
            timings.append(timing)
            result = timing.error or f"{ms(timing.median)} ms"
            print(f"  {page.label:24} {name:14} {result}", flush=True)
    return timings


def time_public_pages(port, public_paths, *, requests):
    """The public pages without a login, cold then cached (PUBLIC_PAGES)."""
    timings = []
    for key, label in PUBLIC_PAGES:
        path = public_paths.get(key, "")
        for state in CACHE_STATES:
            timing = Timing(f"{label} ({state})", ANONYMOUS, path, cold=state == "cold")
            if not path.startswith("/"):
                timing.error = path or "nothing public"
            else:
                time_page(Browser(port), timing, requests=requests, warmup=WARMUP)
            timings.append(timing)
            result = timing.error or f"{ms(timing.median)} ms"
            print(f"  {timing.label:42} {result}", flush=True)
    return timings


def measure(args, env, folder) -> Results:
    setup_django(env)
    from django.db import connections
    from django.utils import timezone

    from communes.demo import DEMO_PASSWORD

    today = timezone.localdate()
    users, paths, load_paths, notes = discover()
    public_paths = discover_public()
    reports = report_units()
    quarter = None if args.skip_reports else report_quarter(reports[-1][1], today)
    renderings = []
    if quarter:
        for label, code, seconds, mb in reports:
            count = opinions_in_quarter(code, *quarter)
            renderings.append(Rendering(label, code, count, seconds, mb))
    connections.close_all()  # the harness holds no connection while the server is measured
    settle(os.cpu_count() or 1, most=args.settle)
    facts = machine(args.workers)
    skipped = sorted({name for page in PAGES for name in page.users} - set(users))
    if skipped:
        print(f"Not in this data, skipped: {', '.join(skipped)}")
    if facts["load"] > facts["cores"] / 2:
        print(f"WARNING: the machine is busy (load average {facts['load']:.1f}).")

    server = Gunicorn(env, workers=args.workers, folder=folder)
    try:
        server.start()
        browsers, refused = log_in_all(server.port, users, DEMO_PASSWORD)
        if "bandanvan" not in browsers:
            raise SystemExit(f"bandanvan could not log in: {refused.get('bandanvan')}")
        # Each worker loads its code and compiles its templates on its first requests.
        for (_, name), path in paths.items():
            if name in browsers and path.startswith("/"):
                for _ in range(args.workers):
                    browsers[name].get(path)
        print(f"Timing /ping and the pages, {args.requests} requests each", flush=True)

        def ping():
            timing = Timing("ping", "bandanvan", "/ping")
            return time_page(browsers["bandanvan"], timing, requests=args.requests, warmup=WARMUP)

        pings = [("before", ping())]
        timings = time_pages(browsers, refused, users, paths, requests=args.requests)
        timings += time_public_pages(server.port, public_paths, requests=args.requests)
        pings.append(("after", ping()))

        load_paths = {
            name: load_paths[name] for name in LOAD_USERS if name in browsers and name in load_paths
        }
        clients = [(browsers[name].cookies, found) for name, found in load_paths.items()]
        loads = []
        # Half as many clients too: if the rate does not change, the server is the limit.
        for level in sorted({max(1, args.concurrency // 2), args.concurrency}):
            print(f"Opinion list under load: {level} clients for {args.duration:g} s", flush=True)
            loads.append(load_test(server.port, clients, concurrency=level, duration=args.duration))
    finally:
        server.stop()

    for rendering in renderings:
        print(f"Rendering the report of Q{quarter[1]}/{quarter[0]}, {rendering.label}", flush=True)
        render_report(env, rendering, year=quarter[0], quarter=quarter[1], folder=folder)
    return Results(
        args.scale, args, facts, notes, timings, pings, loads, load_paths, quarter, renderings
    )


# Output -----------------------------------------------------------------------------------------

PAGE_HEADERS = ("page", "user", "median ms", "p95 ms", "app ms", "SQL ms", "queries", "× ping")
LOAD_HEADERS = ("clients", "requests", "req/s", "median ms", "p95 ms", "errors", "client CPU")
REPORT_HEADERS = ("report", "quarter", "opinions", "seconds", "peak MB", "PDF pages")


def verdict(misses) -> str:
    return "PASS" if not misses else "MISS: " + "; ".join(misses)


def page_rows(results: Results):
    baseline = results.baseline
    return [
        (
            timing.label,
            timing.user,
            ms(timing.median),
            ms(timing.p95),
            ms(timing.app_median),
            ms(timing.db_median),
            timing.query_text,
            f"{timing.median / baseline:.1f}" if timing.median and baseline else "–",
            verdict(timing.misses(baseline)),
        )
        for timing in results.timings
    ]


def load_rows(results: Results):
    rows = []
    for load in results.loads:
        errors = str(load.errors)
        if load.error_kinds:
            errors += " (" + ", ".join(f"{k}: {n}" for k, n in load.error_kinds.items()) + ")"
        rows.append(
            (
                load.clients,
                len(load.walls) + load.errors,
                f"{load.rate:.1f}",
                ms(statistics.median(load.walls)) if load.walls else "–",
                ms(percentile(load.walls, 95)) if load.walls else "–",
                errors,
                f"{load.client_cpu:.2f} cores",
                verdict(load.misses()),
            )
        )
    return rows


def report_rows(results: Results):
    year, quarter = results.quarter or (None, None)
    return [
        (
            rendering.label,
            f"Q{quarter}/{year}",
            f"{rendering.opinions:,}",
            "–" if rendering.seconds is None else f"{rendering.seconds:.1f}",
            "–" if rendering.peak_mb is None else f"{rendering.peak_mb:.0f}",
            rendering.pages or "–",
            verdict(rendering.misses()),
        )
        for rendering in results.renderings
    ]


def ping_line(results: Results) -> str:
    medians = ", ".join(f"{ms(timing.median)} ms {when}" for when, timing in results.pings)
    return (
        f"Minimal view /ping (bandanvan): median {medians} the pages; "
        f"baseline (their mean) {ms(results.baseline)} ms."
    )


def facts_lines(results: Results) -> list[str]:
    facts = results.facts
    busy = " (busy: the numbers are not comparable)" if results.busy else ""
    return [
        f"Machine: {facts['cpu']}, {facts['cores']} cores, {facts['memory']} RAM, {facts['os']}; "
        f"load average {facts['load']:.1f} before the run{busy}",
        f"Python {facts['python']}, PostgreSQL {facts['postgres']}, "
        f"gunicorn {facts['workers']} sync workers; commit {facts['commit']}; {facts['date']}",
        f"Data: {facts['communes']:,} commune-level units, {facts['sessions']:,} sessions, "
        f"{facts['opinions']:,} opinions, {facts['events']:,} timeline events",
    ]


def print_results(results: Results):
    print()
    print(f"Scale {results.scale}")
    print("\n".join(facts_lines(results)))
    print("Users: " + "; ".join(f"{name} {text}" for name, text in results.notes.items()))
    print()
    print(text_table((*PAGE_HEADERS, "result"), page_rows(results)))
    print()
    print(ping_line(results))
    print("\nOpinion list under load (client CPU is the harness's own):")
    print(text_table((*LOAD_HEADERS, "result"), load_rows(results)))
    if results.renderings:
        print("\nQuarterly report PDF:")
        print(text_table((*REPORT_HEADERS, "result"), report_rows(results)))
    print(f"\n{results.misses()} row(s) missed a target.")


HEADER = f"""# Benchmarks

Generated by `scripts/bench.py`; rerun with `make bench SCALE=district|province|national`
(`SCALE=demo` times the demo data, for a quick check). Each run replaces its own scale's section
and keeps the others. The targets are those of issue 7.

- The app runs as in production: gunicorn (sync workers), PostgreSQL, `DEBUG` off, static files
  collected and served by WhiteNoise. Only the cookies are not `Secure`, as the client speaks
  plain HTTP over loopback.
- **Server time** is measured by the client over loopback, from sending the request to reading
  the last byte: gunicorn, the TCP connection (sync workers close it after each response) and
  all of Django. `app ms`, `SQL ms` and `queries` come from the `Server-Timing` header that
  `config.middleware.ServerTimingMiddleware` adds when `SERVER_TIMING=1` (medians). A query
  count with a range in brackets varied between requests (the session is written back at most
  once a minute: one query more); the target is checked against the most frequent count.
- Each page is requested by each user who uses it, one request at a time, after warm-up
  requests; every user logs in through the login form.
- The **public pages** (issue 13) are requested without a login, each twice over: *cold*, every
  request at an address the cache has not seen yet (`?bench=N`, a parameter the page ignores),
  so the page is made and then stored; *cached*, the same address again, as when residents
  follow one shared link. The cache is each worker's memory here (production shares Redis), and
  the rate limit is lifted for the run.
- The **minimal view** is `/ping`: the smallest logged-in page, which pays what every page pays
  (middleware, session, user) and nothing more. It is timed in the same run before and after the
  pages; the baseline for `× ping` is the mean of the two medians.
- Targets:
  - every page: p95 ≤ {PAGE_P95_MS} ms (search without diacritics: ≤ {SEARCH_P95_MS} ms), median
    ≤ {MEDIAN_RATIO}× the minimal view's, at most {MAX_QUERIES} SQL queries;
  - the quarterly report PDF of one district: ≤ {DISTRICT_REPORT_SECONDS} s; of the whole
    province: ≤ {PROVINCE_REPORT_SECONDS} s and ≤ {PROVINCE_REPORT_MB} MB peak memory;
  - 16 concurrent clients on the opinion list: no error.
- Report times are those of `manage.py render_report` in a process of its own, Django's start
  included; peak memory is that process's maximum resident set."""


def section(results: Results) -> str:
    args = results.args
    lines = [
        f"## Scale: {results.scale}",
        "",
        *(f"- {line}" for line in facts_lines(results)),
        "- Users: " + "; ".join(f"`{name}` {text}" for name, text in results.notes.items()),
        "",
        f"### Pages ({args.requests} requests each)",
        "",
        markdown_table((*PAGE_HEADERS, "result"), page_rows(results)),
        "",
        ping_line(results),
        "",
        "<details><summary>The addresses requested</summary>",
        "",
        *(f"- {timing.label}, {timing.user}: `{timing.path}`" for timing in results.timings),
        "",
        "</details>",
    ]
    if results.loads:
        paths = "; ".join(f"{name} `{found[0]}`" for name, found in results.load_paths.items())
        lines += [
            "",
            f"### Opinion list under load ({args.duration:g} s each)",
            "",
            "Each client is one of the list's users, logged in, cycling through page 1 and up to "
            f"{LOAD_PAGES - 1} more of the filtered list ({paths}). Client CPU is the harness's "
            "own: far below one core, the client was not the bottleneck.",
            "",
            markdown_table((*LOAD_HEADERS, "result"), load_rows(results)),
        ]
    if results.renderings:
        lines += [
            "",
            "### Quarterly report PDF",
            "",
            markdown_table((*REPORT_HEADERS, "result"), report_rows(results)),
        ]
    return "\n".join(lines)


# Main -------------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=SCALES, default="district")
    parser.add_argument(
        "--database-url",
        help="default: postgres://postgres@127.0.0.1:5432/tiepxuc_bench_<scale>, a database of its "
        "own (DATABASE_URL is not used: the scale data must not land in a working database)",
    )
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page and user")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20, help="seconds of each load test")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--write-docs", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--skip-reports", action="store_true")
    parser.add_argument(
        "--settle",
        type=float,
        default=180,
        help="seconds to wait at most for the load average to fall below half the cores",
    )
    args = parser.parse_args(argv)
    args.database_url = (
        args.database_url or f"postgres://postgres@127.0.0.1:5432/tiepxuc_bench_{args.scale}"
    )
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark runs on PostgreSQL: give a postgres:// database URL")
    return args


def prepare(args, env):
    """The database, its data for the scale (each command returns at once when it is there
    already) and the static files."""
    ensure_database(args.database_url)
    run_command([*manage(), "migrate", "--noinput", "-v", "0"], env)
    if args.scale == "demo":
        run_command([*manage(), "load_demo"], env, quiet=False)
    else:
        run_command([*manage(), "generate_scale_data", "--scale", args.scale], env, quiet=False)
    run_command([*manage(), "collectstatic", "--noinput", "-v", "0"], env)


def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tiepxuc-bench-") as tmp:
        env = server_env(args.database_url, Path(tmp))
        prepare(args, env)
        results = measure(args, env, Path(tmp))
    print_results(results)
    if args.write_docs:
        document = DOCS.read_text() if DOCS.exists() else ""
        DOCS.write_text(replace_section(document, args.scale, section(results), HEADER))
        print(f"Written to {DOCS.relative_to(BASE_DIR)}")
    print(f"The benchmark took {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
