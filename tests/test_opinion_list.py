import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from communes.models import Hamlet
from feedback.models import OpinionStatus

from .factories import agency, district, field, make_opinion, make_plan, make_session, unit

LIST_URL = reverse("feedback:opinion-list")
PAST_DEADLINE = datetime.date(2019, 6, 28)


def ids(response):
    assert response.status_code == 200, response.status_code
    return {opinion.pk for opinion in response.context["page"]}


def ordered_ids(response):
    assert response.status_code == 200, response.status_code
    return [opinion.pk for opinion in response.context["page"]]


@pytest.fixture
def plan(demo):
    return make_plan()


@pytest.fixture
def sessions(plan):
    """A district-level session with residents of two communes, and a session in each."""
    return {
        "district": make_session(
            plan=plan, host=district(), day="10/04/2019",
            attending=[unit("Dũng Nghĩa"), unit("Bách Thuận")],
        ),
        "dung_nghia": make_session(plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019"),
        "bach_thuan": make_session(plan=plan, host=unit("Bách Thuận"), day="20/06/2019"),
    }  # fmt: skip


@pytest.fixture
def opinions(sessions):
    in_a_month = timezone.localdate() + datetime.timedelta(days=30)
    return {
        # Raised at the district session by Dũng Nghĩa's residents: theirs, not the district's.
        "district_dn": make_opinion(
            session=sessions["district"], unit=unit("Dũng Nghĩa"), field_name="Giao thông",
            content="Đường liên xã xuống cấp", outcome="forwarded", agency=agency("KT&HT"),
            deadline=in_a_month,
        ),
        "district_bt": make_opinion(
            session=sessions["district"], unit=unit("Bách Thuận"), field_name="Môi trường",
            content="Ô nhiễm từ lò gạch", outcome="answered",
        ),
        "dn_overdue": make_opinion(
            session=sessions["dung_nghia"], content="Cấp giấy chứng nhận quyền sử dụng đất chậm",
            outcome="forwarded", deadline=PAST_DEADLINE, raised_by="Trần Văn Bình",
        ),
        "dn_new": make_opinion(
            session=sessions["dung_nghia"], field_name="Chế độ chính sách",
            content="Chế độ cho người có công", kind="proposal",
        ),
        "bt_new": make_opinion(
            session=sessions["bach_thuan"], field_name="Môi trường", content="Rác thải ở kênh"
        ),
    }  # fmt: skip


def pks(opinions, *names):
    return {opinions[name].pk for name in names}


# --- scope and roles ---------------------------------------------------------------------------


def test_board_staff_sees_every_opinion_of_vu_thu(board_staff, opinions):
    response = board_staff.get(LIST_URL)
    assert ids(response) == pks(opinions, *opinions)
    assert response.context["page"].paginator.count == 5


def test_officer_sees_only_dung_nghias_opinions_including_the_district_sessions(officer, opinions):
    assert ids(officer.get(LIST_URL)) == pks(opinions, "district_dn", "dn_overdue", "dn_new")


def test_outsider_sees_none_of_dung_nghias_opinions(outsider, opinions):
    response = outsider.get(LIST_URL)
    assert ids(response) == pks(opinions, "district_bt", "bt_new")
    assert "Cấp giấy chứng nhận quyền sử dụng đất chậm" not in response.content.decode()


def test_leader_reads_the_list(leader, opinions):
    assert ids(leader.get(LIST_URL)) == pks(opinions, *opinions)


def test_responder_uses_their_queue_not_the_list(responder, opinions):
    assert responder.get(LIST_URL).status_code == 403


def test_anonymous_visitor_is_sent_to_login(anonymous):
    response = anonymous.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_list_cannot_be_posted_to(board_staff, demo):
    assert board_staff.post(LIST_URL).status_code == 405


# --- what a row shows ---------------------------------------------------------------------------


def test_row_shows_the_opinion_and_links_to_it(board_staff, opinions):
    opinion = opinions["dn_overdue"]
    page = board_staff.get(LIST_URL).content.decode()
    assert f'href="{opinion.get_absolute_url()}"' in page
    assert "Cấp giấy chứng nhận quyền sử dụng đất chậm" in page
    assert "Trần Văn Bình" in page
    assert "28/06/2019" in page
    assert "15/05/2019" in page


def test_long_content_is_shortened_in_the_list(board_staff, sessions):
    content = "Đề nghị " + "sửa đường " * 40 + "KẾT THÚC"
    make_opinion(session=sessions["dung_nghia"], content=content)
    page = board_staff.get(LIST_URL).content.decode()
    assert "KẾT THÚC" not in page
    assert "Đề nghị sửa đường" in page


def test_overdue_opinion_shows_how_many_days_late(board_staff, opinions):
    response = board_staff.get(LIST_URL)
    late = {opinion.pk: opinion.days_overdue for opinion in response.context["page"]}
    assert late[opinions["dn_overdue"].pk] == (timezone.localdate() - PAST_DEADLINE).days
    assert late[opinions["district_dn"].pk] is None
    assert late[opinions["dn_new"].pk] is None


def test_status_badge_flags_an_overdue_opinion_with_a_second_badge(opinions):
    overdue = render_to_string(
        "feedback/includes/opinion_status.html", {"opinion": opinions["dn_overdue"]}
    )
    on_time = render_to_string(
        "feedback/includes/opinion_status.html", {"opinion": opinions["district_dn"]}
    )
    assert overdue.count('class="badge') == 2
    assert "text-bg-danger" in overdue
    assert on_time.count('class="badge') == 1


def test_export_link_keeps_the_filter(board_staff, opinions):
    page = board_staff.get(LIST_URL, {"status": "new", "page": "1"}).content.decode()
    assert f'href="{reverse("feedback:opinion-export-xlsx")}?status=new"' in page


# --- filters ------------------------------------------------------------------------------------


def test_unit_filter_keeps_the_units_residents_opinions(board_staff, opinions):
    response = board_staff.get(LIST_URL, {"unit": unit("Dũng Nghĩa").pk})
    assert ids(response) == pks(opinions, "district_dn", "dn_overdue", "dn_new")


def test_unit_filter_on_the_district_takes_every_commune_below(board_staff, opinions):
    assert ids(board_staff.get(LIST_URL, {"unit": district().pk})) == pks(opinions, *opinions)


def test_officer_cannot_filter_on_another_commune(officer, opinions):
    response = officer.get(LIST_URL, {"unit": unit("Bách Thuận").pk})
    assert ids(response) == set()
    assert "unit" in response.context["filter"].errors


def test_session_filter_keeps_the_sessions_opinions(board_staff, opinions, sessions):
    response = board_staff.get(LIST_URL, {"session": sessions["district"].pk})
    assert ids(response) == pks(opinions, "district_dn", "district_bt")
    assert response.context["session"] == sessions["district"]


def test_officer_filters_on_a_district_session_their_residents_spoke_at(
    officer, opinions, sessions
):
    response = officer.get(LIST_URL, {"session": sessions["district"].pk})
    assert ids(response) == pks(opinions, "district_dn")


def test_outsider_cannot_filter_on_a_session_of_dung_nghia(outsider, opinions, sessions):
    response = outsider.get(LIST_URL, {"session": sessions["dung_nghia"].pk})
    assert ids(response) == set()
    assert "session" in response.context["filter"].errors


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", "1.5"])
def test_a_session_number_that_is_not_one_is_an_error_not_a_crash(board_staff, opinions, value):
    response = board_staff.get(LIST_URL, {"session": value})
    assert ids(response) == set()
    assert "session" in response.context["filter"].errors


def test_field_filter(board_staff, opinions):
    response = board_staff.get(LIST_URL, {"field": field("Môi trường").pk})
    assert ids(response) == pks(opinions, "district_bt", "bt_new")


def test_status_filter(board_staff, opinions):
    assert ids(board_staff.get(LIST_URL, {"status": OpinionStatus.NEW})) == pks(
        opinions, "dn_new", "bt_new"
    )
    assert ids(board_staff.get(LIST_URL, {"status": OpinionStatus.ANSWERED})) == pks(
        opinions, "district_bt"
    )


def test_agency_filter(board_staff, opinions):
    assert ids(board_staff.get(LIST_URL, {"agency": agency("KT&HT").pk})) == pks(
        opinions, "district_dn"
    )
    assert ids(board_staff.get(LIST_URL, {"agency": agency("TN&MT").pk})) == pks(
        opinions, "dn_overdue"
    )


def test_period_filter_is_on_the_sessions_date(board_staff, opinions):
    response = board_staff.get(LIST_URL, {"start": "15/05/2019", "end": "20/06/2019"})
    assert ids(response) == pks(opinions, "dn_overdue", "dn_new", "bt_new")
    response = board_staff.get(LIST_URL, {"end": "14/05/2019"})
    assert ids(response) == pks(opinions, "district_dn", "district_bt")


def test_period_uses_the_date_in_vietnam(board_staff, plan):
    # 06:00 on 01/07 in Vũ Thư is still 30/06 in UTC.
    early = make_session(plan=plan, host=unit("Dũng Nghĩa"), day="01/07/2019", hours=(6, 7))
    opinion = make_opinion(session=early)
    assert ids(board_staff.get(LIST_URL, {"start": "01/07/2019"})) == {opinion.pk}
    assert ids(board_staff.get(LIST_URL, {"end": "30/06/2019"})) == set()


def test_overdue_filter(board_staff, opinions):
    assert ids(board_staff.get(LIST_URL, {"overdue": "on"})) == pks(opinions, "dn_overdue")


def test_filters_combine(board_staff, opinions):
    response = board_staff.get(
        LIST_URL, {"unit": unit("Dũng Nghĩa").pk, "status": OpinionStatus.FORWARDED}
    )
    assert ids(response) == pks(opinions, "district_dn", "dn_overdue")


@pytest.mark.parametrize(
    ("params", "field_name"),
    [
        ({"start": "31/02/2019"}, "start"),
        ({"end": "2019-13-01"}, "end"),
        ({"start": "01/06/2019", "end": "01/05/2019"}, "end"),
        ({"status": "lost"}, "status"),
        ({"field": "abc"}, "field"),
        ({"agency": "999999"}, "agency"),
        ({"q": "x" * 201}, "q"),
        ({"q": "đất\x00"}, "q"),
    ],
)
def test_invalid_filter_shows_an_error_next_to_the_field_and_no_rows(
    board_staff, opinions, params, field_name
):
    response = board_staff.get(LIST_URL, params)
    assert ids(response) == set()
    assert list(response.context["filter"].errors) == [field_name]
    assert f'id="id_{field_name}_error"' in response.content.decode()


def test_invalid_filter_keeps_what_was_typed(board_staff, opinions):
    page = board_staff.get(LIST_URL, {"start": "31/02/2019", "q": "đất"}).content.decode()
    assert 'value="31/02/2019"' in page
    assert 'value="đất"' in page


# --- order and pages ----------------------------------------------------------------------------


def test_latest_sessions_come_first(board_staff, opinions):
    order = ordered_ids(board_staff.get(LIST_URL))
    assert order[0] == opinions["bt_new"].pk
    assert set(order[-2:]) == pks(opinions, "district_dn", "district_bt")


def test_opinions_awaiting_an_agency_are_listed_most_urgent_first(board_staff, opinions):
    order = ordered_ids(board_staff.get(LIST_URL, {"status": OpinionStatus.FORWARDED}))
    assert order == [opinions["dn_overdue"].pk, opinions["district_dn"].pk]
    assert board_staff.get(LIST_URL, {"status": "forwarded"}).context["filter"].is_urgent


def test_list_is_paginated_by_25(board_staff, sessions):
    for number in range(30):
        make_opinion(session=sessions["dung_nghia"], content=f"Ý kiến số {number}")
    first = board_staff.get(LIST_URL)
    second = board_staff.get(LIST_URL, {"page": 2})
    assert len(ids(first)) == 25
    assert len(ids(second)) == 5
    assert ids(first).isdisjoint(ids(second))
    assert first.context["page"].paginator.count == 30


@pytest.mark.parametrize("page", ["abc", "999", "-1"])
def test_a_page_number_out_of_range_shows_a_page(board_staff, opinions, page):
    assert board_staff.get(LIST_URL, {"page": page}).status_code == 200


def test_list_takes_the_same_number_of_queries_however_many_opinions(
    board_staff, sessions, django_assert_max_num_queries
):
    hamlets = list(Hamlet.objects.filter(commune=unit("Dũng Nghĩa")))
    filters = {"unit": district().pk, "session": sessions["dung_nghia"].pk, "start": "01/01/2019"}
    for batch in (5, 55):
        for number in range(batch):
            make_opinion(
                session=sessions["dung_nghia"], content=f"Ý kiến {number}",
                hamlet=hamlets[number % len(hamlets)], raised_by="Ông Nguyễn Văn A",
                outcome=("pending", "answered", "forwarded")[number % 3],
            )  # fmt: skip
        # Session and user; the unit, session, field and agency of the form; count; rows; the
        # rules in force and, when one counts working days, the holiday list (the author's
        # deadline on each row, issue 12).
        with django_assert_max_num_queries(12):
            response = board_staff.get(LIST_URL, filters)
        assert response.status_code == 200
        with django_assert_max_num_queries(12):
            response = board_staff.get(LIST_URL, {"page": 2, "overdue": "on"})
        assert response.status_code == 200
