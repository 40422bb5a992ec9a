"""Four people's work with the app, in a real browser, through the pages and forms they use."""

import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import User
from communes.models import OfficeHolder, UnitLevel
from dialogues.models import Plan, PlanTarget, Session, SessionStatus
from feedback.forms import OUTCOMES
from feedback.models import EventKind, Opinion, OpinionKind, OpinionStatus
from reports.models import PeriodKind, Report, ReportStage

from ..factories import district, make_opinion, make_plan, make_session, unit
from .conftest import label, vi, vi_n

# The live server only sees committed rows. Emptying the tables after each test also removes the
# reference rows of the migrations (positions, fields); the serialized rollback brings them back.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LAND_OFFICE = "Phòng Tài nguyên và Môi trường huyện Vũ Thư"


def menu(page, item):
    """An item of the main menu."""
    main_menu = page.get_by_role("navigation", name=vi("Main menu"))
    return main_menu.get_by_role("link", name=vi(item), exact=True)


def welcome(page, username):
    user = User.objects.get(username=username)
    name = user.get_full_name() or user.username
    return page.get_by_role("heading", name=vi("Welcome, %(name)s") % {"name": name})


def status(page):
    """The status badge under the page's title."""
    return page.locator("h1 + p .badge").first


def definition(page, term):
    """The value shown next to a term of a description list."""
    return page.locator(f"dt:text-is({vi(term)!r}) + dd")


def field(page, model, name):
    """A form field by the label of the model field behind it."""
    return page.get_by_label(label(model._meta.get_field(name).verbose_name))


# 1. Board staff: a plan, its targets, and a district-level session under it.


def test_board_staff_enters_a_plan_with_targets_and_schedules_a_district_session(demo, journey):
    year = timezone.localdate().year + 1
    chair = OfficeHolder.objects.select_related("person").get(
        unit=district(), position__name="Bí thư"
    )
    visit = journey("plan", "bandanvan")
    page = visit.page
    expect(welcome(page, "bandanvan")).to_be_visible()
    visit.step("home")

    menu(page, "Plans").click()
    page.get_by_role("link", name=vi("New plan")).click()
    expect(page.get_by_role("heading", name=vi("New plan"))).to_be_visible()
    field(page, Plan, "number").fill("20-KH/HU")
    field(page, Plan, "issued_on").fill(timezone.localdate().strftime("%d/%m/%Y"))
    field(page, Plan, "issuing_body").fill("Ban Thường vụ Huyện ủy")
    field(page, Plan, "title").fill(f"Kế hoạch tổ chức tiếp xúc, đối thoại trực tiếp năm {year}")
    field(page, Plan, "period_start").fill(f"01/01/{year}")
    field(page, Plan, "period_end").fill(f"31/12/{year}")
    field(page, Plan, "unit").select_option(label="Huyện Vũ Thư")
    visit.step("plan-form")
    page.get_by_role("button", name=vi("Save")).click()

    expect(page.get_by_role("alert")).to_have_text(
        vi("Plan %(number)s saved.") % {"number": "20-KH/HU"}
    )
    expect(
        page.get_by_role("heading", name=vi("Plan %(number)s") % {"number": "20-KH/HU"})
    ).to_be_visible()
    expect(page.get_by_text(vi("No target yet."))).to_be_visible()
    visit.step("plan-saved")

    bulk = page.locator(".card").filter(
        has=page.get_by_role("heading", name=vi("Add a target for every unit of a level"))
    )
    expect(bulk.get_by_label(label("Every unit under"))).to_have_value(str(district().pk))
    bulk.get_by_label(label("Level")).select_option(UnitLevel.COMMUNE)
    bulk.get_by_label(label("At least (sessions)")).fill("1")
    bulk.get_by_role("button", name=vi("Add the targets")).click()
    expect(page.get_by_role("alert")).to_have_text(
        vi("%(created)s targets created, %(updated)s updated, %(unchanged)s already set.")
        % {"created": 30, "updated": 0, "unchanged": 0}
    )
    communes = page.locator("details").filter(has_text=vi(UnitLevel.COMMUNE.label))
    expect(communes.locator("summary .badge")).to_have_text("30")
    communes.locator("summary").click()  # thirty rows are folded away until asked for
    expect(communes.get_by_role("row").filter(has_text="Xã Dũng Nghĩa")).to_contain_text(
        f"01/01/{year} – 31/12/{year}"
    )

    single = page.locator(".card").filter(
        has=page.get_by_role("heading", name=vi("Add one target"))
    )
    single.get_by_label(label("Unit")).select_option(label="Huyện Vũ Thư")
    single.get_by_label(label("Level")).select_option(UnitLevel.DISTRICT)
    single.get_by_label(label("Sessions required")).fill("3")
    single.get_by_role("button", name=vi("Add the target")).click()
    districts = page.locator("details").filter(has_text=vi(UnitLevel.DISTRICT.label))
    expect(districts.get_by_role("row").filter(has_text="Huyện Vũ Thư")).to_contain_text(
        f"3 01/01/{year} – 31/12/{year}"
    )
    visit.step("targets")
    plan = Plan.objects.get(number="20-KH/HU")
    assert PlanTarget.objects.filter(plan=plan, level=UnitLevel.COMMUNE).count() == 30
    assert PlanTarget.objects.get(plan=plan, level=UnitLevel.DISTRICT).sessions_required == 3

    menu(page, "Sessions").click()
    page.get_by_role("link", name=vi("Schedule a session")).click()
    page.get_by_label(label("Host unit")).select_option(label="Huyện Vũ Thư")
    visit.step("host")
    page.get_by_role("button", name=vi("Continue")).click()
    hosted_by = vi("Hosted by %(host)s (%(level)s)") % {
        "host": "Huyện Vũ Thư",
        "level": vi(UnitLevel.DISTRICT.label),
    }
    expect(page.get_by_text(hosted_by)).to_be_visible()
    topic = "Đối thoại với Nhân dân xã Dũng Nghĩa về đất đai, môi trường"
    page.get_by_label(label("Plan")).select_option(label=str(plan))
    page.get_by_label(label("Topic")).fill(topic)
    # A dialogue conference (the kind a new session starts as) says whom it is for.
    page.get_by_label(label("for")).select_option(label=vi("The whole unit"))
    page.get_by_label(label("Date")).fill(f"15/05/{year}")
    page.get_by_label(label("Starts at")).fill("08:00")
    page.get_by_label(label("Ends at")).fill("11:00")
    page.get_by_label(label("Venue")).fill("Hội trường UBND xã Dũng Nghĩa")
    page.get_by_label(f"{chair.person.full_name} – Bí thư").check()
    page.get_by_label("Xã Dũng Nghĩa", exact=True).check()
    visit.step("session-form")
    page.get_by_role("button", name=vi("Save")).click()

    expect(page.get_by_role("alert")).to_have_text(vi("The session has been scheduled."))
    expect(page.get_by_role("heading", name=topic)).to_be_visible()
    expect(status(page)).to_have_text(vi(SessionStatus.PLANNED.label))
    expect(definition(page, "Date and time")).to_contain_text("08:00–11:00")
    expect(definition(page, "Date and time")).to_contain_text(f"15/05/{year}")
    expect(definition(page, "Host unit")).to_have_text("Huyện Vũ Thư")
    expect(definition(page, "Residents of")).to_have_text("Xã Dũng Nghĩa")
    expect(definition(page, "Chaired by")).to_have_text(f"{chair.person.full_name} (Bí thư)")
    expect(definition(page, "Plan")).to_contain_text("20-KH/HU")
    visit.step("session")
    session = Session.objects.get(topic=topic)
    assert (session.plan, session.level) == (plan, UnitLevel.DISTRICT)
    assert list(session.attending_units.values_list("name", flat=True)) == ["Dũng Nghĩa"]


# 2. Commune officer: a session held today, then its opinions, entered in one go.


def _plan_around_today():
    today = timezone.localdate()
    return make_plan(
        number="55-KH/HU",
        title="Kế hoạch tổ chức tiếp xúc, đối thoại trực tiếp",
        start=(today - datetime.timedelta(days=90)).strftime("%d/%m/%Y"),
        end=(today + datetime.timedelta(days=90)).strftime("%d/%m/%Y"),
    )


OUTCOME_LABELS = dict(OUTCOMES)


def _fill_opinion(row, *, field, content, raised_by, outcome, answer=None, agency=None):
    row.get_by_label(label("Field")).select_option(label=field)
    row.get_by_label(label("Content")).fill(content)
    row.get_by_label(label("Raised by")).fill(raised_by)
    row.get_by_text(vi(OUTCOME_LABELS[outcome]), exact=True).click()
    if answer:
        row.get_by_label(label("Answer given")).fill(answer)
        row.get_by_label(label("Answered by")).fill("Chủ tịch UBND xã")
    if agency:
        row.get_by_label(label("Agency")).select_option(label=agency)


def test_commune_officer_logs_a_held_session_and_enters_its_opinions(demo, journey):
    # Began today, up to two hours ago (at midnight itself: began at 00:00).
    hour = max(timezone.localtime().hour - 2, 0)
    session = make_session(
        plan=_plan_around_today(),
        host=unit("Dũng Nghĩa"),
        day=timezone.localdate(),
        hours=(hour, hour + 1),
        topic="Tiếp xúc, đối thoại với Nhân dân xã Dũng Nghĩa",
    )
    visit = journey("held", "dungnghia")
    page = visit.page
    expect(welcome(page, "dungnghia")).to_be_visible()
    menu(page, "Sessions").click()
    expect(page.get_by_role("heading", name=vi("Dialogue sessions"))).to_be_visible()
    visit.step("sessions")
    page.get_by_role("link", name=session.topic).click()
    expect(page.get_by_role("heading", name=session.topic)).to_be_visible()
    expect(status(page)).to_have_text(vi(SessionStatus.PLANNED.label))
    visit.step("session")

    page.get_by_role("link", name=vi("Record as held")).click()
    expect(page.get_by_role("heading", name=vi("Record of the session"))).to_be_visible()
    page.get_by_label(label("Residents attending")).fill("146")
    page.get_by_label(label("Cadres attending")).fill("23")
    page.get_by_label(label("Minutes")).fill("Hội nghị khai mạc lúc 8 giờ; 5 ý kiến của Nhân dân.")
    visit.step("held-form")
    page.get_by_role("button", name=vi("Save")).click()
    expect(page.get_by_role("alert")).to_have_text(vi("The session is recorded as held."))
    expect(status(page)).to_have_text(vi(SessionStatus.HELD.label))
    expect(definition(page, "Residents attending")).to_have_text("146")
    expect(definition(page, "Cadres attending")).to_have_text("23")
    visit.step("held")

    page.get_by_role("link", name=vi("Record opinions")).click()
    expect(page.get_by_role("heading", name=vi("Opinions of the session"))).to_be_visible()
    rows = page.locator("#opinion-rows > fieldset")
    expect(rows).to_have_count(5)

    def opinion(number):
        legend = vi("Opinion %(number)s") % {"number": number}
        return page.get_by_role("group", name=legend, exact=True)

    _fill_opinion(
        opinion(1),
        field="Giao thông",
        raised_by="Ông Trần Văn Bình",
        content="Đề nghị sửa chữa đường trục thôn Đông bị xuống cấp.",
        outcome="answered",
        answer="Xã đã đưa vào kế hoạch sửa chữa trong quý tới.",
    )
    _fill_opinion(
        opinion(2),
        field="Chế độ chính sách",
        raised_by="Bà Lê Thị Hoa",
        content="Hỏi về chế độ trợ cấp cho người cao tuổi.",
        outcome="answered",
        answer="Đã giải thích chế độ theo quy định hiện hành.",
    )
    _fill_opinion(
        opinion(3),
        field="Đất đai",
        raised_by="Ông Phạm Văn Nam",
        content="Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho 12 hộ thôn Tây.",
        outcome="forwarded",
        agency=LAND_OFFICE,
    )
    _fill_opinion(
        opinion(4),
        field="Môi trường",
        raised_by="Bà Nguyễn Thị Lan",
        content="Bãi rác tạm ở đầu thôn gây ô nhiễm, đề nghị di dời.",
        outcome="forwarded",
        agency=LAND_OFFICE,
    )

    # More rows come in the page itself: what was typed stays, and the page is not reloaded.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name=vi("Add 5 more rows")).click()
    expect(rows).to_have_count(10)
    assert page.evaluate("window.stillTheSamePage") is True
    expect(opinion(1).get_by_label(label("Content"))).to_have_value(
        "Đề nghị sửa chữa đường trục thôn Đông bị xuống cấp."
    )
    expect(opinion(6).get_by_label(label("Field"))).to_be_focused()
    _fill_opinion(
        opinion(6),
        field="Đất đai",
        raised_by="Ông Vũ Đức Hải",
        content="Đề nghị đo đạc lại ranh giới thửa đất giáp kênh tưới.",
        outcome="forwarded",
        agency=LAND_OFFICE,
    )
    visit.step("entry")
    page.get_by_role("button", name=vi("Save the opinions")).click()

    expect(page.get_by_role("alert")).to_have_text(
        vi_n("%(count)d opinion recorded.", "%(count)d opinions recorded.", 5) % {"count": 5}
    )
    title = vi_n("%(counter)s opinion recorded", "%(counter)s opinions recorded", 5)
    recorded = page.get_by_role("region", name=title % {"counter": 5}).get_by_role("listitem")
    expect(recorded).to_have_count(5)
    expect(recorded.filter(has_text=vi(OpinionStatus.ANSWERED.label))).to_have_count(2)
    expect(recorded.filter(has_text=vi(OpinionStatus.FORWARDED.label))).to_have_count(3)
    expect(recorded.filter(has_text="TN&MT")).to_have_count(3)
    expect(rows).to_have_count(5)  # an empty form again, for the next ones
    visit.step("recorded")

    session.refresh_from_db()
    assert (session.status, session.attendance_residents, session.attendance_cadres) == (
        SessionStatus.HELD,
        146,
        23,
    )
    opinions = Opinion.objects.filter(session=session)
    assert sorted(opinions.values_list("status", "agency__short_name")) == [
        ("answered", None),
        ("answered", None),
        ("forwarded", "TN&MT"),
        ("forwarded", "TN&MT"),
        ("forwarded", "TN&MT"),
    ]


# 3. Agency responder: one of the forwarded opinions, answered from the queue.


def test_agency_responder_resolves_a_forwarded_opinion_from_their_queue(demo, journey):
    officer = User.objects.get(username="dungnghia")
    session = make_session(
        plan=_plan_around_today(),
        host=unit("Dũng Nghĩa"),
        day=timezone.localdate() - datetime.timedelta(days=7),
        status=SessionStatus.HELD,
    )
    for number in (1, 2):
        make_opinion(
            session=session,
            by=officer,
            outcome="answered",
            field_name="Giao thông",
            content=f"Đề nghị sửa đường trục thôn, đoạn số {number}",
        )
    forwarded = [
        make_opinion(
            session=session,
            by=officer,
            outcome="forwarded",
            content=f"Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho hộ số {number}",
        )
        for number in (1, 2, 3)
    ]
    chosen = forwarded[0]
    today = timezone.localdate().strftime("%d/%m/%Y")

    visit = journey("answer", "tnmt")
    page = visit.page
    expect(welcome(page, "tnmt")).to_be_visible()
    menu(page, "My queue").click()
    expect(page.get_by_role("heading", name=vi("My queue"))).to_be_visible()
    expect(page.get_by_text(LAND_OFFICE)).to_be_visible()
    queue = page.get_by_role("table").get_by_role("row")
    expect(queue).to_have_count(4)  # the header and the three forwarded opinions
    for opinion in forwarded:
        expect(queue.filter(has_text=opinion.content)).to_contain_text("Xã Dũng Nghĩa")
    expect(page.get_by_role("table")).not_to_contain_text("Đề nghị sửa đường trục thôn")
    visit.step("queue")

    page.get_by_role("link", name=chosen.content).click()
    heading = vi("%(kind)s #%(number)s") % {
        "kind": vi(OpinionKind.OPINION.label),
        "number": chosen.code,
    }
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(status(page)).to_have_text(vi(OpinionStatus.FORWARDED.label))
    expect(definition(page, "Responsible agency")).to_have_text(LAND_OFFICE)
    visit.step("opinion")

    page.get_by_role("link", name=vi("Record the answer")).click()
    expect(page.get_by_role("heading", name=vi("Record the answer"))).to_be_visible()
    page.get_by_label(label("Answer")).fill(
        "UBND huyện đã chỉ đạo rà soát; hộ đủ điều kiện được cấp giấy chứng nhận trong tháng tới."
    )
    page.get_by_label(label("Answering document number")).fill("125/UBND-TNMT")
    page.get_by_label(label("Answering document date")).fill(today)
    visit.step("answer-form")
    page.get_by_role("button", name=vi("Save")).click()

    expect(page.get_by_role("alert")).to_have_text(vi("The opinion is resolved."))
    expect(status(page)).to_have_text(vi(OpinionStatus.RESOLVED.label))
    expect(definition(page, "Answering document")).to_have_text(f"125/UBND-TNMT, {today}")
    timeline = page.get_by_role("region", name=vi("Timeline")).get_by_role("listitem")
    expect(timeline).to_have_count(3)  # recorded, forwarded, resolved
    expect(timeline.last).to_contain_text(vi(EventKind.RESOLVED.label))
    expect(timeline.last).to_contain_text("Chuyên viên TN&MT")
    expect(timeline.last).to_contain_text(
        f"{vi(OpinionStatus.FORWARDED.label)} → {vi(OpinionStatus.RESOLVED.label)}"
    )
    visit.step("resolved")

    menu(page, "My queue").click()
    expect(queue).to_have_count(3)
    expect(page.get_by_role("table")).not_to_contain_text(chosen.content)
    expect(page.get_by_role("heading", name=vi("Closed in the last 30 days"))).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=chosen.code)).to_contain_text(
        vi(OpinionStatus.RESOLVED.label)
    )
    visit.step("queue-after")

    chosen.refresh_from_db()
    assert (chosen.status, chosen.answer_document_number) == ("resolved", "125/UBND-TNMT")
    assert chosen.events.order_by("pk").last().by.username == "tnmt"


# 4. Leader: the dashboard, then the quarterly report as a PDF.


def test_leader_reads_the_dashboard_and_downloads_the_quarterly_report(demo, journey):
    officer = User.objects.get(username="dungnghia")
    plan = make_plan(number="55-KH/HU", title="Kế hoạch tổ chức tiếp xúc, đối thoại trực tiếp")
    held = [
        make_session(
            plan=plan,
            host=district(),
            day="15/05/2019",
            status=SessionStatus.HELD,
            attending=[unit("Dũng Nghĩa")],
        ),
        make_session(
            plan=plan, host=unit("Dũng Nghĩa"), day="20/05/2019", status=SessionStatus.HELD
        ),
        make_session(
            plan=plan, host=unit("Bách Thuận"), day="10/06/2019", status=SessionStatus.HELD
        ),
    ]
    overdue = []
    for session in held:
        make_opinion(
            session=session,
            by=officer,
            outcome="answered",
            field_name="Giao thông",
            content=f"Đề nghị làm đường giao thông nội đồng ({session.host_unit.name})",
        )
        overdue.append(
            make_opinion(
                session=session,
                by=officer,
                outcome="forwarded",
                content=f"Đề nghị giải quyết tranh chấp đất ({session.host_unit.name})",
            )
        )

    visit = journey("report", "lanhdao")
    page = visit.page
    expect(welcome(page, "lanhdao")).to_be_visible()
    past_deadline = vi_n(
        "opinion past its answer deadline", "opinions past their answer deadline", 3
    )
    expect(page.get_by_role("link").filter(has_text=past_deadline)).to_contain_text("3")
    overdue_list = page.get_by_role("region", name=vi("Overdue opinions"))
    for opinion in overdue:
        expect(
            overdue_list.get_by_role("listitem").filter(has_text=opinion.content)
        ).to_contain_text(vi("Overdue"))
    visit.step("dashboard")

    menu(page, "Reports").click()
    expect(page.get_by_role("heading", name=vi("Reports"))).to_be_visible()
    page.get_by_role("link", name=vi("Make a report")).click()
    expect(page.get_by_role("heading", name=vi("Make a report"))).to_be_visible()
    expect(field(page, Report, "unit")).to_have_value(str(district().pk))
    page.get_by_role("radio", name=vi(PeriodKind.QUARTER.label)).check()
    page.get_by_role("spinbutton", name=label("Year")).fill("2019")
    page.get_by_role("combobox", name=label("Quarter")).select_option(label="II")
    visit.step("form")

    # The draft is there at once, figures and all: no number, no signer, marked DỰ THẢO.
    page.get_by_role("button", name=vi("Show the draft")).click()
    report = Report.objects.get()
    assert report.number == "" and report.is_draft
    expect(page).to_have_url(f"{visit.base_url}/reports/{report.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(vi(ReportStage.DRAFT.label))
    document = page.locator("#document")
    expect(document).to_contain_text("DỰ THẢO")
    expect(document).to_contain_text("Số …-BC/")  # no number until it is issued
    expect(document).to_contain_text("quý II năm 2019")
    # A leader reads drafts; only board staff and the commune's officers edit and issue them.
    expect(page.get_by_role("button", name=vi("Save the draft"))).to_have_count(0)
    visit.step("draft")
    pdf_link = page.get_by_role("link", name=vi("Draft as PDF"))
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.body())).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "DỰ THẢO" in text and "quý II năm 2019" in text
