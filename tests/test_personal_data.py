"""Residents' personal data (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15): who sees the name, phone
and address of an opinion on every page, export, search, report and feed; the access log; a
person's request (the personal_data command); erasing them after the retention period."""

import datetime
import io
import json

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from feedback.models import AccessAction, Opinion, PersonalDataAccess
from feedback.personal import (
    ERASED_AFTER_RETENTION,
    ERASED_ON_REQUEST,
    erase_expired,
    mask_name,
)
from feedback.tasks import erase_expired_personal_data_task

from .factories import make_opinion, make_plan, make_session, unit
from .test_role_matrix import ROLES, matrix, objects  # noqa: F401 (the fixture)

NAME = "Ông Trần Văn Khải"
MASKED = "Ông Trần V. K."
PHONE = "0913 579 246"
ADDRESS = "Số 17, thôn Nam Hùng"
LIST_URL = reverse("feedback:opinion-list")
XLSX_URL = reverse("feedback:opinion-export-xlsx")

# Where each role sees the person's data as recorded without asking; everywhere else it is
# masked or absent. Board staff above the commune and the commune's officer (a successor of
# Dũng Nghĩa after the reorganisation sees its records) on the opinion pages; the responder on
# the opinion assigned to their agency. Exports, PDFs, feeds: nobody, unless asked.
SEES = {
    "board_staff": {"feedback:opinion-list", "feedback:opinion-detail",
                    "feedback:session-opinions", "feedback:opinion-correct"},
    "officer": {"feedback:opinion-list", "feedback:opinion-detail", "feedback:session-opinions",
                "feedback:opinion-correct"},
    "responder": {"feedback:opinion-detail"},
}  # fmt: skip
# What each of those pages shows: the list the name, the session's opinions the name and phone.
SHOWN_ON = {
    "feedback:opinion-list": {NAME},
    "feedback:session-opinions": {NAME, PHONE},
    "feedback:opinion-detail": {NAME, PHONE, ADDRESS},
    "feedback:opinion-correct": {NAME, PHONE, ADDRESS},
}


def _with_person(opinion, name=NAME, phone=PHONE, address=ADDRESS):
    opinion.raised_by, opinion.phone, opinion.address = name, phone, address
    opinion.save()
    return opinion


def _text(response) -> str:
    """What a user reads in the answer: the page, the spreadsheet's cells, the PDF's text."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheet" in kind:
        book = openpyxl.load_workbook(io.BytesIO(body))
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if "pdf" in kind and len(body) > 100:  # the matrix's stored report is a stub of a few bytes
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8-sig", errors="replace")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_shows_the_persons_data_only_to_who_may_see_it(actors, objects, role):  # noqa: F811
    _with_person(objects["opinion"])
    client = actors[role]
    wrong = []
    for name, (url, _expected) in matrix(objects).items():
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = _text(response)
        shown = SHOWN_ON.get(name, set()) if name in SEES.get(role, set()) else set()
        # The digits alone would be the phone leaking from the search text.
        for value in (NAME, PHONE, PHONE.replace(" ", ""), ADDRESS):
            if (value in text) != (value in shown):
                wrong.append((name, value, "shown" if value in text else "missing"))
    assert wrong == [], "\n".join(map(str, wrong))


def test_masked_name_keeps_the_family_name_and_initials():
    assert mask_name(NAME) == MASKED
    assert mask_name("Nguyễn Thị Lan") == "Nguyễn T. L."
    assert mask_name("Bà Hoa") == "Bà H."
    assert mask_name("") == ""
    assert mask_name(ERASED_ON_REQUEST) == ERASED_ON_REQUEST


def test_leader_and_administrator_see_the_mask_and_a_button_to_ask(leader, administrator, objects):  # noqa: F811
    opinion = _with_person(objects["opinion"])
    for client in (leader, administrator):
        page = client.get(opinion.get_absolute_url()).content.decode()
        assert MASKED in page and NAME not in page and "***" in page
        assert reverse("feedback:opinion-personal", args=[opinion.pk]) in page


@pytest.fixture
def dung_nghia_opinion(demo):
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="15/05/2019")
    return make_opinion(session=session, outcome="forwarded", raised_by=NAME, phone=PHONE,
                        address=ADDRESS)  # fmt: skip


def test_a_leader_who_gives_a_purpose_sees_them_and_the_access_is_logged(
    leader, dung_nghia_opinion
):
    url = reverse("feedback:opinion-personal", args=[dung_nghia_opinion.pk])
    before = timezone.now()
    response = leader.post(url, {"purpose": "Xác minh đơn thư ngày 10/01/2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert NAME in page and PHONE in page and ADDRESS in page
    entry = PersonalDataAccess.objects.get()
    assert entry.username == "lanhdao" and entry.user.username == "lanhdao"
    assert entry.action == AccessAction.VIEW
    assert entry.opinion_ids == [dung_nghia_opinion.pk] and entry.count == 1
    assert entry.purpose == "Xác minh đơn thư ngày 10/01/2026"
    assert entry.at >= before
    # Not kept: the next visit shows the mask again.
    assert NAME not in leader.get(dung_nghia_opinion.get_absolute_url()).content.decode()


def test_asking_without_a_purpose_says_so_next_to_the_box_and_shows_nothing(
    leader, dung_nghia_opinion
):
    url = reverse("feedback:opinion-personal", args=[dung_nghia_opinion.pk])
    response = leader.post(url, {"purpose": "   "})
    assert response.status_code == 200
    page = response.content.decode()
    assert "purpose-error" in page and NAME not in page
    assert not PersonalDataAccess.objects.exists()


def test_who_cannot_see_the_opinion_cannot_ask(outsider, dung_nghia_opinion):
    url = reverse("feedback:opinion-personal", args=[dung_nghia_opinion.pk])
    assert outsider.post(url, {"purpose": "tò mò"}).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def _cells(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row}


def test_exports_mask_them_unless_asked_with_a_purpose_and_log_what_went_out(
    board_staff, leader, dung_nghia_opinion
):
    for client in (board_staff, leader):
        cells = _cells(client.get(XLSX_URL))
        assert MASKED in cells and NAME not in cells and PHONE not in cells
    assert not PersonalDataAccess.objects.exists()

    response = leader.get(XLSX_URL, {"personal": "1", "purpose": "Báo cáo Tỉnh ủy"})
    cells = _cells(response)
    assert {NAME, PHONE, ADDRESS} <= cells
    entry = PersonalDataAccess.objects.get()
    assert (entry.action, entry.username, entry.opinion_ids) == (
        AccessAction.EXPORT, "lanhdao", [dung_nghia_opinion.pk]
    )  # fmt: skip


def test_an_export_with_personal_data_but_no_purpose_goes_back_to_the_list(
    leader, dung_nghia_opinion
):
    response = leader.get(XLSX_URL, {"personal": "1", "purpose": ""}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(LIST_URL)
    assert 'id="export-purpose-error"' in page and 'name="personal" value="1"' in page
    assert not PersonalDataAccess.objects.exists()


def _found(client, query):
    response = client.get(LIST_URL, {"q": query})
    return {opinion.pk for opinion in response.context["page"]}


def test_search_by_name_or_phone_only_for_who_may_see_them(
    board_staff, officer, leader, administrator, dung_nghia_opinion
):
    pk = dung_nghia_opinion.pk
    for client in (board_staff, officer):
        assert _found(client, "tran van khai") == {pk}
        assert _found(client, "0913579246") == {pk}
        assert _found(client, "nam hung") == {pk}
    for client in (leader, administrator):
        assert _found(client, "tran van khai") == set()
        assert _found(client, "0913 579 246") == set()
        assert _found(client, "giay chung nhan") == {pk}  # the content is still found
        export = leader.get(XLSX_URL, {"q": "khai"})
        assert str(pk) not in _cells(export)


def test_the_minutes_pdf_never_carries_them(board_staff, dung_nghia_opinion):
    from dialogues.models import SessionStatus

    session = dung_nghia_opinion.session
    session.status = SessionStatus.HELD
    session.save()
    response = board_staff.get(reverse("reports:session-minutes-pdf", args=[session.pk]))
    text = _text(response)
    assert dung_nghia_opinion.content[:20] in text
    assert "Khải" not in text and "579" not in text and "Nam Hùng" not in text


def test_a_correction_keeps_no_old_personal_data_in_the_timeline_or_audit_log(
    demo, dung_nghia_opinion
):
    staff = User.objects.get(username="bandanvan")
    opinion = dung_nghia_opinion
    opinion.correct(field=opinion.field, content=opinion.content, raised_by="Bà Lê Thị Thu",
                    hamlet=opinion.hamlet, phone="0987 654 321", address="", by=staff)  # fmt: skip
    opinion.refresh_from_db()
    assert (opinion.raised_by, opinion.phone, opinion.address) == (
        "Bà Lê Thị Thu",
        "0987 654 321",
        "",
    )
    entry = opinion.events.last()
    assert "Khải" not in entry.text and "579" not in entry.text and "Nam Hùng" not in entry.text
    logged = json.dumps([log.changes for log in LogEntry.objects.get_for_object(opinion)])
    assert "Khải" not in logged and "Thu" not in logged and "654" not in logged


def test_the_entry_form_keeps_a_wrong_phone_and_says_why(officer, demo):
    from dialogues.models import SessionStatus
    from feedback.models import Field

    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="15/05/2019",
                           status=SessionStatus.HELD)  # fmt: skip
    url = reverse("feedback:session-opinions", args=[session.pk])
    row = {"op-TOTAL_FORMS": "1", "op-INITIAL_FORMS": "0", "op-0-field": Field.objects.first().pk,
           "op-0-kind": "opinion", "op-0-content": "Đường thôn hỏng", "op-0-outcome": "pending",
           "op-0-raised_by": NAME, "op-0-address": ADDRESS}  # fmt: skip
    response = officer.post(url, {**row, "op-0-phone": "09123"})
    page = response.content.decode()
    assert response.status_code == 200 and 'value="09123"' in page
    assert not Opinion.objects.filter(session=session).exists()
    officer.post(url, {**row, "op-0-phone": PHONE})
    saved = Opinion.objects.get(session=session)
    assert (saved.raised_by, saved.phone, saved.address) == (NAME, PHONE, ADDRESS)


# --- a person's request: python manage.py personal_data ------------------------------------


@pytest.fixture
def persons_opinions(demo):
    plan = make_plan()
    session = make_session(plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019")
    other = make_session(plan=plan, host=unit("Bách Thuận"), day="16/05/2019")
    return {
        "first": make_opinion(session=session, raised_by=NAME, phone=PHONE, address=ADDRESS),
        "second": make_opinion(session=session, content="Đèn đường thôn Nam Hùng",
                               raised_by="Trần Văn Khải", phone="0913.579.246"),
        "namesake": make_opinion(session=session, raised_by="Ông Trần Văn Khải Hoàn",
                                 phone="0977 000 111"),
        "elsewhere": make_opinion(session=other, raised_by=NAME, phone=PHONE),
    }  # fmt: skip


def _run(*args):
    out = io.StringIO()
    call_command("personal_data", *args, stdout=out)
    return out.getvalue()


def test_listing_a_persons_opinions_by_phone_within_the_unit_is_logged(persons_opinions):
    out = _run("--phone", "0913579246", "--unit", unit("Dũng Nghĩa").code, "--operator",
               "dungnghia")  # fmt: skip
    ids = {persons_opinions["first"].pk, persons_opinions["second"].pk}
    assert {f"#{pk}" for pk in ids} <= set(out.split())
    assert f"#{persons_opinions['elsewhere'].pk} " not in out
    assert f"#{persons_opinions['namesake'].pk} " not in out
    entry = PersonalDataAccess.objects.get()
    assert entry.action == AccessAction.LOOKUP and set(entry.opinion_ids) == ids
    assert entry.username == "dungnghia"


def test_by_name_finds_the_whole_name_only_and_exports_json_and_csv(persons_opinions, tmp_path):
    code = unit("Dũng Nghĩa").code
    _run("--name", "tran van khai", "--unit", code, "--export", str(tmp_path / "p.json"))
    rows = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert {row["id"] for row in rows} == {
        persons_opinions["first"].pk, persons_opinions["second"].pk
    }  # fmt: skip
    assert {row["phone"] for row in rows} == {PHONE, "0913.579.246"}
    _run("--name", "Trần Văn Khải", "--unit", code, "--export", str(tmp_path / "p.csv"))
    csv_text = (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    assert ADDRESS in csv_text and "Khải Hoàn" not in csv_text


def test_erase_dry_run_changes_nothing(persons_opinions):
    code = unit("Dũng Nghĩa").code
    out = _run("--phone", PHONE, "--unit", code, "--erase", "--dry-run")
    assert "Dry run: 2 opinion(s)" in out
    first = Opinion.objects.get(pk=persons_opinions["first"].pk)
    assert (first.raised_by, first.phone, first.address) == (NAME, PHONE, ADDRESS)
    assert first.personal_erased_at is None
    assert not PersonalDataAccess.objects.filter(action=AccessAction.ERASE).exists()


def test_erase_needs_an_operator_and_replaces_the_fields_everywhere(persons_opinions, board_staff):
    code = unit("Dũng Nghĩa").code
    with pytest.raises(CommandError, match="--operator"):
        _run("--phone", PHONE, "--unit", code, "--erase")
    with pytest.raises(CommandError, match="nobody"):
        _run("--phone", PHONE, "--unit", code, "--erase", "--operator", "nobody")
    _run("--phone", PHONE, "--unit", code, "--erase", "--operator", "dungnghia",
         "--purpose", "Đơn đề nghị ngày 05/01/2026")  # fmt: skip
    for key in ("first", "second"):
        opinion = Opinion.objects.get(pk=persons_opinions[key].pk)
        assert opinion.raised_by == ERASED_ON_REQUEST and opinion.phone == ERASED_ON_REQUEST
        assert opinion.personal_erased_at is not None
    assert Opinion.objects.get(pk=persons_opinions["first"].pk).address == ERASED_ON_REQUEST
    assert Opinion.objects.get(pk=persons_opinions["second"].pk).address == ""  # was empty
    # Another unit's and a namesake's are left alone.
    assert Opinion.objects.get(pk=persons_opinions["elsewhere"].pk).raised_by == NAME
    assert Opinion.objects.get(pk=persons_opinions["namesake"].pk).phone == "0977 000 111"
    entry = PersonalDataAccess.objects.get(action=AccessAction.ERASE)
    assert entry.username == "dungnghia" and entry.purpose == "Đơn đề nghị ngày 05/01/2026"
    assert set(entry.opinion_ids) == {persons_opinions["first"].pk, persons_opinions["second"].pk}
    # Nobody finds them by the old name or phone any more, and a second run finds nothing.
    assert _found(board_staff, "0913579246") == {persons_opinions["elsewhere"].pk}
    assert "No opinion" in _run("--phone", PHONE, "--unit", code, "--erase", "--operator",
                                "dungnghia")  # fmt: skip


def test_an_unknown_unit_or_file_kind_is_refused(persons_opinions):
    with pytest.raises(CommandError, match="99999"):
        _run("--phone", PHONE, "--unit", "99999")
    with pytest.raises(CommandError, match=r"\.json or a \.csv"):
        _run("--phone", PHONE, "--unit", unit("Dũng Nghĩa").code, "--export", "x.txt")


# --- retention --------------------------------------------------------------------------------


@pytest.fixture
def closed_long_ago(demo):
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="15/05/2019")
    old = make_opinion(session=session, outcome="answered", raised_by=NAME, phone=PHONE,
                       address=ADDRESS)  # fmt: skip
    recent = make_opinion(session=session, outcome="answered", raised_by="Bà Lê Thị Thu")
    still_open = make_opinion(session=session, outcome="forwarded", raised_by="Ông Vũ Văn Ba")
    now = timezone.now()
    Opinion.objects.filter(pk=old.pk).update(closed_at=now - datetime.timedelta(days=6 * 366))
    Opinion.objects.filter(pk=recent.pk).update(closed_at=now - datetime.timedelta(days=300))
    return old, recent, still_open


def test_retention_dry_run_lists_and_changes_nothing(closed_long_ago):
    old, _recent, _open = closed_long_ago
    out = io.StringIO()
    call_command("erase_expired_personal_data", "--dry-run", stdout=out)
    assert f"#{old.pk}" in out.getvalue() and "1 opinion(s)" in out.getvalue()
    assert Opinion.objects.get(pk=old.pk).raised_by == NAME
    assert not PersonalDataAccess.objects.exists()


def test_retention_erases_only_what_was_closed_long_enough_ago_once(closed_long_ago):
    old, recent, still_open = closed_long_ago
    assert erase_expired_personal_data_task.delay().get() == 1
    old.refresh_from_db()
    assert (old.raised_by, old.phone, old.address) == (ERASED_AFTER_RETENTION,) * 3
    assert Opinion.objects.get(pk=recent.pk).raised_by == "Bà Lê Thị Thu"
    assert Opinion.objects.get(pk=still_open.pk).raised_by == "Ông Vũ Văn Ba"
    entry = PersonalDataAccess.objects.get()
    assert entry.action == AccessAction.RETENTION and entry.opinion_ids == [old.pk]
    # Idempotent: nothing more to erase, nothing more logged.
    assert erase_expired() == []
    assert PersonalDataAccess.objects.count() == 1


def test_the_retention_period_is_a_setting(closed_long_ago, settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 10
    assert erase_expired(dry_run=True) == []
    settings.PERSONAL_DATA_RETENTION_YEARS = 0
    assert len(erase_expired(dry_run=True)) == 2  # both closed ones; the open one never


def test_the_access_log_is_read_in_the_admin_and_never_edited(administrator, closed_long_ago):
    erase_expired()
    entry = PersonalDataAccess.objects.get()
    base = "/admin/feedback/personaldataaccess/"
    assert administrator.get(base).status_code == 200
    assert administrator.get(f"{base}{entry.pk}/change/").status_code == 200
    assert administrator.get(f"{base}add/").status_code == 403
    assert administrator.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert PersonalDataAccess.objects.filter(pk=entry.pk).exists()
