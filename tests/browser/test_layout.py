"""Every page of every role fits a 390 px phone without scrolling sideways, and the key pages pass
axe-core (installed from npm by `make install`) at 390×844 and 1366×768 with no serious or
critical violation of WCAG 2.2 AA."""

from pathlib import Path

import pytest

from ..test_role_matrix import ROLES, matrix, objects  # noqa: F401 (objects is a fixture)
from .conftest import TIMEOUT_MS, Journey

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
USERNAMES = {"board_staff": "bandanvan", "officer": "dungnghia", "outsider": "bachthuan",
             "responder": "tnmt", "leader": "lanhdao", "administrator": "admin"}  # fmt: skip
# The pages people work in, checked with axe-core at both widths.
KEY_PAGES = {
    "board_staff": ["home", "dialogues:plan-list", "dialogues:plan-detail",
                    "dialogues:session-list", "dialogues:session-detail",
                    "feedback:session-opinions", "feedback:opinion-list",
                    "feedback:opinion-detail", "reports:report-list", "dialogues:plan-coverage"],
    "officer": ["home", "feedback:session-opinions", "dialogues:session-mark-held"],
    "responder": ["home", "feedback:agency-queue", "feedback:opinion-detail"],
}  # fmt: skip


def _visit(browser, live_server, role, viewport, *, bypass_csp=False):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
        viewport=viewport, bypass_csp=bypass_csp,
    )  # fmt: skip
    context.set_default_timeout(TIMEOUT_MS)
    visit = Journey(name=f"layout-{role}", context=context, base_url=live_server.url)
    if role != "anonymous":
        visit.log_in(USERNAMES[role])
    return visit


def _forget_favicons_cut_short(visit):
    """Going straight on to the next page can abort the favicon of the one before: not a fault
    of the page (any other failed or refused request still fails the test)."""
    visit.problems = [
        problem for problem in visit.problems
        if not (problem.endswith("/static/favicon.svg: net::ERR_ABORTED"))
    ]  # fmt: skip


def _html_pages(visit, objects, role):  # noqa: F811
    """The role's pages that answer 200 with HTML (files, feeds and exports left out)."""
    for name, (url, expected) in matrix(objects).items():
        if expected[role] != 200:
            continue
        response = visit.page.request.get(url, max_redirects=0)
        if response.status == 200 and response.headers["content-type"].startswith("text/html"):
            yield name, url


@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, objects, role):  # noqa: F811
    visit = _visit(browser, live_server, role, PHONE)
    page = visit.page
    wide = []
    pages = list(_html_pages(visit, objects, role))
    assert pages, "the role has pages to look at"
    for name, url in pages:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"{name} {url}: {width} px")
            _forget_favicons_cut_short(visit)
            visit.step(name.replace(":", "-"))
    visit.context.close()
    _forget_favicons_cut_short(visit)
    visit.check()
    assert wide == [], "pages wider than the phone:\n" + "\n".join(wide)


def _serious_violations(page):
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """() => axe.run(document, {
             runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                             "wcag22aa", "best-practice"]},
             resultTypes: ["violations"],
           })"""
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
@pytest.mark.parametrize("role", sorted(KEY_PAGES))
def test_key_pages_pass_axe_core(browser, live_server, objects, role, viewport):  # noqa: F811
    assert AXE.exists(), "axe-core is missing: run make install (npm ci)"
    # axe is injected as a script of the page: the test's context lets it past the CSP.
    visit = _visit(browser, live_server, role, viewport, bypass_csp=True)
    pages = matrix(objects)
    found = []
    for name in KEY_PAGES[role]:
        visit.page.goto(pages[name][0])
        found += [f"{name}: {problem}" for problem in _serious_violations(visit.page)]
    visit.context.close()
    _forget_favicons_cut_short(visit)
    visit.check()
    assert found == [], "\n".join(found)


def test_the_login_page_passes_axe_core(browser, live_server, db):
    for viewport in (PHONE, DESKTOP):
        visit = _visit(browser, live_server, "anonymous", viewport, bypass_csp=True)
        visit.page.goto("/accounts/login/")
        assert _serious_violations(visit.page) == []
        visit.context.close()


def test_the_axe_check_fails_on_a_serious_violation(browser, live_server, db):
    """The check above is not blind: a low-contrast text and an image without text are found."""
    visit = _visit(browser, live_server, "anonymous", PHONE, bypass_csp=True)
    visit.page.goto("/accounts/login/")
    visit.page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("beforeend",
             '<p style="color:#bbb;background:#fff">Khó đọc</p><img src="/static/favicon.svg">')"""
    )
    found = " ".join(_serious_violations(visit.page))
    assert "color-contrast" in found and "image-alt" in found
    visit.context.close()
