"""The page where board staff route opinions a reorganisation left waiting for an ended office."""

from django.test import Client

from accounts.models import User
from communes.models import AdministrativeUnit, Agency
from dialogues.models import SessionStatus
from feedback.models import Opinion

from .factories import make_opinion, make_plan, make_session
from .reform import HUNG_YEN, apply_reform, by_code


def staff_client():
    client = Client()
    client.force_login(User.objects.get(username="bandanvan"))  # moved to Hưng Yên
    return client


def waiting_opinions(count):
    session = make_session(
        plan=make_plan(start="01/01/2025", end="31/12/2025"),
        host=AdministrativeUnit.objects.get(name="Dũng Nghĩa"), day="12/06/2025",
        status=SessionStatus.HELD,
    )  # fmt: skip
    return [
        make_opinion(session=session, outcome="forwarded", content=f"Đề nghị số {n}")
        for n in range(count)
    ]


def test_board_staff_see_the_opinions_left_waiting_for_an_ended_office_and_route_them(demo):
    opinion = waiting_opinions(1)[0]
    apply_reform()
    client = staff_client()
    page = client.get("/opinions/to-route/")
    assert page.status_code == 200
    assert "Đề nghị số 0" in page.text and "Phòng Tài nguyên và Môi trường" in page.text
    today = Agency.objects.create(name="Sở Nông nghiệp và Môi trường", unit=by_code(HUNG_YEN))
    response = client.post(f"/opinions/{opinion.pk}/forward/", {
        "agency": today.pk, "deadline": "", "note": "", "seen": opinion.events.count(),
    })  # fmt: skip
    assert response.status_code == 302, response.content
    assert Opinion.objects.get(pk=opinion.pk).agency == today
    assert "Đề nghị số 0" not in client.get("/opinions/to-route/").text


def test_the_page_is_empty_before_any_reorganisation(board_staff, demo):
    waiting_opinions(1)
    assert "Đề nghị số 0" not in board_staff.get("/opinions/to-route/").text


def test_the_page_keeps_a_bounded_number_of_queries(demo, django_assert_max_num_queries):
    waiting_opinions(30)
    apply_reform()
    client = staff_client()
    with django_assert_max_num_queries(10):
        page = client.get("/opinions/to-route/")
    assert page.context["page"].paginator.count == 30
    assert len(page.context["page"].object_list) == 25
