import pytest
from django.urls import reverse

from accounts.models import User
from communes.models import OfficeHolder
from dialogues.services import session_cancel, session_postpone

from .factories import at, district, make_plan, make_session, unit


def notice_url(session):
    return reverse("dialogues:session-notice", args=[session.pk])


@pytest.fixture
def session(demo):
    return make_session(
        plan=make_plan(number="55-KH/HU"),
        host=unit("Dũng Nghĩa"),
        day="15/05/2019",
        hours=(8, 11),
        topic="Đối thoại về quản lý đất đai và giải phóng mặt bằng",
        venue="Hội trường UBND xã Dũng Nghĩa",
        invited_organisations="Ủy ban MTTQ, Hội Nông dân",
    )


def test_notice_shows_when_where_who_chairs_and_what_about(officer, session):
    response = officer.get(notice_url(session))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ["15/05/2019", "08:00", "11:00", "Hội trường UBND xã Dũng Nghĩa",
                 "Đối thoại về quản lý đất đai và giải phóng mặt bằng", "55-KH/HU",
                 "Ủy ban MTTQ, Hội Nông dân", "Dũng Nghĩa"]:  # fmt: skip
        assert text in page, text
    chairs = OfficeHolder.objects.filter(unit=unit("Dũng Nghĩa"), position__is_head=True)
    assert chairs.exists()
    for chair in chairs:
        assert chair.person.full_name in page
        assert chair.position.name in page


def test_notice_names_every_unit_whose_residents_are_invited(board_staff, demo):
    session = make_session(
        plan=make_plan(), host=district(), attending=[unit("Bách Thuận"), unit("Hòa Bình")]
    )
    page = board_staff.get(notice_url(session)).content.decode()
    assert "Bách Thuận" in page and "Hòa Bình" in page


def test_notice_shows_the_time_in_vietnam(officer, demo):
    # 06:30 in Vũ Thư is 23:30 of the day before in UTC.
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="15/05/2019")
    session.starts_at, session.ends_at = at("15/05/2019", 6, 30), at("15/05/2019", 9)
    session.save()
    page = officer.get(notice_url(session)).content.decode()
    assert "06:30" in page and "15/05/2019" in page


def test_cancelled_session_notice_says_so_with_the_reason(officer, session):
    session_cancel(
        session=session, by=User.objects.get(username="dungnghia"), reason="Mưa bão số 3"
    )
    response = officer.get(notice_url(session))
    assert response.status_code == 200
    assert "Mưa bão số 3" in response.content.decode()
    assert response.context["is_cancelled"]


def test_postponed_session_notice_shows_the_new_date_and_the_old_one(officer, session):
    session_postpone(
        session=session, by=User.objects.get(username="dungnghia"),
        new_starts_at=at("22/05/2019", 14), new_ends_at=at("22/05/2019", 17), reason="Trùng lịch",
    )  # fmt: skip
    page = officer.get(notice_url(session)).content.decode()
    assert "22/05/2019" in page and "14:00" in page and "17:00" in page
    assert "08:00 15/05/2019" in page


def test_outsider_gets_404_on_another_communes_notice(outsider, session):
    assert outsider.get(notice_url(session)).status_code == 404


def test_leader_reads_the_notice(leader, session):
    assert leader.get(notice_url(session)).status_code == 200


def test_board_staff_reads_a_communes_notice(board_staff, session):
    assert board_staff.get(notice_url(session)).status_code == 200


def test_responder_is_refused_the_notice(responder, session):
    assert responder.get(notice_url(session)).status_code == 403


def test_anonymous_visitor_is_sent_to_login(anonymous, session):
    response = anonymous.get(notice_url(session))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_notice_of_a_missing_session_is_404(board_staff, demo):
    assert board_staff.get(reverse("dialogues:session-notice", args=[999999])).status_code == 404


def test_the_page_and_the_pdf_name_the_chairs_in_the_same_order(officer, demo):
    """One context for both: by position, then by name (the page once put the newest first)."""
    import datetime
    import io

    from pypdf import PdfReader

    from communes.models import Person

    head = OfficeHolder.objects.filter(unit=unit("Dũng Nghĩa"), position__is_head=True).first()
    older = OfficeHolder.objects.create(
        person=Person.objects.create(full_name="An Thị Bình"), position=head.position,
        unit=head.unit, start_date=datetime.date(2016, 1, 1),
    )  # fmt: skip
    newer = OfficeHolder.objects.create(
        person=Person.objects.create(full_name="Vũ Văn Xuân"), position=head.position,
        unit=head.unit, start_date=datetime.date(2018, 1, 1),
    )  # fmt: skip
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), chairs=[newer, older])

    page = officer.get(notice_url(session)).content.decode()
    pdf = officer.get(reverse("reports:session-notice-pdf", args=[session.pk])).content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for shown in (page, " ".join(text.split())):
        assert shown.index("An Thị Bình") < shown.index("Vũ Văn Xuân")
