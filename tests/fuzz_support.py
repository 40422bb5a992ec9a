"""Hostile input for the form fuzz tests, and the checks every response must pass.

Strategies draw each field from a mix of valid values and hostile ones: any unicode text,
control characters and NUL, strings of 10,000 to 100,000 characters, script tags, SQL-ish
strings, malformed dates, huge and negative numbers, wrong ids and lists where one value is
expected. Valid values are named symbolically ("@plan") because the strategies are built before
the database exists; `resolve` swaps in the real ids inside the test.
"""

import io
import unicodedata
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

import openpyxl
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.html import escape
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Examples share the test's fixtures (each runs in its own rolled-back transaction). How many
# examples and whether they are random comes from the profile tests/conftest.py loads: the same
# examples on every run of `make test`, random ones for longer under `make fuzz`.
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SCRIPT = "<script>alert(1)</script>"
XSS = (
    SCRIPT,
    f'"><{SCRIPT[1:]}',
    f"</textarea>{SCRIPT}",
    "'><img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "{{ 7|add:7 }}{% debug %}",
)
# What must never reach a page unescaped, whatever was typed around it.
MARKERS = (SCRIPT, "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>")
SQL = (
    "' OR '1'='1",
    "1; DROP TABLE dialogues_session; --",
    '" OR 1=1 --',
    "%' UNION SELECT username, password FROM accounts_user --",
    "1' ORDER BY 99--",
    "\\'; SELECT pg_sleep(5); --",
    "%_%",
)
BAD_DATES = (
    "31/02/2019",
    "2019-13-45",
    "99/99/9999",
    "",
    "00/00/0000",
    "29/02/2019",
    "32/01/2019",
    "1/1/1",
    "31/12/9999",
    "01/01/0001",
    "15-05-2019",
    "2019/05/15",
    "15/05/2019 08:00",
    "１５/０５/２０１９",
    "15/05/-2019",
)
BAD_TIMES = ("25:00", "08:60", "8h", "-1:00", "24:00", "99:99", "08:00:00:00", "", "٠٨:٠٠")
# int() takes "١٢" and "１２" but not "²", although str.isdigit() says yes to all three.
NUMBERS = (
    "9" * 30,
    "-1",
    "0",
    "-999999999999",
    "1e309",
    "NaN",
    "inf",
    "3.5",
    "1,000",
    "١٢",
    "²",
    "１２",
    "0x10",
    " 7 ",
)
BAD_IDS = ("abc", "-1", "0", "999999999", "9" * 30, "1.5", "²", "١", "１", "1 OR 1=1", "None", "[]")
UNICODE = (
    "Đề nghị sửa đường liên thôn",
    # Vietnamese typed with combining marks, as some keyboards send it.
    unicodedata.normalize("NFD", "Nguyễn Thị Hằng, thôn Đồng Lạc"),
    "🏠🌾💧👩‍👩‍👧",
    "שלום עולם",
    "مرحبا بالعالم",
    "\u202eevil\u202c.pdf",
    "\u200b\u200d\ufeff",
    "Z\u0334\u0321\u031ba\u0337l\u0336g\u0335o\u0338",
)
CONTROL = "".join(chr(code) for code in range(32)) + "\x7f\x85\u2028\u2029"
NUL = "\x00"
HOSTILE = (*XSS, *SQL, *BAD_DATES, *BAD_TIMES, *NUMBERS, *BAD_IDS, *UNICODE, NUL, CONTROL)


def long_text():
    """10,000 to 100,000 characters of one repeated piece."""
    pieces = st.sampled_from(["a", "Đối thoại ", SCRIPT, "😀", "x\x00", "\r\n"])
    return st.builds(
        lambda piece, size: (piece * (size // len(piece) + 1))[:size],
        pieces,
        st.integers(10_000, 100_000),
    )


def hostile_text():
    return st.one_of(
        st.text(max_size=60),
        st.text(alphabet=st.sampled_from(CONTROL + "ab<>\"'&"), max_size=30),
        st.sampled_from(HOSTILE),
        long_text(),
        st.tuples(st.text(max_size=8), st.sampled_from(XSS), st.text(max_size=8)).map("".join),
    )


def value(*valid):
    """One field's value: mostly valid (so deeper checks run), often hostile, sometimes a list."""
    scalar = st.one_of(st.sampled_from(valid), hostile_text()) if valid else hostile_text()
    options = [scalar, st.lists(scalar, min_size=2, max_size=3)]
    if valid:
        # Weighted towards valid values, so that the cross-field checks and services are reached.
        options = [st.sampled_from(valid), st.sampled_from(valid), *options]
    return st.one_of(*options)


def form_data(fields: dict, *, optional=()):
    """A form's request: each field drawn by value() from its valid values (or its own strategy).

    Browsers send every text field and select; the `optional` ones (a checkbox left unticked, no
    file chosen, nothing ticked in a list) are sometimes left out.
    """

    def strategy(valid):
        return valid if isinstance(valid, st.SearchStrategy) else value(*valid)

    return st.fixed_dictionaries(
        {name: strategy(valid) for name, valid in fields.items() if name not in optional},
        optional={name: strategy(fields[name]) for name in optional},
    )


def query(fields: dict):
    """Query parameters of a filter: any of them may be missing."""
    return form_data(fields, optional=tuple(fields))


def first_valid(fields: dict) -> dict:
    """A request every field of which holds its first valid value: the base of an @example."""
    return {name: valid[0] for name, valid in fields.items() if isinstance(valid, tuple)}


def upload(names=("bien-ban.pdf",), contents=(b"%PDF-1.4\n%%EOF\n",)):
    """A small uploaded file, valid or not; the name and the bytes are both fuzzed."""
    name = st.one_of(
        st.sampled_from(names),
        st.sampled_from(["x.exe", "a.pdf.exe", "../../etc/passwd", f"{SCRIPT}.pdf", "", "😀.png"]),
        st.tuples(st.text(max_size=300), st.sampled_from([".pdf", ".png", ".jpg", ""])).map(
            "".join
        ),
    )
    content = st.one_of(st.sampled_from(contents), st.binary(max_size=300))
    return st.builds(named_file, name, content)


def named_file(name, content):
    # The test client skips an upload without a name; give it one it can send.
    return SimpleUploadedFile(name or "file", content)


def resolve(data: dict, refs: dict) -> dict:
    """The request data: symbolic values replaced by real ids, left-out fields dropped."""

    def one(item):
        return refs.get(item, item) if isinstance(item, str) else item

    resolved = {}
    for key, item in data.items():
        if item is None:
            continue
        resolved[key] = [one(i) for i in item] if isinstance(item, list) else one(item)
    return resolved


@contextmanager
def rolled_back():
    """Each example starts from the fixtures' data, whatever the previous one saved."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def sent_value(data, name):
    """What the form reads for `name`: the last value when a list was sent."""
    item = data.get(name)
    if isinstance(item, list):
        return item[-1] if item else None
    return item


def payload_size(data) -> int:
    """Roughly the bytes of the form fields Django counts against its upload limit."""
    total = 0
    for key, item in data.items():
        for one in item if isinstance(item, list) else [item]:
            if isinstance(one, str):
                total += len(key) + len(one.encode())
    return total


def too_big(data) -> bool:
    """Django refuses (400) a request body above DATA_UPLOAD_MAX_MEMORY_SIZE: that is fine."""
    return payload_size(data) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE


# Django refuses to redirect to an address longer than this (DisallowedRedirect, a 400).
MAX_REDIRECT_LENGTH = 16384


def query_too_long(data) -> bool:
    """The query string could not be carried in a redirect back to the page.

    Production never gets this far: gunicorn refuses a request line over 4,094 bytes.
    """
    return len(urlencode(data, doseq=True)) > MAX_REDIRECT_LENGTH


def body(response) -> str | None:
    """The page's HTML, or None for a file or any other kind of answer."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return None
    return response.content.decode()


def assert_no_500(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"


def assert_no_raw_script(response, what):
    html = body(response)
    if html is None:
        return
    for marker in MARKERS:
        assert marker not in html, f"{what}: {marker!r} is in the page unescaped"


def error_messages(form) -> list[str]:
    """Every message a form or formset holds, field and non-field."""
    if hasattr(form, "non_form_errors"):  # a formset
        messages = list(form.non_form_errors())
        for row in form.forms:
            messages += error_messages(row)
        return messages
    return [message for errors in form.errors.values() for message in errors]


def assert_errors_shown(response, form, what):
    """The form has errors and each one is on the page."""
    html = body(response)
    messages = error_messages(form)
    assert messages, f"{what}: the form came back (200) without saying what is wrong"
    for message in messages:
        assert escape(message) in html, f"{what}: the error {message[:200]!r} is not shown"


def assert_kept(response, data, names, what):
    """What was typed in each named field is back in the page, escaped.

    Django refuses NUL characters by design ("Null characters are not allowed."), so a value
    holding one is not looked for; nor is one of only spaces and line breaks, which means "empty"
    and which crispy-forms squeezes to one space inside a textarea.
    """
    html = body(response)
    for name in names:
        typed = sent_value(data, name)
        if not isinstance(typed, str) or NUL in typed or not typed.strip():
            continue
        assert escape(typed) in html, f"{what}: what was typed in {name!r} is lost: {typed[:80]!r}"


def check_post(client, url, data, *, form_key, kept=()):
    """POST hostile data to a form page and check what comes back.

    Accepted: a redirect (the page it leads to is opened and checked too). Refused: the form again
    (200), with its errors shown and the input kept. Never a 500 nor a raw script tag.
    """
    what = f"POST {url}"
    response = client.post(url, data)
    assert_no_500(response, what)
    assert_no_raw_script(response, what)
    if response.status_code == 400 and too_big(data):
        return response
    assert response.status_code in (200, 302), f"{what} answered {response.status_code}"
    if response.status_code == 200:
        form = response.context[form_key]
        assert_errors_shown(response, form, what)
        assert_kept(response, data, kept, what)
    elif response.status_code == 302:
        follow_redirect(client, response, what)
    return response


def follow_redirect(client, response, what):
    """The page a redirect leads to, which shows what was just saved, must render safely."""
    location = response["Location"]
    parts = urlsplit(location)
    assert not parts.netloc or parts.netloc == "testserver", (
        f"{what} redirects off-site: {location}"
    )
    target = client.get(location)
    assert_no_500(target, f"{what} → {location}")
    assert_no_raw_script(target, f"{what} → {location}")
    return target


def check_get(client, url, data, *, form_key=None, kept=(), allowed=(200,)):
    """GET a filtered page with hostile query parameters.

    The page answers (a filter is never a 500), shows the typed values back, escaped, and when the
    filter form is invalid says what is wrong.
    """
    what = f"GET {url}"
    response = client.get(url, data)
    assert_no_500(response, what)
    assert_no_raw_script(response, what)
    assert response.status_code in allowed, f"{what} answered {response.status_code}"
    if response.status_code == 200 and body(response) is not None:
        if form_key is not None:
            form = response.context[form_key]
            form = getattr(form, "form", form)  # a django-filter FilterSet
            if form.is_bound and not form.is_valid():
                assert_errors_shown(response, form, what)
        assert_kept(response, data, kept, what)
    elif response.status_code == 302:
        follow_redirect(client, response, what)
    return response


def xlsx_bytes(rows) -> bytes:
    """A workbook with these rows on its first sheet, less the characters openpyxl cannot store."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(
            [ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell for cell in row]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
