"""The opinion entry form as a commune officer uses it on a phone: form first, errors named by
row, the form's full 200 rows in one post, typed rows kept across an expired login, and a
recorded opinion corrected afterwards."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.middleware import LOGIN_AT
from accounts.models import User
from dialogues.models import SessionStatus
from feedback.forms import MAX_ROWS, OpinionRowForm
from feedback.models import EventKind, Opinion

from .factories import agency, field, make_opinion, make_plan, make_session, unit
from .test_opinion_pages import formset_post

PASSWORD = "DoiThoai@2019"


@pytest.fixture
def held(demo):
    return make_session(
        plan=make_plan(), host=unit("Dũng Nghĩa"), day="17/05/2019", status=SessionStatus.HELD
    )


def url(session):
    return f"/sessions/{session.pk}/opinions/"


def test_the_form_comes_before_the_recorded_opinions(officer, held):
    make_opinion(session=held, content="Ý kiến đã ghi trước đó")
    text = officer.get(url(held)).text
    assert text.index('id="opinion-entry"') < text.index("Ý kiến đã ghi trước đó")


def test_each_row_offers_the_outcome_as_buttons_and_marks_the_fields_each_outcome_needs(
    officer, held
):
    text = officer.get(url(held)).text
    assert 'type="radio" name="op-0-outcome" value="forwarded"' in text
    assert text.count('data-for-outcome="answered"') == 2 * 6  # 5 rows and the row template
    assert text.count('data-for-outcome="forwarded"') == 2 * 6
    # Without JavaScript nothing is hidden: the page itself hides no field.
    assert " hidden" not in text.split('id="opinion-rows"')[1].split("</form>")[0]


def test_after_an_error_the_top_of_the_form_names_each_row_and_links_to_its_field(officer, held):
    post = formset_post(
        {"content": "Ý kiến một"},
        {"content": "Ý kiến hai", "outcome": "forwarded"},  # no agency
        {"content": "Ý kiến ba", "outcome": "answered"},  # no answer
        {"content": "Ý kiến bốn", "outcome": "forwarded", "agency": agency().pk},
        {"content": "Ý kiến năm", "outcome": "forwarded"},  # no agency
    )
    response = officer.post(url(held), post)
    text = response.text
    assert response.status_code == 200 and not Opinion.objects.exists()
    summary = text.split('id="entry-errors"')[1].split("</div>")[0]
    assert 'role="alert"' in text.split('id="entry-errors"')[0][-80:]
    assert "Có 3 ý kiến cần sửa; chưa có gì được lưu." in summary
    assert (
        '<a class="link-danger" href="#id_op-4-agency">'
        "Ý kiến 5: Chọn cơ quan được chuyển ý kiến đến.</a>"
    ) in summary
    assert 'href="#id_op-1-agency"' in summary and 'href="#id_op-2-session_answer"' in summary
    # The summary is the first thing of the form, above the rows and the recorded list.
    assert text.index('id="entry-errors"') < text.index('id="opinion-rows"')


def test_the_forms_whole_limit_of_rows_saves_in_one_post(officer, held):
    fields_per_row = len(OpinionRowForm.base_fields)
    assert MAX_ROWS * fields_per_row + 10 <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    rows = [{"content": f"Ý kiến số {n} về đường liên thôn"} for n in range(1, MAX_ROWS + 1)]
    response = officer.post(url(held), formset_post(*rows))
    assert response.status_code == 302
    assert Opinion.objects.filter(session=held).count() == MAX_ROWS


def _log_in_again(client, session):
    page = client.post(
        f"/accounts/login/?next={url(session)}",
        {"username": "dungnghia", "password": PASSWORD, "next": url(session)},
    )
    assert page.status_code == 302 and page["Location"] == url(session)
    return client.get(url(session))


def test_rows_typed_when_the_login_has_expired_are_back_after_logging_in_again(demo, held):
    client = Client()
    client.force_login(User.objects.get(username="dungnghia"))
    client.get(url(held))
    client.cookies.pop(settings.SESSION_COOKIE_NAME)  # idle too long: the browser dropped it
    post = formset_post(
        {"content": "Đường thôn Đông xuống cấp", "raised_by": "Ông Trần Văn Bình"},
        {"content": "Rác thải ven sông", "outcome": "answered", "session_answer": "Sẽ xử lý"},
    )
    refused = client.post(url(held), post)
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/login/")
    assert not Opinion.objects.exists()

    page = _log_in_again(client, held)
    text = page.text
    assert "Đường thôn Đông xuống cấp" in text and "Ông Trần Văn Bình" in text
    assert "Rác thải ven sông" in text and "Sẽ xử lý" in text
    assert "Các ý kiến bạn đã gõ trước khi đăng nhập lại vẫn còn nguyên." in text
    assert not Opinion.objects.exists()  # nothing saved until the officer saves
    # Once shown, they are not shown again.
    assert "Đường thôn Đông xuống cấp" not in client.get(url(held)).text


def test_rows_typed_past_the_absolute_session_limit_are_back_too(officer, held):
    session = officer.session
    long_ago = timezone.now() - datetime.timedelta(hours=settings.SESSION_ABSOLUTE_HOURS + 1)
    session[LOGIN_AT] = long_ago.isoformat()
    session.save()
    refused = officer.post(url(held), formset_post({"content": "Ý kiến gõ lúc hết phiên"}))
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/login/")
    assert "Ý kiến gõ lúc hết phiên" in _log_in_again(officer, held).text
    assert not Opinion.objects.exists()


def test_a_post_stashed_for_one_page_is_not_shown_on_another(demo, held):
    other = make_session(
        plan=held.plan, host=unit("Dũng Nghĩa"), day="18/05/2019", status=SessionStatus.HELD
    )
    client = Client()
    client.post(url(held), formset_post({"content": "Chỉ của hội nghị thứ nhất"}))
    client.post("/accounts/login/", {"username": "dungnghia", "password": PASSWORD})
    assert "Chỉ của hội nghị thứ nhất" not in client.get(url(other)).text
    assert "Chỉ của hội nghị thứ nhất" in client.get(url(held)).text


# Correcting a recorded opinion


def _correction(opinion, **changes):
    data = {"field": opinion.field_id, "content": opinion.content,
            "raised_by": opinion.raised_by, "hamlet": opinion.hamlet_id or ""}  # fmt: skip
    data.update(changes)
    return data


def test_the_officer_corrects_a_recorded_opinion_and_the_timeline_keeps_the_old_text(officer, held):
    opinion = make_opinion(session=held, content="Đường thôn Đông xuống cáp", outcome="answered")
    hamlet = held.host_unit.hamlets.first()
    page = officer.get(f"/opinions/{opinion.pk}/correct/")
    assert 'value="Đường thôn Đông xuống cáp"' in page.text or "xuống cáp</textarea>" in page.text
    response = officer.post(
        f"/opinions/{opinion.pk}/correct/",
        _correction(opinion, content="Đường thôn Đông xuống cấp", field=field("Giao thông").pk,
                    raised_by="Ông Trần Văn Bình", hamlet=hamlet.pk),
    )  # fmt: skip
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.content == "Đường thôn Đông xuống cấp"
    assert (opinion.field.name, opinion.raised_by, opinion.hamlet) == (
        "Giao thông", "Ông Trần Văn Bình", hamlet,
    )  # fmt: skip
    assert opinion.status == "answered"  # the workflow is untouched
    event = opinion.events.get(kind=EventKind.CORRECTED)
    assert event.by.username == "dungnghia"
    detail = officer.get(f"/opinions/{opinion.pk}/").text
    assert "Đã sửa" in detail and "Đường thôn Đông xuống cáp" in detail and "Đất đai" in detail


def test_a_correction_that_changes_nothing_is_explained(officer, held):
    opinion = make_opinion(session=held)
    response = officer.post(f"/opinions/{opinion.pk}/correct/", _correction(opinion))
    assert response.status_code == 200
    assert "Chưa có gì thay đổi." in response.text
    assert not opinion.events.filter(kind=EventKind.CORRECTED).exists()


def test_once_forwarded_only_board_staff_correct_it(officer, board_staff, leader, held):
    opinion = make_opinion(session=held, outcome="forwarded")
    page = officer.get(url(held)).text
    assert f'href="/opinions/{opinion.pk}/correct/"' not in page
    fixed = _correction(opinion, content="Nội dung đã sửa bởi Ban Dân vận")
    assert officer.post(f"/opinions/{opinion.pk}/correct/", fixed).status_code == 403
    assert leader.post(f"/opinions/{opinion.pk}/correct/", fixed).status_code == 403
    assert board_staff.post(f"/opinions/{opinion.pk}/correct/", fixed).status_code == 302
    opinion.refresh_from_db()
    assert opinion.content == "Nội dung đã sửa bởi Ban Dân vận"


def test_the_recorded_list_offers_correction_before_forwarding(officer, outsider, held):
    opinion = make_opinion(session=held)
    assert f'href="/opinions/{opinion.pk}/correct/"' in officer.get(url(held)).text
    assert outsider.get(f"/opinions/{opinion.pk}/correct/").status_code == 404
