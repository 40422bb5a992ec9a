"""The public pages: no login, only what staff published, nothing about the rest."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import User
from dialogues.models import SessionStatus
from feedback.models import Field
from public.services import (
    opinion_withdraw,
    session_announce,
    session_publish_results,
    session_withdraw_announcement,
    session_withdraw_results,
)

from .factories import make_opinion, make_plan, make_session, unit

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world(demo):
    """Dũng Nghĩa: one held session with two opinions published and one not, a session to come
    announced, another not announced. Bách Thuận: a held session, nothing published."""
    by = User.objects.get(username="dungnghia")
    soon = timezone.localdate() + datetime.timedelta(days=20)
    plan = make_plan(start="01/01/2019", end="31/12/2019")
    dn = unit("Dũng Nghĩa")
    held = make_session(
        plan=plan, host=dn, status=SessionStatus.HELD, topic="Đối thoại về đường giao thông"
    )
    road = make_opinion(session=held, content="Đề nghị nâng cấp đường liên thôn",
                        raised_by="Phạm Thị Hoa", outcome="forwarded")  # fmt: skip
    canal = make_opinion(session=held, content="Đề nghị nạo vét kênh tưới tiêu",
                         field_name="Môi trường", outcome="answered")  # fmt: skip
    secret = make_opinion(session=held, content="Khiếu nại về cán bộ địa chính xã")
    session_publish_results(
        session=held, by=by,
        texts={road: "Đề nghị nâng cấp đường liên thôn", canal: "Đề nghị nạo vét kênh tưới tiêu"},
    )  # fmt: skip
    coming = make_session(plan=plan, host=dn, day=soon, topic="Đối thoại về môi trường",
                          participation="Mời toàn thể Nhân dân; đăng ký tại UBND xã.")  # fmt: skip
    session_announce(session=coming, by=by)
    hidden = make_session(plan=plan, host=dn, day="22/12/2019", topic="Chuyên đề chưa thông báo")
    other = make_session(plan=plan, host=unit("Bách Thuận"), status=SessionStatus.HELD,
                         topic="Hội nghị Bách Thuận chưa công khai")  # fmt: skip
    make_opinion(session=other, content="Ý kiến Bách Thuận chưa công khai")
    return {"by": by, "dn": dn, "held": held, "road": road, "canal": canal, "secret": secret,
            "coming": coming, "hidden": hidden, "other": other}  # fmt: skip


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_unit_page_shows_the_announced_session_and_the_published_results(anonymous, world):
    text = page(anonymous, f"/cong-khai/{world['dn'].code}/")
    assert "Đối thoại về môi trường" in text
    assert "Đề nghị nâng cấp đường liên thôn" in text
    assert "Đề nghị nạo vét kênh tưới tiêu" in text
    # Forwarded: who handles it and by when; the name of who raised it never.
    assert world["road"].agency.name in text
    assert world["road"].deadline.strftime("%d/%m/%Y") in text
    assert "Phạm Thị Hoa" not in text


def test_the_session_page_shows_how_to_take_part_and_who_chairs_by_position(anonymous, world):
    publication = world["coming"].publication
    text = page(anonymous, f"/cong-khai/{world['dn'].code}/{publication.public_id}/")
    assert "đăng ký tại UBND xã" in text
    assert "Hội trường UBND Dũng Nghĩa" in text
    for chair in world["coming"].chairs.select_related("person", "position"):
        assert chair.position.name in text
        assert chair.person.full_name not in text


def test_the_status_follows_the_opinion_as_it_moves(anonymous, world):
    url = f"/cong-khai/{world['dn'].code}/"
    assert "Đã chuyển" in page(anonymous, url)
    world["road"].resolve(answer="Đã đưa vào kế hoạch năm 2020", document_number="",
                          document_date=None, by=world["by"])  # fmt: skip
    text = page(anonymous, url)
    assert "Đã đưa vào kế hoạch năm 2020" in text
    assert "Đã giải quyết" in text


def same_page(response, url):
    """The page without its own address and the form token, which differ on every 404."""
    text = response.content.decode().replace(url, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_nothing_unpublished_is_found_by_address(anonymous, world):
    other_code = world["other"].host_unit.code
    missing = anonymous.get("/cong-khai/99999/")
    assert missing.status_code == 404
    # A unit with only unpublished sessions answers exactly as a unit that does not exist.
    for url in [f"/cong-khai/{other_code}/", f"/cong-khai/{other_code}/tin.atom",
                f"/cong-khai/{other_code}/ket-qua.csv", f"/cong-khai/{other_code}/ket-qua.json",
                f"/cong-khai/{world['dn'].code}/{world['hidden'].pk}/"]:  # fmt: skip
        response = anonymous.get(url)
        assert response.status_code == 404, url
        # The same page but for the address itself (the language switch returns to it).
        assert same_page(response, url) == same_page(missing, "/cong-khai/99999/"), url


@pytest.mark.parametrize("path", ["%00/", "33%00801/", "{dn}/%00/", "{dn}/x%00y/tin.atom",
                                  "{dn}/" + "a" * 300 + "/", "%C3%A9/ket-qua.csv"])  # fmt: skip
def test_odd_addresses_are_not_found(anonymous, world, path):
    url = "/cong-khai/" + path.format(dn=world["dn"].code)
    assert anonymous.get(url).status_code == 404


def test_withdrawn_things_are_not_found_anywhere(anonymous, world):
    dn = world["dn"].code
    coming = world["coming"].publication.public_id
    session_withdraw_announcement(session=world["coming"], by=world["by"])
    assert anonymous.get(f"/cong-khai/{dn}/{coming}/").status_code == 404
    opinion_withdraw(opinion=world["canal"], by=world["by"])
    session_withdraw_results(session=world["held"], by=world["by"])
    assert anonymous.get(f"/cong-khai/{dn}/").status_code == 404
    assert anonymous.get(f"/cong-khai/{dn}/tin.atom").status_code == 404
    assert anonymous.get(f"/cong-khai/{dn}/ket-qua.json").status_code == 404
    assert world["dn"].full_name not in page(anonymous, "/cong-khai/")


def test_unpublished_opinions_are_not_searched_counted_or_listed(anonymous, world):
    dn = world["dn"].code
    text = page(anonymous, f"/cong-khai/{dn}/")
    assert "Khiếu nại về cán bộ địa chính" not in text
    assert "Chuyên đề chưa thông báo" not in text
    assert "Không có kết quả đã công khai nào phù hợp" in page(
        anonymous, f"/cong-khai/{dn}/?q=khieu+nai"
    )
    # Search reads only the published text: the author's name finds nothing.
    assert "Đề nghị nâng cấp" not in page(anonymous, f"/cong-khai/{dn}/?q=Pham+Thi+Hoa")
    data = json.loads(page(anonymous, f"/cong-khai/{dn}/ket-qua.json"))
    assert len(data["results"]) == 2
    assert "Bách Thuận" not in page(anonymous, "/cong-khai/")


def test_search_ignores_diacritics_and_filters_by_field_and_status(anonymous, world):
    dn = world["dn"].code
    text = page(anonymous, f"/cong-khai/{dn}/?q=NAO+VET")
    assert "nạo vét kênh" in text and "nâng cấp đường" not in text
    farming = Field.objects.get(name="Môi trường").pk
    text = page(anonymous, f"/cong-khai/{dn}/?field={farming}")
    assert "nạo vét kênh" in text and "nâng cấp đường" not in text
    text = page(anonymous, f"/cong-khai/{dn}/?status=forwarded")
    assert "nâng cấp đường" in text and "nạo vét kênh" not in text


@pytest.mark.parametrize("query", ["field=abc", "status=%00", "page=-1", "q=" + "a" * 500,
                                   "field=99999999999999999999999"])  # fmt: skip
def test_bad_filters_do_not_break_the_page(anonymous, world, query):
    assert anonymous.get(f"/cong-khai/{world['dn'].code}/?{query}").status_code == 200


def test_the_unit_page_is_paginated_in_a_bounded_number_of_queries(
    anonymous, world, django_assert_max_num_queries
):
    held = world["held"]
    extra = [make_opinion(session=held, content=f"Ý kiến số {n} về đường") for n in range(45)]
    session_publish_results(session=held, by=world["by"], texts={o: o.content for o in extra})
    url = f"/cong-khai/{world['dn'].code}/"
    with django_assert_max_num_queries(12):
        first = page(anonymous, url)
    assert "Trang 1/3" in first
    with django_assert_max_num_queries(12):
        third = page(anonymous, url + "?page=3")
    assert third.count('<li class="border rounded p-3 mb-2">') == 47 - 40


def test_the_list_of_units_takes_a_bounded_number_of_queries(
    anonymous, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        text = page(anonymous, "/cong-khai/")
    assert world["dn"].full_name in text


def test_the_atom_feed_parses_and_lists_announcements_and_results(anonymous, world):
    response = anonymous.get(f"/cong-khai/{world['dn'].code}/tin.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert any(t.startswith("Kết quả: Đối thoại về đường giao thông") for t in titles)
    assert any(t.startswith("Thông báo: Đối thoại về môi trường") for t in titles)
    assert not any("chưa" in t for t in titles)
    links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]
    assert all("/cong-khai/" in link for link in links)


def test_the_open_data_has_the_documented_columns_and_no_personal_field(anonymous, world):
    dn = world["dn"].code
    raw = anonymous.get(f"/cong-khai/{dn}/ket-qua.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    documented = page(anonymous, "/cong-khai/du-lieu-mo/")
    assert rows and all(f"<code>{column}</code>" in documented for column in rows[0])
    assert {row["text"] for row in rows} == {
        "Đề nghị nâng cấp đường liên thôn", "Đề nghị nạo vét kênh tưới tiêu"
    }  # fmt: skip
    assert "Phạm Thị Hoa" not in raw
    data = json.loads(page(anonymous, f"/cong-khai/{dn}/ket-qua.json"))
    assert data["columns"] == list(rows[0])
    assert "raised_by" not in data["results"][0]


def test_pages_carry_open_graph_tags(anonymous, world):
    publication = world["coming"].publication
    url = f"/cong-khai/{world['dn'].code}/{publication.public_id}/"
    text = page(anonymous, url)
    day = world["coming"].start_date.strftime("%d/%m/%Y")
    assert f'<meta property="og:title" content="Đối thoại về môi trường – {day}">' in text
    assert f'<meta property="og:url" content="http://testserver{url}">' in text
    assert '<meta property="og:description" content="Hội nghị đối thoại lúc 08:00' in text
    assert 'property="article:published_time"' in text


def test_the_pages_switch_to_english_with_a_link(anonymous, world):
    url = f"/cong-khai/{world['dn'].code}/"
    response = anonymous.get(f"/cong-khai/ngon-ngu/en/?next={url}")
    assert response.status_code == 302 and response["Location"] == url
    assert "Sessions announced" in page(anonymous, url)
    # Only a public page is a place to go back to.
    assert anonymous.get("/cong-khai/ngon-ngu/vi/?next=//evil.example/")["Location"] == (
        "/cong-khai/"
    )


def test_the_login_page_and_every_public_page_link_to_the_list_of_units(anonymous, world):
    dn = world["dn"].code
    for url in ["/accounts/login/", "/cong-khai/", f"/cong-khai/{dn}/", "/cong-khai/du-lieu-mo/",
                f"/cong-khai/{dn}/{world['coming'].publication.public_id}/"]:  # fmt: skip
        assert 'href="/cong-khai/"' in page(anonymous, url), url


def test_no_public_page_has_a_form_that_posts(anonymous, world):
    dn = world["dn"].code
    for url in ["/cong-khai/", f"/cong-khai/{dn}/", "/cong-khai/du-lieu-mo/",
                f"/cong-khai/{dn}/{world['coming'].publication.public_id}/"]:  # fmt: skip
        text = page(anonymous, url).lower()
        assert 'method="post"' not in text and "csrfmiddlewaretoken" not in text, url
        assert anonymous.post(url).status_code == 405


def test_a_signed_in_users_name_is_not_on_the_public_page(officer, world):
    text = page(officer, f"/cong-khai/{world['dn'].code}/")
    assert "dungnghia" not in text and "Đăng xuất" not in text


def test_public_pages_are_cached_for_a_proxy_and_a_withdrawal_is_seen_at_once(
    anonymous, world, settings, django_assert_max_num_queries
):
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    url = f"/cong-khai/{world['dn'].code}/"
    first = anonymous.get(url)
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    with django_assert_max_num_queries(0):
        again = anonymous.get(url)
    assert again.content == first.content
    # Through the staff page: publishing and withdrawing start a new generation of the cache.
    from django.test import Client

    staff = Client()
    staff.force_login(world["by"])
    staff.post(f"/opinions/{world['canal'].pk}/publication/withdraw/")
    assert "nạo vét kênh" not in page(anonymous, url)


def test_too_many_requests_get_429_with_a_vietnamese_message(anonymous, world, settings):
    settings.PUBLIC_RATE_LIMIT = "3/m"
    cache.clear()
    for _ in range(3):
        assert anonymous.get("/cong-khai/").status_code == 200
    response = anonymous.get("/cong-khai/")
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in response.content.decode()
    assert response["Retry-After"] == "60"
    cache.clear()
