"""Two people change the same session or opinion: the second save is refused, shows what
changed, and nothing is silently overwritten."""

import pytest
from django.test import Client

from accounts.models import User
from dialogues.models import Session, SessionStatus
from feedback.models import Opinion, OpinionStatus

from .factories import make_opinion, make_plan, make_session, unit
from .test_sessions import form_data


def client_for(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def session(demo):
    return make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="20/06/2019")


def test_the_second_of_two_session_edits_is_refused_and_shows_the_first(session):
    first, second = client_for("dungnghia"), client_for("bandanvan")
    seen = first.get(f"/sessions/{session.pk}/edit/").context["form"]["seen"].value()
    assert second.get(f"/sessions/{session.pk}/edit/").context["form"]["seen"].value() == seen
    data = form_data(session.plan, session.host_unit, day="20/06/2019")
    first.post(f"/sessions/{session.pk}/edit/", {**data, "seen": seen, "venue": "Nhà văn hóa"})
    response = second.post(
        f"/sessions/{session.pk}/edit/", {**data, "seen": seen, "venue": "Sân vận động"}
    )
    assert response.status_code == 200
    assert Session.objects.get(pk=session.pk).venue == "Nhà văn hóa"
    assert "Nhà văn hóa" in response.text  # what the first person changed is shown
    assert 'value="Sân vận động"' in response.text  # what this person typed is kept
    assert response.context["form"].non_field_errors()
    # Having read it, the second person can save on purpose.
    again = dict(response.context["form"].data.items())
    assert second.post(f"/sessions/{session.pk}/edit/", again).status_code == 302
    assert Session.objects.get(pk=session.pk).venue == "Sân vận động"


def test_a_status_change_in_between_also_stops_an_edit(session):
    editor = client_for("dungnghia")
    seen = editor.get(f"/sessions/{session.pk}/edit/").context["form"]["seen"].value()
    client_for("bandanvan").post(
        f"/sessions/{session.pk}/postpone/",
        {"day": "27/06/2019", "start_time": "08:00", "end_time": "11:00", "reason": "Mưa"},
    )
    data = form_data(session.plan, session.host_unit, day="20/06/2019")
    response = editor.post(f"/sessions/{session.pk}/edit/", {**data, "seen": seen})
    assert response.status_code == 200
    assert Session.objects.get(pk=session.pk).status == SessionStatus.POSTPONED


def test_the_second_of_two_answers_to_an_opinion_is_refused(demo):
    held = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)
    opinion = make_opinion(session=held, outcome="forwarded")
    responder, staff = client_for("tnmt"), client_for("bandanvan")
    seen = responder.get(f"/opinions/{opinion.pk}/resolve/").context["seen"]
    staff.post(f"/opinions/{opinion.pk}/progress/", {"note": "Đang đo đạc", "seen": seen})
    response = responder.post(
        f"/opinions/{opinion.pk}/resolve/", {"answer": "Đã giải quyết", "seen": seen}
    )
    assert response.status_code == 200
    assert "Đang đo đạc" in response.text
    assert "Đã giải quyết" in response.text
    opinion = Opinion.objects.get(pk=opinion.pk)
    assert opinion.status == OpinionStatus.IN_PROGRESS and opinion.answer == ""


def test_a_record_page_opened_earlier_cannot_overwrite_a_later_save(demo):
    held = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)
    first, second = client_for("dungnghia"), client_for("bandanvan")
    url = f"/sessions/{held.pk}/record/"
    seen = first.get(url).context["seen"]
    record = {"attendance_cadres": "12", "minutes_text": "Biên bản", "seen": seen}
    assert second.post(url, {**record, "attendance_residents": "111"}).status_code == 302
    response = first.post(url, {**record, "attendance_residents": "146"})
    assert response.status_code == 200
    assert Session.objects.get(pk=held.pk).attendance_residents == 111
    assert 'value="146"' in response.text  # what this person typed is kept
    assert "111" in response.text  # and what the other one saved is shown


def test_a_plan_page_opened_earlier_cannot_overwrite_a_later_save(demo):
    from dialogues.models import Plan

    plan = make_plan()
    editor = client_for("bandanvan")
    url = f"/plans/{plan.pk}/edit/"
    seen = editor.get(url).context["form"].initial["seen"]
    form = {
        "number": plan.number, "title": plan.title, "issuing_body": plan.issuing_body,
        "issued_on": plan.issued_on.strftime("%d/%m/%Y"), "period_start": "01/01/2019",
        "period_end": "31/12/2019", "unit": plan.unit_id, "seen": seen,
    }  # fmt: skip
    assert editor.post(url, {**form, "title": "Kế hoạch sửa lần một"}).status_code == 302
    response = editor.post(url, {**form, "text": "Nội dung từ trang cũ"})
    assert response.status_code == 200
    assert Plan.objects.get(pk=plan.pk).title == "Kế hoạch sửa lần một"
    assert "Nội dung từ trang cũ" in response.text
    assert "Kế hoạch sửa lần một" in response.text
