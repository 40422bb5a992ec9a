"""The commune officer's evening on a phone (390×844): find today's session, record it as held,
enter eight opinions with one mistake, fix it, save. Every tap is counted and printed; the
journey must take at most 60 (it took 97 before the entry form was rebuilt for phones)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communes.demo import DEMO_PASSWORD
from dialogues.models import SessionStatus
from feedback.forms import OUTCOMES
from feedback.models import Opinion

from ..factories import make_plan, make_session, unit
from .conftest import TIMEOUT_MS, Journey, label, vi, vi_n

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
MAX_TAPS = 60
LAND_OFFICE = "Phòng Tài nguyên và Môi trường huyện Vũ Thư"
OUTCOME_LABELS = dict(OUTCOMES)


class Thumb:
    """Taps and keystrokes as a person makes them on a phone: a drop-down costs two taps (open
    it, pick), typing costs one tap to reach the field and a keystroke per character."""

    def __init__(self, page):
        self.page = page
        self.taps = 0
        self.keys = 0

    def tap(self, locator):
        locator.tap()
        self.taps += 1

    def type(self, locator, text):
        self.tap(locator)
        locator.fill(text)
        self.keys += len(text)

    def choose(self, locator, option):
        locator.select_option(label=option)
        self.taps += 2


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def sticky_bar_covers_focus(page) -> bool:
    return page.evaluate(
        """() => {
          const bar = document.querySelector('.entry-actions').getBoundingClientRect();
          const field = document.activeElement.getBoundingClientRect();
          return field.bottom > bar.top && field.top < bar.bottom;
        }"""
    )


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2,
    )  # fmt: skip
    context.set_default_timeout(TIMEOUT_MS)
    visit = Journey(name="phone", context=context, base_url=live_server.url)
    yield visit
    context.close()
    visit.check()


def test_an_officer_records_todays_session_and_eight_opinions_in_at_most_60_taps(demo, phone):
    today = timezone.localdate()
    hour = max(timezone.localtime().hour - 2, 0)
    session = make_session(
        plan=make_plan(start=f"01/01/{today.year}", end=f"31/12/{today.year}"),
        host=unit("Dũng Nghĩa"), day=today, hours=(hour, hour + 1),
        topic="Tiếp xúc, đối thoại với Nhân dân xã Dũng Nghĩa",
    )  # fmt: skip
    page = phone.page
    thumb = Thumb(page)

    page.goto("/accounts/login/")
    thumb.type(page.locator("#id_username"), "dungnghia")
    thumb.type(page.locator("#id_password"), DEMO_PASSWORD)
    thumb.tap(page.get_by_role("button", name=vi("Log in")))
    expect(page).to_have_url(f"{phone.base_url}/")

    # Today's session waits at the top of the home page, with its next step.
    waiting = page.get_by_role("region", name=vi("Sessions needing results"))
    expect(waiting).to_contain_text(session.topic)
    assert not scrolls_sideways(page)
    phone.step("home")
    thumb.tap(waiting.get_by_role("link", name=vi("Record as held")))
    thumb.type(page.get_by_label(label("Residents attending")), "146")
    thumb.type(page.get_by_label(label("Cadres attending")), "23")
    thumb.tap(page.get_by_role("button", name=vi("Save")))
    expect(page.get_by_role("alert")).to_have_text(vi("The session is recorded as held."))
    phone.step("held")
    thumb.tap(page.get_by_role("link", name=vi("Record opinions")))
    expect(page.get_by_role("heading", name=vi("Opinions of the session"))).to_be_visible()
    assert not scrolls_sideways(page)

    def opinion(number):
        return page.get_by_role("group", name=vi("Opinion %(number)s") % {"number": number},
                                exact=True)  # fmt: skip

    # One block per opinion, only the fields its outcome needs: a forwarded row shows no answer.
    first = opinion(1)
    expect(first.get_by_label(label("Answer given"))).to_be_hidden()
    expect(first.get_by_label(label("Agency"))).to_be_hidden()
    height = first.bounding_box()["height"]
    assert height < 600, f"an opinion block is {height:.0f} px tall on a phone"
    thumb.tap(page.get_by_role("button", name=vi("Add 5 more rows")))

    opinions = [
        ("Giao thông", "Đường trục thôn Đông xuống cấp.", "answered", "Xã sửa trong quý tới."),
        ("Chế độ chính sách", "Hỏi chế độ trợ cấp người cao tuổi.", "answered", "Đã giải thích."),
        ("Đất đai", "Cấp giấy chứng nhận cho 12 hộ thôn Tây.", "forwarded", LAND_OFFICE),
        ("Môi trường", "Bãi rác đầu thôn gây ô nhiễm.", "pending", None),
        ("Đất đai", "Đo lại ranh giới thửa đất giáp kênh.", "forwarded", None),  # the mistake
        ("An ninh trật tự", "Lắp đèn đường ở ngõ xóm Bắc.", "pending", None),
        ("Môi trường", "Nạo vét kênh tưới thôn Nam.", "forwarded", LAND_OFFICE),
        ("Giao thông", "Biển báo ở ngã ba chợ bị đổ.", "answered", "Xã dựng lại ngay."),
    ]
    for number, (field, content, outcome, extra) in enumerate(opinions, start=1):
        row = opinion(number)
        thumb.choose(row.get_by_label(label("Field")), field)
        thumb.type(row.get_by_label(label("Content")), content)
        if outcome != "pending":
            thumb.tap(row.get_by_text(vi(OUTCOME_LABELS[outcome]), exact=True))
        if outcome == "answered":
            thumb.type(row.get_by_label(label("Answer given")), extra)
        elif outcome == "forwarded" and extra:
            thumb.choose(row.get_by_label(label("Agency")), extra)
    phone.step("typed")
    thumb.tap(page.get_by_role("button", name=vi("Save the opinions")))

    # The first screen says what is wrong, where, and has the focus.
    summary = page.locator("#entry-errors")
    expect(summary).to_be_focused()
    assert summary.bounding_box()["y"] < PHONE["height"]
    count = vi_n(
        "%(counter)s opinion needs fixing; nothing has been saved yet.",
        "%(counter)s opinions need fixing; nothing has been saved yet.", 1,
    ) % {"counter": 1}  # fmt: skip
    expect(summary).to_contain_text(count)
    phone.step("error")
    fix = summary.get_by_role("link", name=vi("Opinion %(number)s: %(message)s") % {
        "number": 5, "message": vi("Choose the agency it is forwarded to.")})  # fmt: skip
    thumb.tap(fix)
    agency = opinion(5).get_by_label(label("Agency"))
    expect(agency).to_be_focused()
    assert not sticky_bar_covers_focus(page)
    thumb.choose(agency, LAND_OFFICE)
    expect(opinion(1).get_by_label(label("Content"))).to_have_value(opinions[0][1])
    thumb.tap(page.get_by_role("button", name=vi("Save the opinions")))

    saved = vi_n("%(count)d opinion recorded.", "%(count)d opinions recorded.", 8) % {"count": 8}
    expect(page.get_by_role("alert")).to_have_text(saved)
    assert not scrolls_sideways(page)
    phone.step("saved")
    print(f"\nPhone journey: {thumb.taps} taps, {thumb.keys} keystrokes")
    assert thumb.taps <= MAX_TAPS
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    statuses = sorted(Opinion.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == sorted(["answered"] * 3 + ["forwarded"] * 3 + ["new"] * 2)


def test_while_typing_the_sticky_bar_never_hides_the_field_in_focus(demo, phone):
    from ..factories import make_plan as plan_

    session = make_session(plan=plan_(), host=unit("Dũng Nghĩa"), day="17/05/2019",
                           status=SessionStatus.HELD)  # fmt: skip
    page = phone.page
    phone.log_in("dungnghia")
    page.goto(f"/sessions/{session.pk}/opinions/")
    visible = "select:visible, textarea:visible, input:visible:not([type=radio])"
    fields = page.locator("#opinion-rows").locator(visible)
    for index in range(min(fields.count(), 30)):
        fields.nth(index).focus()
        assert not sticky_bar_covers_focus(page), f"field {index} is under the save bar"


# The same work at a desk, with the keyboard alone (1366×768).


class Keyboard:
    """Key presses as counted by a person: each key, each character typed."""

    def __init__(self, page):
        self.page = page
        self.presses = 0
        self.tabs = 0

    def press(self, key):
        self.page.keyboard.press(key)
        self.presses += 1

    def type(self, text):
        self.page.keyboard.type(text)
        self.presses += len(text)

    def tab_to(self, accessible_name, limit=60):
        """Tab until the focused element is the one named so; the Tabs are counted."""
        for _ in range(limit):
            self.press("Tab")
            self.tabs += 1
            name = self.page.evaluate(
                "() => (document.activeElement.innerText || document.activeElement.value || '')"
                ".trim()"
            )
            if name == accessible_name:
                return
        raise AssertionError(f"{accessible_name!r} not reached with {limit} Tab presses")

    def tab_to_field(self, locator, limit=60):
        for _ in range(limit):
            self.press("Tab")
            self.tabs += 1
            if locator.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError("field not reached with the Tab key")


def test_an_officer_does_the_same_at_a_desk_with_the_keyboard_alone(demo, browser, live_server):
    today = timezone.localdate()
    hour = max(timezone.localtime().hour - 2, 0)
    session = make_session(
        plan=make_plan(start=f"01/01/{today.year}", end=f"31/12/{today.year}"),
        host=unit("Dũng Nghĩa"), day=today, hours=(hour, hour + 1),
    )  # fmt: skip
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1366, "height": 768},
    )  # fmt: skip
    context.set_default_timeout(TIMEOUT_MS)
    visit = Journey(name="keyboard", context=context, base_url=live_server.url)
    page = visit.page
    keys = Keyboard(page)

    page.goto("/accounts/login/")
    page.locator("#id_username").focus()  # the login page's first field has focus
    keys.type("dungnghia")
    keys.press("Tab")
    keys.type(DEMO_PASSWORD)
    keys.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/")
    keys.tab_to(vi("Record as held"))
    keys.press("Enter")
    keys.tab_to_field(page.get_by_label(label("Residents attending")))
    keys.type("146")
    keys.press("Tab")
    keys.type("23")
    keys.press("Enter")
    expect(page.get_by_role("alert")).to_have_text(vi("The session is recorded as held."))
    keys.tab_to(vi("Record opinions"))
    keys.press("Enter")

    def opinion(number):
        return page.get_by_role("group", name=vi("Opinion %(number)s") % {"number": number},
                                exact=True)  # fmt: skip

    keys.tab_to_field(opinion(1).get_by_label(label("Field")))
    keys.type("Giao")
    keys.tab_to_field(opinion(1).get_by_label(label("Content")))
    keys.type("Đường trục thôn Đông xuống cấp.")
    keys.press("Tab")  # the outcome: the chosen button has focus, the arrows choose
    keys.press("ArrowRight")
    keys.press("Tab")
    keys.type("Xã sửa trong quý tới.")
    keys.tab_to_field(opinion(2).get_by_label(label("Field")))
    keys.type("Môi")
    keys.tab_to_field(opinion(2).get_by_label(label("Content")))
    keys.type("Bãi rác đầu thôn gây ô nhiễm.")
    keys.press("Tab")
    keys.press("ArrowRight")
    keys.press("ArrowRight")  # forwarded, and no agency chosen: the mistake
    keys.tab_to_field(opinion(3).get_by_label(label("Raised by")))
    keys.press("Enter")  # Enter in a text box saves the form

    summary = page.locator("#entry-errors")
    expect(summary).to_be_focused()
    tabs_before_fix = keys.tabs
    keys.press("Tab")
    keys.tabs += 1
    keys.press("Enter")
    agency = opinion(2).get_by_label(label("Agency"))
    expect(agency).to_be_focused()
    keys.type("Phòng Tài")
    keys.press("Tab")  # to the deadline box
    keys.press("Enter")

    saved = vi_n("%(count)d opinion recorded.", "%(count)d opinions recorded.", 2) % {"count": 2}
    expect(page.get_by_role("alert")).to_have_text(saved)
    print(f"\nKeyboard journey: {keys.presses} key presses, {keys.tabs} of them Tab")
    # From the failed save to the field to fix: one Tab and Enter (63 Tab presses before).
    assert keys.tabs - tabs_before_fix == 1
    statuses = sorted(Opinion.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == ["answered", "forwarded"]
    context.close()
    visit.check()
