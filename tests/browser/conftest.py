"""Browser journeys: Debian's Chromium, driven by Playwright, against pytest-django's live server.

One browser per module, a fresh context (cookies, storage) per test. A journey fails as soon as
the page logs a console error, throws, loses a request or gets a 4xx/5xx from the app. Each step
is kept as a full-page screenshot under test-artifacts/screenshots/.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TIMEOUT_MS = 15_000

expect.set_options(timeout=TIMEOUT_MS)


def vi(text) -> str:
    """What a Vietnamese user reads for this English source text (a msgid or a lazy string).

    Going through the catalogue keeps the journeys true when a translation is reworded, and
    still fails when the page would show English: a msgid without Vietnamese is refused here.
    """
    with translation.override("vi"):
        shown = str(translation.gettext(text) if isinstance(text, str) else text)
    with translation.override("en"):
        source = str(text)
    assert shown != source or not source.isascii(), f"No Vietnamese for {source!r}"
    return shown


def vi_n(singular: str, plural: str, count: int) -> str:
    """The Vietnamese of a message with a count, before its values are put in."""
    with translation.override("vi"):
        shown = translation.ngettext(singular, plural, count)
    assert shown not in (singular, plural), f"No Vietnamese for {singular!r}"
    return shown


def label(text) -> re.Pattern:
    """A form label as crispy-forms shows it: capitalised, with a * when the field is required."""
    return re.compile(rf"^\s*{re.escape(capfirst(vi(text)))}\s*\*?\s*$")


class Journey:
    """One user's visit: the page, what went wrong on it so far, the pages it went through."""

    def __init__(self, *, name, context, base_url):
        self.name = name
        self.context = context
        self.base_url = base_url.rstrip("/")
        self.problems: list[str] = []
        self.downloads: list[re.Pattern] = []
        self.steps = 0
        # Every page the browser asked for, redirects included, as path and query.
        self.visited: list[str] = []
        context.on("request", self._on_request)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.problems.append(f"uncaught: {error.error}"))
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)
        self.page = context.new_page()

    def _on_request(self, request):
        if request.is_navigation_request():
            url = urlsplit(request.url)
            self.visited.append(f"{url.path}?{url.query}" if url.query else url.path)

    def _on_console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location})")

    def _on_request_failed(self, request):
        # Chromium aborts the navigation that turns into a download: that one is expected.
        downloading = request.failure == "net::ERR_ABORTED" and any(
            pattern.search(request.url) for pattern in self.downloads
        )
        if not downloading:
            self.problems.append(
                f"request failed: {request.method} {request.url}: {request.failure}"
            )

    def _on_response(self, response):
        if response.status >= 400 and response.url.startswith(self.base_url):
            self.problems.append(
                f"HTTP {response.status}: {response.request.method} {response.url}"
            )

    def expect_download_from(self, url_pattern: str):
        """The journey navigates to a file the browser downloads, at URLs like this one."""
        self.downloads.append(re.compile(url_pattern))

    def check(self):
        assert not self.problems, "The browser saw problems:\n" + "\n".join(self.problems)

    def step(self, name: str) -> Path:
        """Check that nothing went wrong so far, and keep the page as it is now."""
        self.check()
        self.steps += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.name}-{self.steps:02d}-{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    def log_in(self, username: str):
        """Through the real login form, with the demo password."""
        from communes.demo import DEMO_PASSWORD

        page = self.page
        page.goto(f"{self.base_url}/accounts/login/")
        expect(page.locator("html")).to_have_attribute("lang", "vi")
        expect(page.get_by_role("heading", name=vi("Log in"))).to_be_visible()
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name=vi("Log in")).click()
        expect(page).to_have_url(f"{self.base_url}/")


@pytest.fixture(scope="module")
def browser(django_db_setup):
    from django.db import connections

    # Between its calls, Playwright's sync API marks its asyncio loop as running in this thread.
    # Django then takes the thread for async code: it refuses the ORM and, through asgiref's
    # per-task storage, would open a second set of database connections, without the rows that
    # pytest-django restores before each test. The test's own queries never run while the browser
    # works, so they are allowed, on the connections pytest-django prepared.
    if not Path(CHROMIUM).exists():
        # Failed, not skipped: `make test` installs or asks for it first (debian-packages.txt).
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    prepared = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            for alias, connection in prepared.items():
                connections[alias] = connection
            yield chromium
            chromium.close()


@pytest.fixture
def journey(browser, live_server):
    """Start a journey: `journey("plan", "bandanvan")` opens a new context and logs the user in."""
    from config.celery import app

    # Reports are made in the request that asks for them, once its transaction commits, even
    # when REDIS_URL names a broker.
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    started = []

    def start(name: str, username: str) -> Journey:
        context = browser.new_context(
            base_url=live_server.url,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        visit = Journey(name=name, context=context, base_url=live_server.url)
        started.append(visit)
        visit.log_in(username)
        return visit

    yield start
    app.conf.task_always_eager = eager
    for visit in started:
        visit.context.close()
    for visit in started:
        visit.check()
