"""Nothing is public until staff publish it, and what they publish they can withdraw."""

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import User
from dialogues.models import SessionStatus
from public.models import OpinionPublication, SessionPublication
from public.services import StalePage, session_publish_results

from .factories import make_opinion, make_plan, make_session, unit
from .reform import apply_reform


@pytest.fixture
def held(demo):
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)
    first = make_opinion(
        session=session, content="Đề nghị sửa đường thôn Đông, ông Trần Văn Bình 0912345678",
        raised_by="Trần Văn Bình", outcome="forwarded",
    )  # fmt: skip
    second = make_opinion(session=session, content="Đề nghị nạo vét kênh", outcome="answered")
    return session, first, second


def publication_page(client, session):
    return client.get(f"/sessions/{session.pk}/publication/")


def test_the_text_to_publish_starts_as_the_content_without_its_author_or_phone(officer, held):
    session, *_ = held
    page = publication_page(officer, session).content.decode()
    assert "Đề nghị sửa đường thôn Đông, ông … …" in page
    assert "0912345678" not in page.split("<textarea")[1]


def test_the_officer_publishes_all_results_at_once_and_the_deadline_is_met(officer, held):
    session, first, second = held
    response = officer.post(
        f"/sessions/{session.pk}/publication/results/",
        {"all": "1", f"text-{first.pk}": "Đề nghị sửa đường thôn Đông",
         f"text-{second.pk}": "Đề nghị nạo vét kênh", "seen": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    publication = SessionPublication.objects.get(session=session)
    assert publication.results_are_public
    assert publication.results_published_by.username == "dungnghia"
    assert OpinionPublication.objects.live().count() == 2
    session.refresh_from_db()
    assert session.results_published_on == timezone.localdate()
    assert session.results_published_by.username == "dungnghia"


def test_a_text_naming_its_author_is_refused_next_to_it_and_kept(officer, held):
    session, first, second = held
    typed = "Ông Trần Văn Bình đề nghị sửa đường"
    response = officer.post(
        f"/sessions/{session.pk}/publication/results/",
        {"publish": [first.pk], f"text-{first.pk}": typed, f"text-{second.pk}": "x", "seen": "0"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Văn bản có tên người nêu ý kiến" in page
    assert typed in page
    assert not OpinionPublication.objects.exists()
    assert not SessionPublication.objects.filter(results_published_at__isnull=False).exists()


def test_a_phone_number_is_refused(officer, held):
    session, first, _ = held
    response = officer.post(
        f"/sessions/{session.pk}/publication/results/",
        {"publish": [first.pk], f"text-{first.pk}": "Gọi 0912 345 678", "seen": "0"},
    )
    assert response.status_code == 400
    assert "số điện thoại" in response.content.decode()


def test_the_address_of_who_raised_it_is_taken_out_and_refused(officer, held):
    session, first, _ = held
    first.content = "Đề nghị sửa đường trước nhà số 12, thôn Đông"
    first.address = "Số 12, thôn Đông"
    first.save()
    page = publication_page(officer, session).content.decode()
    assert "Đề nghị sửa đường trước nhà …" in page
    response = officer.post(
        f"/sessions/{session.pk}/publication/results/",
        {"publish": [first.pk], f"text-{first.pk}": "Sửa đường trước nhà số 12, thôn Đông",
         "seen": "0"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "địa chỉ" in response.content.decode()
    assert not OpinionPublication.objects.exists()


def test_one_opinion_is_published_then_withdrawn_and_the_other_stays(officer, held):
    session, first, second = held
    officer.post(
        f"/sessions/{session.pk}/publication/results/",
        {"all": "1", f"text-{first.pk}": "Sửa đường", f"text-{second.pk}": "Nạo vét kênh"},
    )
    officer.post(f"/opinions/{first.pk}/publication/withdraw/")
    live = OpinionPublication.objects.public()
    assert [row.opinion_id for row in live] == [second.pk]
    withdrawn = OpinionPublication.objects.get(opinion=first)
    assert withdrawn.withdrawn_by.username == "dungnghia"


def test_withdrawing_all_results_keeps_the_date_the_deadline_was_met(officer, held):
    session, first, second = held
    officer.post(f"/sessions/{session.pk}/publication/results/", {"all": "1",
                 f"text-{first.pk}": "Sửa đường", f"text-{second.pk}": "Nạo vét kênh"})  # fmt: skip
    officer.post(f"/sessions/{session.pk}/publication/withdraw-results/")
    assert not OpinionPublication.objects.public().exists()
    session.refresh_from_db()
    assert session.results_published_on == timezone.localdate()


def test_the_announcement_is_published_and_withdrawn(officer, demo):
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"))
    officer.post(f"/sessions/{session.pk}/publication/announce/")
    publication = SessionPublication.objects.get(session=session)
    assert publication.is_announced and publication.announced_by.username == "dungnghia"
    officer.post(f"/sessions/{session.pk}/publication/withdraw-announcement/")
    publication.refresh_from_db()
    assert not publication.is_announced
    assert publication.announcement_withdrawn_by.username == "dungnghia"


def test_results_of_a_session_not_held_cannot_be_published(officer, demo):
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"))
    response = officer.post(f"/sessions/{session.pk}/publication/results/", {"all": "1"})
    assert response.status_code == 302
    assert not SessionPublication.objects.filter(results_published_at__isnull=False).exists()


def test_a_page_opened_before_another_change_is_told_and_changes_nothing(officer, held):
    session, *_ = held
    officer.post(f"/sessions/{session.pk}/publication/announce/", {"seen": "0"})
    response = officer.post(
        f"/sessions/{session.pk}/publication/withdraw-announcement/", {"seen": "0"}, follow=True
    )
    assert "Có người đã thay đổi" in response.content.decode()
    assert SessionPublication.objects.get(session=session).is_announced


def test_a_stale_version_is_refused_by_the_service(held):
    session, first, _ = held
    by = User.objects.get(username="dungnghia")
    session_publish_results(session=session, texts={first: "Sửa đường"}, by=by, seen="0")
    with pytest.raises(StalePage):
        session_publish_results(session=session, texts={first: "Sửa đường"}, by=by, seen="0")


def test_the_other_communes_officer_finds_nothing_to_publish(outsider, held):
    session, *_ = held
    assert publication_page(outsider, session).status_code == 404
    assert outsider.post(f"/sessions/{session.pk}/publication/announce/").status_code == 404
    assert not SessionPublication.objects.exists()


def test_leaders_cannot_publish(leader, held):
    session, *_ = held
    assert leader.post(f"/sessions/{session.pk}/publication/announce/").status_code == 403


def test_history_seen_through_succession_is_not_published_by_the_successor(client, held):
    session, *_ = held
    apply_reform()
    accounts_demo.load_after_reform()
    client.force_login(User.objects.get(username="xavuthu"))
    assert publication_page(client, session).status_code == 403
    assert client.post(f"/sessions/{session.pk}/publication/announce/").status_code == 403
    assert not SessionPublication.objects.exists()


def test_publishing_is_in_the_audit_log(officer, held):
    from auditlog.models import LogEntry

    session, *_ = held
    officer.post(f"/sessions/{session.pk}/publication/announce/")
    entry = LogEntry.objects.get_for_model(SessionPublication).latest("timestamp")
    assert entry.actor.username == "dungnghia"
    assert "announced_at" in entry.changes_dict


def test_the_session_page_leads_publishers_to_the_publication_page(officer, leader, held):
    session, *_ = held
    link = f'href="/sessions/{session.pk}/publication/"'
    assert link in officer.get(f"/sessions/{session.pk}/").content.decode()
    assert link not in leader.get(f"/sessions/{session.pk}/").content.decode()
