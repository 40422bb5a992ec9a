import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from communes.models import OfficeHolder, Person, Position
from dialogues import services
from dialogues.models import Session, SessionStatus
from obligations.models import Measure, Obligation

from .factories import at, district, make_plan, make_session, unit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def plan(demo):
    return make_plan()


@pytest.fixture
def dung_nghia_session(plan):
    return make_session(plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019")


def form_data(plan, host, **overrides):
    chairs = OfficeHolder.objects.filter(unit=host, position__is_head=True)
    data = {
        "host": host.pk,
        "plan": plan.pk,
        "kind": "dialogue",
        "dialogue_scope": "unit",
        "mode": "in_person",
        "topic": "Đối thoại về đất đai",
        "venue": f"Hội trường UBND {host.name}",
        "day": "20/06/2019",
        "start_time": "08:00",
        "end_time": "11:00",
        "notice_date": "05/06/2019",
        "attending_units": [host.pk],
        "chairs": [c.pk for c in chairs],
        "invited_organisations": "Ủy ban MTTQ",
    }
    data.update(overrides)
    return data


def staff():
    return User.objects.get(username="bandanvan")


# --- scheduling and validation -------------------------------------------------------------


def test_officer_schedules_a_session_of_their_commune(officer, plan):
    host = unit("Dũng Nghĩa")
    response = officer.post("/sessions/new/", form_data(plan, host))
    assert response.status_code == 302
    session = Session.objects.get(topic="Đối thoại về đất đai")
    assert session.host_unit == host
    assert session.level == "commune"
    assert session.status == SessionStatus.PLANNED
    assert timezone.localtime(session.starts_at) == at("20/06/2019", 8)
    assert session.created_by.username == "dungnghia"
    assert session.chairs.count() == 2


def test_officer_cannot_schedule_for_another_commune(officer, plan):
    response = officer.post("/sessions/new/", form_data(plan, unit("Bách Thuận")))
    # Bách Thuận is not among their hosts: the form falls back to their own commune only.
    assert response.status_code == 200
    assert not Session.objects.filter(host_unit=unit("Bách Thuận")).exists()


def test_officer_only_has_their_commune_as_host(officer, plan):
    response = officer.get("/sessions/new/")
    assert response.status_code == 200
    assert response.context["host"] == unit("Dũng Nghĩa")


def test_board_staff_schedule_a_district_level_session(board_staff, plan):
    host = district()
    data = form_data(plan, host, attending_units=[unit("Hòa Bình").pk])
    response = board_staff.post("/sessions/new/", data)
    assert response.status_code == 302
    session = Session.objects.get(topic="Đối thoại về đất đai")
    assert session.level == "district"
    assert list(session.attending_units.all()) == [unit("Hòa Bình")]


@pytest.mark.parametrize("who", ["leader", "responder"])
def test_leaders_and_responders_cannot_schedule(actors, plan, who):
    client = actors[who]
    assert client.get("/sessions/new/").status_code == 403
    assert client.post("/sessions/new/", form_data(plan, unit("Dũng Nghĩa"))).status_code == 403
    assert not Session.objects.exists()


def test_end_before_start_is_refused_next_to_the_field_and_input_kept(officer, plan):
    response = officer.post(
        "/sessions/new/", form_data(plan, unit("Dũng Nghĩa"), start_time="14:00", end_time="09:00")
    )
    assert response.status_code == 200
    assert "end_time" in response.context["form"].errors
    assert 'value="Đối thoại về đất đai"' in response.text
    assert not Session.objects.exists()


def test_a_session_outside_the_plans_period_is_refused(officer, plan):
    response = officer.post("/sessions/new/", form_data(plan, unit("Dũng Nghĩa"), day="02/01/2020"))
    assert "day" in response.context["form"].errors
    assert "31/12/2019" in response.context["form"].errors["day"][0]


def test_malformed_date_and_time_get_vietnamese_messages(officer, plan):
    response = officer.post(
        "/sessions/new/", form_data(plan, unit("Dũng Nghĩa"), day="31/02/2019", start_time="25:99")
    )
    errors = response.context["form"].errors
    assert "dd/mm/yyyy" in errors["day"][0]
    assert "HH:MM" in errors["start_time"][0]
    assert 'value="31/02/2019"' in response.text


@pytest.fixture
def announce_rule(demo):
    """A rule "announced 7 days before" for communes in force in 2019 (the demo's 2019 has
    none: Quy định 11-QĐi/TW set no number), as board staff would add it in the admin."""
    return Obligation.objects.create(
        title="Thông báo trước 7 ngày", legal_basis="Kế hoạch 55-KH/HU", level="commune",
        measure=Measure.ANNOUNCE_BEFORE, number=7, valid_from=datetime.date(2019, 1, 1),
    )  # fmt: skip


def test_without_a_rule_in_force_late_notice_is_not_warned_about(officer, plan):
    response = officer.post(
        "/sessions/new/", form_data(plan, unit("Dũng Nghĩa"), notice_date="19/06/2019"), follow=True
    )
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert response.context["late_notice"] is None
    assert "announce" not in response.context["deadlines"]


def test_late_notice_is_a_visible_warning_not_an_error(officer, plan, announce_rule):
    response = officer.post(
        "/sessions/new/", form_data(plan, unit("Dũng Nghĩa"), notice_date="17/06/2019"), follow=True
    )
    assert response.status_code == 200
    session = Session.objects.get()
    assert session.notice_date == datetime.date(2019, 6, 17)
    warnings = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "3" in str(warnings[0])
    assert response.context["late_notice"] == 3


def test_notice_after_the_session_is_refused(officer, plan):
    response = officer.post(
        "/sessions/new/", form_data(plan, unit("Dũng Nghĩa"), notice_date="21/06/2019")
    )
    assert "notice_date" in response.context["form"].errors
    assert "Không thể thông báo cho nhân dân sau ngày hội nghị." in response.text


def test_notice_period_is_the_rules_number(officer, plan, announce_rule):
    announce_rule.number = 2  # changed in the admin
    announce_rule.save()
    response = officer.post(
        "/sessions/new/", form_data(plan, unit("Dũng Nghĩa"), notice_date="17/06/2019"), follow=True
    )
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_a_chair_booked_twice_must_be_confirmed(officer, plan):
    host = unit("Dũng Nghĩa")
    make_session(plan=plan, host=host, day="20/06/2019", hours=(9, 12), topic="Buổi đã có")
    response = officer.post("/sessions/new/", form_data(plan, host))
    assert response.status_code == 200
    assert "confirm_overlap" in response.context["form"].errors
    assert "Buổi đã có" in response.text
    assert Session.objects.count() == 1
    response = officer.post("/sessions/new/", form_data(plan, host, confirm_overlap="on"))
    assert response.status_code == 302
    assert Session.objects.count() == 2


def test_a_chair_booked_in_another_communes_session_is_counted_not_shown(officer, plan):
    host, other = unit("Dũng Nghĩa"), unit("Bách Thuận")
    chair = OfficeHolder.objects.filter(unit=host, position__is_head=True).first()
    # The same person also chairs, that morning, a session of a commune the officer cannot open.
    elsewhere = OfficeHolder.objects.create(
        person=chair.person, position=chair.position, unit=other, start_date=chair.start_date
    )
    hidden = make_session(plan=plan, host=other, day="20/06/2019", hours=(9, 12),
                          topic="Buổi kín của Bách Thuận", chairs=[elsewhere])  # fmt: skip

    response = officer.post("/sessions/new/", form_data(plan, host, chairs=[chair.pk]))
    assert "confirm_overlap" in response.context["form"].errors
    assert "Buổi kín của Bách Thuận" not in response.text
    assert f"/sessions/{hidden.pk}/" not in response.text
    assert "Bách Thuận" not in response.text.split("alert-warning", 1)[1].split("</div>", 1)[0]

    response = officer.post(
        "/sessions/new/", form_data(plan, host, chairs=[chair.pk], confirm_overlap="on"),
        follow=True,
    )  # fmt: skip
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "Buổi kín" not in warnings[0] and "1" in warnings[0]


def test_a_cancelled_session_does_not_block_its_chairs(officer, plan):
    host = unit("Dũng Nghĩa")
    make_session(plan=plan, host=host, day="20/06/2019", status=SessionStatus.CANCELLED)
    response = officer.post("/sessions/new/", form_data(plan, host))
    assert response.status_code == 302


def test_a_chair_must_hold_the_office_on_the_day(officer, plan):
    host = unit("Dũng Nghĩa")
    former = OfficeHolder.objects.create(
        unit=host,
        position=Position.objects.get(name="Phó Chủ tịch UBND"),
        person=Person.objects.create(full_name="Trần Văn Cũ"),
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 12, 31),
    )
    response = officer.post("/sessions/new/", form_data(plan, host, chairs=[former.pk]))
    assert "Trần Văn Cũ" in response.context["form"].errors["chairs"][0]


def test_chairs_of_another_unit_are_not_offered(officer, plan):
    other = OfficeHolder.objects.filter(unit=unit("Bách Thuận")).first()
    response = officer.post(
        "/sessions/new/", form_data(plan, unit("Dũng Nghĩa"), chairs=[other.pk])
    )
    assert "chairs" in response.context["form"].errors


# --- the workflow ----------------------------------------------------------------------------


def test_planned_session_is_held_once_it_has_started(dung_nghia_session):
    services.session_mark_held(
        session=dung_nghia_session, by=staff(), attendance_residents=120, attendance_cadres=20
    )
    dung_nghia_session.refresh_from_db()
    assert dung_nghia_session.status == SessionStatus.HELD
    assert dung_nghia_session.logged_by == staff()
    assert dung_nghia_session.logged_at is not None


def test_a_session_cannot_be_held_before_it_starts(plan):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    future_plan = make_plan(start=f"01/01/{tomorrow.year}", end=f"31/12/{tomorrow.year + 1}")
    session = make_session(plan=future_plan, host=unit("Dũng Nghĩa"), day=tomorrow)
    with pytest.raises(services.TransitionNotAllowed):
        services.session_mark_held(
            session=session, by=staff(), attendance_residents=1, attendance_cadres=1
        )
    assert Session.objects.get(pk=session.pk).status == SessionStatus.PLANNED


def test_postpone_keeps_the_old_date_and_planned_again(dung_nghia_session):
    old_start = dung_nghia_session.starts_at
    services.session_postpone(
        session=dung_nghia_session, by=staff(), reason="Mưa bão",
        new_starts_at=at("22/05/2019", 8), new_ends_at=at("22/05/2019", 11),
    )  # fmt: skip
    dung_nghia_session.refresh_from_db()
    assert dung_nghia_session.status == SessionStatus.POSTPONED
    assert dung_nghia_session.starts_at == at("22/05/2019", 8)
    record = dung_nghia_session.postponements.get()
    assert record.old_starts_at == old_start and record.reason == "Mưa bão"
    services.session_reschedule(session=dung_nghia_session, by=staff())
    assert Session.objects.get(pk=dung_nghia_session.pk).status == SessionStatus.PLANNED


def test_postponing_needs_a_reason_and_a_date_within_the_plan(dung_nghia_session):
    with pytest.raises(ValidationError) as error:
        services.session_postpone(
            session=dung_nghia_session, by=staff(), reason=" ",
            new_starts_at=at("22/05/2019", 8), new_ends_at=at("22/05/2019", 11),
        )  # fmt: skip
    assert "reason" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.session_postpone(
            session=dung_nghia_session, by=staff(), reason="Mưa",
            new_starts_at=at("05/01/2020", 8), new_ends_at=at("05/01/2020", 11),
        )  # fmt: skip
    assert "new_starts_at" in error.value.error_dict


def test_cancel_needs_a_reason(dung_nghia_session):
    with pytest.raises(ValidationError):
        services.session_cancel(session=dung_nghia_session, by=staff(), reason="")
    services.session_cancel(session=dung_nghia_session, by=staff(), reason="Trùng lịch")
    dung_nghia_session.refresh_from_db()
    assert dung_nghia_session.status == SessionStatus.CANCELLED
    assert dung_nghia_session.cancel_reason == "Trùng lịch"


REFUSED = {
    # status → the transitions that must be refused from it
    SessionStatus.HELD: ["hold", "postpone", "reschedule", "cancel"],
    SessionStatus.CANCELLED: ["hold", "postpone", "reschedule", "cancel", "record"],
    SessionStatus.POSTPONED: ["hold", "postpone", "cancel", "record"],
    SessionStatus.PLANNED: ["reschedule", "record"],
}


def _attempt(name, session):
    by = staff()
    later = (at("25/05/2019", 8), at("25/05/2019", 11))
    calls = {
        "hold": lambda: services.session_mark_held(
            session=session, by=by, attendance_residents=1, attendance_cadres=1
        ),
        "postpone": lambda: services.session_postpone(
            session=session, by=by, reason="x", new_starts_at=later[0], new_ends_at=later[1]
        ),
        "reschedule": lambda: services.session_reschedule(session=session, by=by),
        "cancel": lambda: services.session_cancel(session=session, by=by, reason="x"),
        "record": lambda: services.session_update_record(
            session=session, attendance_residents=1, attendance_cadres=1, minutes_text=""
        ),
    }
    calls[name]()


@pytest.mark.parametrize(
    ("status", "transition"),
    [(status, name) for status, names in REFUSED.items() for name in names],
)
def test_transitions_not_in_the_workflow_are_refused(plan, status, transition):
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), status=status)
    with pytest.raises(services.TransitionNotAllowed):
        _attempt(transition, session)
    assert Session.objects.get(pk=session.pk).status == status


def test_attendance_and_minutes_can_be_corrected_once_held(dung_nghia_session):
    services.session_mark_held(
        session=dung_nghia_session, by=staff(), attendance_residents=10, attendance_cadres=2
    )
    services.session_update_record(
        session=dung_nghia_session, attendance_residents=150, attendance_cadres=25,
        minutes_text="Biên bản",
    )  # fmt: skip
    dung_nghia_session.refresh_from_db()
    assert dung_nghia_session.attendance_residents == 150
    assert dung_nghia_session.minutes_text == "Biên bản"


# --- the pages of the workflow ------------------------------------------------------------


def test_officer_records_a_held_session_with_a_scan(officer, dung_nghia_session):
    scan = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    response = officer.post(
        f"/sessions/{dung_nghia_session.pk}/held/",
        {"attendance_residents": "132", "attendance_cadres": "21", "minutes_text": "Nội dung",
         "minutes_file": scan},
    )  # fmt: skip
    assert response.status_code == 302
    dung_nghia_session.refresh_from_db()
    assert dung_nghia_session.status == SessionStatus.HELD
    download = officer.get(f"/sessions/{dung_nghia_session.pk}/minutes/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_a_held_session_offers_one_clear_way_to_record_its_opinions(
    officer, leader, dung_nghia_session
):
    url = f"/sessions/{dung_nghia_session.pk}/"
    assert "Ghi ý kiến" not in officer.get(url).text  # not held yet
    officer.post(f"{url}held/", {"attendance_residents": "132", "attendance_cadres": "21"})
    page = officer.get(url, follow=True)
    assert f'<a class="btn btn-primary" href="/sessions/{dung_nghia_session.pk}/opinions/' in (
        page.text
    )
    assert "Ghi ý kiến" in page.text and "Đã ghi nhận 0 ý kiến" in page.text
    assert "Ghi ý kiến" not in leader.get(url).text


def test_a_fake_pdf_is_refused_and_nothing_changes(officer, dung_nghia_session):
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = officer.post(
        f"/sessions/{dung_nghia_session.pk}/held/",
        {"attendance_residents": "132", "attendance_cadres": "21", "minutes_file": fake},
    )
    assert response.status_code == 200
    assert "minutes_file" in response.context["form"].errors
    assert 'value="132"' in response.text
    assert Session.objects.get(pk=dung_nghia_session.pk).status == SessionStatus.PLANNED


def test_the_held_page_explains_a_session_not_yet_started(officer, demo):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    future_plan = make_plan(start=f"01/01/{tomorrow.year}", end=f"31/12/{tomorrow.year + 1}")
    session = make_session(plan=future_plan, host=unit("Dũng Nghĩa"), day=tomorrow)
    response = officer.post(
        f"/sessions/{session.pk}/held/", {"attendance_residents": "1", "attendance_cadres": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_postpone_page_keeps_input_on_error(officer, dung_nghia_session):
    response = officer.post(
        f"/sessions/{dung_nghia_session.pk}/postpone/",
        {"day": "05/01/2020", "start_time": "08:00", "end_time": "10:00", "reason": "Bão"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["day"]
    assert 'value="05/01/2020"' in response.text


def test_leader_cannot_change_status(leader, dung_nghia_session):
    for action in ["held", "postpone", "cancel", "reschedule", "record", "edit"]:
        response = leader.post(f"/sessions/{dung_nghia_session.pk}/{action}/", {"reason": "x"})
        assert response.status_code == 403, action
    assert Session.objects.get(pk=dung_nghia_session.pk).status == SessionStatus.PLANNED


def test_outsider_gets_404_on_every_page_of_another_communes_session(outsider, dung_nghia_session):
    pk = dung_nghia_session.pk
    for path in ["", "edit/", "held/", "postpone/", "cancel/", "record/", "minutes/", "notice/"]:
        response = outsider.get(f"/sessions/{pk}/{path}")
        assert response.status_code == 404, path
    assert outsider.post(f"/sessions/{pk}/reschedule/").status_code == 404


# --- the session page and its history ------------------------------------------------------


def test_every_change_is_shown_on_the_session_page_with_who_and_what(officer, plan):
    host = unit("Dũng Nghĩa")
    officer.post("/sessions/new/", form_data(plan, host))
    session = Session.objects.get()
    officer.post(
        f"/sessions/{session.pk}/edit/", form_data(plan, host, venue="Nhà văn hóa thôn Đông")
    )
    response = officer.get(f"/sessions/{session.pk}/")
    history = response.context["history"]
    assert history[0].who == "Cán bộ xã Dũng Nghĩa"
    venue_change = next(c for c in history[0].changes if c.new == "Nhà văn hóa thôn Đông")
    assert venue_change.old == "Hội trường UBND Dũng Nghĩa"
    assert "Nhà văn hóa thôn Đông" in response.text
    assert len(history) == 2  # created, then changed


def test_held_sessions_cannot_be_edited_any_more(officer, dung_nghia_session):
    services.session_mark_held(
        session=dung_nghia_session, by=staff(), attendance_residents=1, attendance_cadres=1
    )
    response = officer.get(f"/sessions/{dung_nghia_session.pk}/edit/")
    assert response.status_code == 302


# --- the list --------------------------------------------------------------------------------


def test_session_list_shows_only_sessions_in_scope(officer, outsider, board_staff, plan):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), topic="Buổi Dũng Nghĩa")
    make_session(plan=plan, host=unit("Bách Thuận"), topic="Buổi Bách Thuận")
    make_session(plan=plan, host=district(), topic="Buổi huyện", attending=[unit("Hòa Bình")])
    assert [s.topic for s in officer.get("/sessions/").context["page"]] == ["Buổi Dũng Nghĩa"]
    assert "Buổi Dũng Nghĩa" not in outsider.get("/sessions/").text
    assert board_staff.get("/sessions/").context["page"].paginator.count == 3


def test_session_list_filters(board_staff, plan):
    make_session(plan=plan, host=unit("Dũng Nghĩa"), day="10/03/2019", status=SessionStatus.HELD)
    make_session(plan=plan, host=unit("Bách Thuận"), day="10/09/2019")
    make_session(plan=plan, host=district(), day="10/05/2019", attending=[unit("Hòa Bình")])

    def count(**params):
        return board_staff.get("/sessions/", params).context["page"].paginator.count

    assert count(level="district") == 1
    assert count(status="held") == 1
    assert count(unit=unit("Bách Thuận").pk) == 1
    assert count(unit=district().pk) == 3
    assert count(start="01/04/2019", end="30/06/2019") == 1
    assert count(plan=plan.pk) == 3
    assert count(start="31/02/2019") == 0  # a bad date shows the error, not a 500


def test_session_list_is_paginated_with_bounded_queries(
    board_staff, plan, django_assert_max_num_queries
):
    for index in range(5):
        make_session(plan=plan, host=unit("Dũng Nghĩa"), day=f"{index + 1:02d}/03/2019")
    with django_assert_max_num_queries(14):
        board_staff.get("/sessions/")
    for index in range(40):
        make_session(plan=plan, host=unit("Bách Thuận"), day=f"{index % 28 + 1:02d}/04/2019")
    with django_assert_max_num_queries(14):
        response = board_staff.get("/sessions/", {"page": 2})
    assert response.context["page"].paginator.num_pages == 2


# --- the demo ----------------------------------------------------------------------------------


def test_demo_has_the_2019_story(full_demo):
    held_2019 = Session.objects.held().starting_between(
        datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)
    )
    assert held_2019.filter(level="district").count() == 3
    district_attending = {
        u.name for s in held_2019.filter(level="district") for u in s.attending_units.all()
    }
    assert district_attending == {"Dũng Nghĩa", "Bách Thuận", "Hòa Bình"}
    assert held_2019.filter(level="commune").values("host_unit").distinct().count() == 25


def test_demo_this_year_has_held_and_upcoming_sessions_of_the_new_communes(full_demo):
    this_year = Session.objects.filter(plan__number__in=["14-KH/ĐU", "25-KH/TU"])
    assert this_year.held().exists()
    assert this_year.upcoming().exists()
    assert this_year.filter(status=SessionStatus.POSTPONED).get().postponements.count() == 1
    hosts = set(this_year.values_list("host_unit__code", flat=True))
    assert "33801" in hosts and "33803" in hosts
    assert not this_year.filter(host_unit__is_active=False).exists()
    assert this_year.filter(topic__contains="cụm thôn").held().exists()
