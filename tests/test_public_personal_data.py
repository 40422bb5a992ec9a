"""No public page, feed or file of the full demo holds a resident's or an official's name or phone.

The walk starts at the list of units and follows every public link (units, sessions, every page
of results, feeds, CSV, JSON), so a page added later is walked too once it is linked."""

import re
from urllib.parse import urljoin, urlsplit

from communes.models import Person
from feedback.models import Opinion
from public.models import OpinionPublication, SessionPublication

LINK = re.compile(r'href="([^"#]+)')


def walk(client):
    seen, queue, bodies = set(), ["/cong-khai/"], {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        bodies[url] = body
        for href in LINK.findall(body):
            target = urljoin(url, href.replace("&amp;", "&"))
            path = urlsplit(target)
            if path.netloc not in ("", "testserver"):
                continue
            local = path.path + (f"?{path.query}" if path.query else "")
            if local.startswith("/cong-khai/") and "/ngon-ngu/" not in local:
                queue.append(local)
    return bodies


def test_no_public_page_feed_or_file_of_the_demo_names_a_person_or_their_phone(full_demo, client):
    assert SessionPublication.objects.count() >= 10
    assert OpinionPublication.objects.public().count() > 100
    bodies = walk(client)
    kinds = {url.rsplit(".", 1)[-1] for url in bodies if url.endswith((".atom", ".csv", ".json"))}
    assert kinds == {"atom", "csv", "json"}
    assert sum("?page=" in url for url in bodies) >= 2  # the results' later pages were walked

    names = set(Opinion.objects.exclude(raised_by="").values_list("raised_by", flat=True))
    assert len(names) > 50
    names |= set(Person.objects.values_list("full_name", flat=True))
    phones = {p for p in Person.objects.values_list("phone", flat=True) if p}
    # Residents' own phones and addresses, recorded with their opinions.
    recorded = Opinion.objects.exclude(phone="", address="").values_list("phone", "address")
    phones |= {value for pair in recorded for value in pair if value}
    assert len(phones) > 50
    found = [
        (url, secret) for url, body in bodies.items() for secret in names | phones if secret in body
    ]
    assert found == []
