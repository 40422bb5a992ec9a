"""Issue 12, point 1: what a session is — its kind, the scope and form of a dialogue conference,
how to take part — on the schedule form, the session's page, the list, the calendar feed, the
exports and the notice to residents."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from communes.models import OfficeHolder
from dialogues.exports import HEADERS
from dialogues.models import DialogueScope, Session, SessionKind, SessionMode
from dialogues.views.feeds import session_description

from .factories import make_plan, make_session, unit

with translation.override("en"):
    COLUMN = {str(header): index for index, header in enumerate(HEADERS)}


@pytest.fixture
def plan(demo):
    return make_plan()


def form_data(plan, host, **overrides):
    chairs = OfficeHolder.objects.filter(unit=host, position__is_head=True)
    data = {
        "host": host.pk, "plan": plan.pk, "kind": "dialogue", "dialogue_scope": "cluster",
        "mode": "both", "topic": "Đối thoại về đường giao thông liên thôn",
        "venue": f"Hội trường UBND {host.name}", "day": "20/06/2019", "start_time": "08:00",
        "end_time": "11:00", "notice_date": "05/06/2019", "attending_units": [host.pk],
        "chairs": [c.pk for c in chairs], "invited_organisations": "Ủy ban MTTQ",
        "participation": "Đăng ký phát biểu với Trưởng thôn; dự trực tuyến tại nhà văn hóa thôn.",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_new_session_is_offered_todays_kinds_only(officer, plan):
    page = officer.get(f"/sessions/new/?host={unit('Dũng Nghĩa').pk}")
    kinds = [value for value, _ in page.context["form"].fields["kind"].choices]
    assert kinds == ["dialogue", "reception", "ad_hoc_reception"]
    assert "Hội nghị đối thoại" in page.text and "Tiếp công dân định kỳ" in page.text
    # A 2019 kind typed in by hand is refused, with the Vietnamese message next to the field.
    response = officer.post("/sessions/new/", form_data(plan, unit("Dũng Nghĩa"), kind="regular"))
    assert "kind" in response.context["form"].errors
    assert not Session.objects.exists()


def test_a_session_of_a_2019_kind_keeps_and_shows_its_kind(officer, plan):
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), day="20/06/2019")
    assert session.kind == SessionKind.REGULAR
    page = officer.get(f"/sessions/{session.pk}/edit/")
    kinds = [value for value, _ in page.context["form"].fields["kind"].choices]
    assert kinds == ["dialogue", "reception", "ad_hoc_reception", "regular"]
    data = form_data(
        plan, unit("Dũng Nghĩa"), kind="regular", seen=page.context["form"]["seen"].value()
    )
    assert officer.post(f"/sessions/{session.pk}/edit/", data).status_code == 302
    session.refresh_from_db()
    assert session.kind == SessionKind.REGULAR and session.dialogue_scope == ""
    assert "Định kỳ" in officer.get(session.get_absolute_url()).text


def test_a_dialogue_conference_needs_its_scope_and_keeps_what_was_typed(officer, plan):
    response = officer.post(
        "/sessions/new/", form_data(plan, unit("Dũng Nghĩa"), dialogue_scope="")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["dialogue_scope"]
    assert errors == [
        "Hãy chọn phạm vi của hội nghị đối thoại: toàn xã, cụm thôn, một thôn hoặc theo chuyên đề."
    ]
    assert errors[0] in response.text
    assert "Đối thoại về đường giao thông liên thôn" in response.text
    assert "dự trực tuyến tại nhà văn hóa thôn" in response.text
    assert not Session.objects.exists()


def test_a_reception_drops_a_scope_sent_without_javascript(officer, plan):
    response = officer.post(
        "/sessions/new/",
        form_data(plan, unit("Dũng Nghĩa"), kind="reception", dialogue_scope="theme"),
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.kind == SessionKind.RECEPTION and session.dialogue_scope == ""


def test_an_unknown_scope_or_form_is_refused_not_a_500(officer, plan):
    response = officer.post(
        "/sessions/new/", form_data(plan, unit("Dũng Nghĩa"), dialogue_scope="x", mode="fax")
    )
    assert response.status_code == 200
    assert {"dialogue_scope", "mode"} <= set(response.context["form"].errors)


def test_the_session_page_notice_feed_and_exports_show_kind_scope_form_and_how_to_take_part(
    officer, plan
):
    officer.post("/sessions/new/", form_data(plan, unit("Dũng Nghĩa")))
    session = Session.objects.get()
    assert (session.kind, session.dialogue_scope, session.mode) == (
        SessionKind.DIALOGUE, DialogueScope.CLUSTER, SessionMode.BOTH,
    )  # fmt: skip
    page = officer.get(session.get_absolute_url()).text
    for text in ["Hội nghị đối thoại", "Cụm thôn, tổ dân phố", "Trực tiếp và trực tuyến",
                 "dự trực tuyến tại nhà văn hóa thôn"]:  # fmt: skip
        assert text in page, text
    notice = officer.get(reverse("dialogues:session-notice", args=[session.pk])).text
    assert "Cách thức tham gia" in notice and "dự trực tuyến tại nhà văn hóa thôn" in notice
    with translation.override("vi"):
        description = session_description(session)
    assert "Loại: Hội nghị đối thoại (Cụm thôn, tổ dân phố)" in description
    assert "Hình thức: Trực tiếp và trực tuyến" in description
    response = officer.get(reverse("dialogues:session-export-csv"))
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(header) == len(HEADERS) == len(set(header))  # each column says what it is
    assert row[COLUMN["Kind of session"]] == "Hội nghị đối thoại"
    assert row[COLUMN["Dialogue for"]] == "Cụm thôn, tổ dân phố"
    assert row[COLUMN["Form"]] == "Trực tiếp và trực tuyến"
    assert "nhà văn hóa thôn" in row[COLUMN["How to take part"]]
    assert row[COLUMN["Results made public on"]] == ""


def test_the_list_filters_by_kind_in_a_bounded_number_of_queries(
    officer, plan, django_assert_max_num_queries
):
    host = unit("Dũng Nghĩa")
    for day in range(1, 13):
        make_session(plan=plan, host=host, day=f"{day:02d}/05/2019", topic=f"Tiếp dân {day}",
                     kind=SessionKind.RECEPTION)  # fmt: skip
    make_session(plan=plan, host=host, day="20/05/2019", topic="Hội nghị đối thoại toàn xã",
                 kind=SessionKind.DIALOGUE, dialogue_scope=DialogueScope.UNIT)  # fmt: skip
    with django_assert_max_num_queries(20):
        page = officer.get("/sessions/?kind=dialogue")
    assert [s.topic for s in page.context["page"]] == ["Hội nghị đối thoại toàn xã"]
    assert "toàn đơn vị" in page.text
    with django_assert_max_num_queries(20):
        page = officer.get("/sessions/?kind=reception")
    assert len(page.context["page"]) == 12
    assert officer.get("/sessions/?kind=nonsense").status_code == 200
