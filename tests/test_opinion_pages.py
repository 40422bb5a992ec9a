"""The session's opinion entry, one opinion's page and its actions, and the agency queue."""

import datetime

import pytest
from django.utils import timezone

from dialogues.models import SessionStatus
from feedback.models import Opinion, OpinionStatus
from feedback.selectors import agencies_for_session

from .factories import agency, field, make_opinion, make_plan, make_session, unit


@pytest.fixture
def held(demo):
    return make_session(
        plan=make_plan(), host=unit("Dũng Nghĩa"), day="17/05/2019", status=SessionStatus.HELD
    )


def row(index, **values):
    data = {
        "field": field().pk, "kind": "opinion", "content": "", "raised_by": "", "hamlet": "",
        "outcome": "pending", "session_answer": "", "answered_by": "", "agency": "", "deadline": "",
    }  # fmt: skip
    data.update(values)
    return {f"op-{index}-{key}": value for key, value in data.items()}


def formset_post(*rows, total=None):
    data = {"op-TOTAL_FORMS": str(total or len(rows)), "op-INITIAL_FORMS": "0",
            "op-MIN_NUM_FORMS": "0", "op-MAX_NUM_FORMS": "200"}  # fmt: skip
    for index, values in enumerate(rows):
        data.update(row(index, **values))
    return data


def test_officer_enters_five_opinions_in_one_form(officer, held):
    hamlet = held.host_unit.hamlets.first()
    post = formset_post(
        {"content": "Đường liên thôn xuống cấp", "outcome": "answered",
         "session_answer": "Đã có kế hoạch sửa", "answered_by": "Chủ tịch UBND xã"},
        {"content": "Rác thải ven sông", "outcome": "answered", "session_answer": "Sẽ xử lý"},
        {"content": "Cấp GCN quyền sử dụng đất", "outcome": "forwarded",
         "agency": agency().pk, "hamlet": hamlet.pk, "raised_by": "Ông Trần Văn A"},
        {"content": "Tranh chấp đất", "outcome": "forwarded", "agency": agency().pk},
        {"content": "Chế độ người có công", "outcome": "forwarded",
         "agency": agency("LĐ-TB&XH").pk},
        {"field": ""},  # a row left untouched is ignored
    )  # fmt: skip
    response = officer.post(f"/sessions/{held.pk}/opinions/", post)
    assert response.status_code == 302
    opinions = Opinion.objects.filter(session=held).order_by("pk")
    assert [o.status for o in opinions] == ["answered"] * 2 + ["forwarded"] * 3
    assert opinions[2].hamlet == hamlet and opinions[2].raised_by == "Ông Trần Văn A"
    assert all(o.deadline for o in opinions[2:])
    assert all(o.created_by.username == "dungnghia" for o in opinions)


def test_an_invalid_row_saves_nothing_and_keeps_every_typed_row(officer, held):
    post = formset_post(
        {"content": "Ý kiến một"},
        {"content": "Ý kiến hai", "outcome": "forwarded"},  # no agency
        {"content": "Ý kiến ba", "deadline": "31/02/2019"},
    )
    response = officer.post(f"/sessions/{held.pk}/opinions/", post)
    assert response.status_code == 200
    assert not Opinion.objects.exists()
    formset = response.context["formset"]
    assert "agency" in formset.forms[1].errors
    assert "Chọn cơ quan được chuyển ý kiến đến." in response.text
    assert "deadline" in formset.forms[2].errors
    for text in ["Ý kiến một", "Ý kiến hai", "Ý kiến ba", "31/02/2019"]:
        assert text in response.text


def test_adding_rows_without_javascript_keeps_what_was_typed(officer, held):
    post = formset_post({"content": "Đã gõ dòng này"}, total=5)
    post["add_rows"] = "1"
    response = officer.post(f"/sessions/{held.pk}/opinions/", post)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 10
    assert "Đã gõ dòng này" in response.text
    assert not Opinion.objects.exists()


def test_opinions_wait_until_the_session_is_held(officer, demo):
    planned = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="17/05/2019")
    response = officer.post(f"/sessions/{planned.pk}/opinions/", formset_post({"content": "x"}))
    assert response.status_code == 302
    assert not Opinion.objects.exists()
    assert officer.get(f"/sessions/{planned.pk}/opinions/").context["formset"] is None


def test_outsider_and_responder_cannot_see_or_enter(outsider, responder, leader, held):
    url = f"/sessions/{held.pk}/opinions/"
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, formset_post({"content": "x"})).status_code == 404
    assert responder.get(url).status_code == 403
    assert leader.get(url).status_code == 200
    assert leader.post(url, formset_post({"content": "x"})).status_code == 403
    assert not Opinion.objects.exists()


def test_the_opinion_page_shows_the_timeline_with_authors(officer, responder, held):
    from accounts.models import User

    opinion = make_opinion(
        session=held, outcome="forwarded", by=User.objects.get(username="dungnghia")
    )
    responder.post(f"/opinions/{opinion.pk}/progress/", {"note": "Đang xác minh hồ sơ"})
    page = officer.get(f"/opinions/{opinion.pk}/")
    events = list(page.context["events"])
    assert [e.kind for e in events] == ["recorded", "forwarded", "progress"]
    assert events[2].by.username == "tnmt"
    assert "Đang xác minh hồ sơ" in page.text


def test_responder_resolves_an_opinion_of_their_agency(responder, held):
    opinion = make_opinion(session=held, outcome="forwarded")
    response = responder.post(
        f"/opinions/{opinion.pk}/resolve/",
        {"answer": "Đã cấp giấy", "answer_document_number": "125/UBND-TNMT",
         "answer_document_date": "03/06/2019"},
    )  # fmt: skip
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.RESOLVED
    assert opinion.answer_document_date == datetime.date(2019, 6, 3)


def test_a_refused_change_is_explained_and_changes_nothing(responder, held):
    opinion = make_opinion(session=held, outcome="forwarded")
    opinion.resolve(answer="Xong", document_number="", document_date=None, by=None)
    response = responder.post(f"/opinions/{opinion.pk}/resolve/", {"answer": "Lần hai"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Opinion.objects.get(pk=opinion.pk).answer == "Xong"


def test_the_forward_form_offers_only_agencies_of_the_session_unit_and_above(officer, held):
    from communes.models import Agency

    elsewhere = Agency.objects.create(
        name="Ban Tiếp công dân xã Bách Thuận", unit=unit("Bách Thuận")
    )
    opinion = make_opinion(session=held)
    url = f"/opinions/{opinion.pk}/forward/"

    offered = set(officer.get(url).context["form"].fields["agency"].queryset)
    assert agency() in offered and elsewhere not in offered
    # The entry form's rule, from the same function.
    assert offered == set(agencies_for_session(held))

    response = officer.post(url, {"agency": elsewhere.pk, "seen": 1})
    assert response.status_code == 200
    assert response.context["form"].errors["agency"]
    assert Opinion.objects.get(pk=opinion.pk).agency is None


def test_duplicates_are_marked_within_one_communes_residents_only(board_staff, held):
    other_session = make_session(plan=held.plan, host=unit("Bách Thuận"), day="18/05/2019",
                                 status=SessionStatus.HELD)  # fmt: skip
    elsewhere = make_opinion(session=other_session)
    opinion = make_opinion(session=held)

    response = board_staff.post(
        f"/opinions/{opinion.pk}/duplicate/", {"duplicate_of": elsewhere.pk, "seen": 1}
    )
    assert response.status_code == 200
    assert "Xã Dũng Nghĩa" in str(response.context["form"].errors["duplicate_of"])
    assert Opinion.objects.get(pk=opinion.pk).status == OpinionStatus.NEW

    same = make_opinion(session=held, content="Lặp lại")
    response = board_staff.post(
        f"/opinions/{same.pk}/duplicate/", {"duplicate_of": opinion.pk, "seen": 1}
    )
    assert response.status_code == 302
    assert Opinion.objects.get(pk=same.pk).duplicate_of == opinion


def test_an_opinions_page_links_only_duplicates_the_reader_may_open(officer, outsider, held):
    other_session = make_session(plan=held.plan, host=unit("Bách Thuận"), day="18/05/2019",
                                 status=SessionStatus.HELD)  # fmt: skip
    original = make_opinion(session=other_session)
    # Chained across communes before the rule above existed.
    copy = make_opinion(session=held)
    Opinion.objects.filter(pk=copy.pk).update(duplicate_of=original, status=OpinionStatus.DUPLICATE)

    page = outsider.get(f"/opinions/{original.pk}/")
    assert page.status_code == 200
    assert f"/opinions/{copy.pk}/" not in page.text and f"{copy.code}<" not in page.text
    page = officer.get(f"/opinions/{copy.pk}/")
    assert f"/opinions/{original.pk}/" not in page.text


def test_responder_sees_only_their_agencys_opinions(responder, held):
    mine = make_opinion(session=held, outcome="forwarded")
    other = make_opinion(session=held, outcome="forwarded", agency=agency("KT&HT"))
    new = make_opinion(session=held)
    assert responder.get(f"/opinions/{mine.pk}/").status_code == 200
    assert responder.get(f"/opinions/{other.pk}/").status_code == 404
    assert responder.get(f"/opinions/{new.pk}/").status_code == 404
    assert responder.get(f"/sessions/{held.pk}/").status_code == 403


def test_commune_officer_cannot_resolve_and_outsider_gets_404(officer, outsider, held):
    opinion = make_opinion(session=held, outcome="forwarded")
    assert officer.post(f"/opinions/{opinion.pk}/resolve/", {"answer": "x"}).status_code == 403
    assert outsider.get(f"/opinions/{opinion.pk}/").status_code == 404
    assert outsider.post(f"/opinions/{opinion.pk}/forward/", {"agency": 1}).status_code == 404


def test_queue_lists_the_agencys_opinions_most_urgent_first(
    responder, held, django_assert_max_num_queries
):
    today = timezone.localdate()
    later = make_opinion(
        session=held, outcome="forwarded", deadline=today + datetime.timedelta(days=20)
    )
    overdue = make_opinion(session=held, outcome="forwarded", deadline=datetime.date(2019, 6, 1))
    soon = make_opinion(
        session=held, outcome="forwarded", deadline=today + datetime.timedelta(days=1)
    )
    make_opinion(session=held, outcome="forwarded", agency=agency("KT&HT"))
    make_opinion(session=held, outcome="answered")
    response = responder.get("/queue/")
    assert [o.pk for o in response.context["page"]] == [overdue.pk, soon.pk, later.pk]
    assert response.context["overdue_count"] == 1
    assert response.context["due_soon_count"] == 1
    for _ in range(30):
        make_opinion(session=held, outcome="forwarded")
    with django_assert_max_num_queries(12):
        response = responder.get("/queue/", {"page": 2})
    assert response.context["page"].paginator.num_pages == 2


def test_only_responders_have_a_queue(officer, board_staff, demo):
    assert officer.get("/queue/").status_code == 403
    assert board_staff.get("/queue/").status_code == 403


def test_home_page_counts_overdue_opinions_in_scope(officer, outsider, held):
    make_opinion(session=held, outcome="forwarded", deadline=datetime.date(2019, 6, 1))
    assert officer.get("/").context["overdue_count"] == 1
    assert outsider.get("/").context["overdue_count"] == 0


def test_a_tampered_row_count_builds_at_most_the_row_limit_and_saves_nothing(officer, held):
    post = formset_post({"content": "Đường liên thôn xuống cấp"}, total=1_000_000)
    response = officer.post(f"/sessions/{held.pk}/opinions/", post)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) <= 200
    assert response.context["formset"].non_form_errors()
    assert not Opinion.objects.filter(session=held).exists()
