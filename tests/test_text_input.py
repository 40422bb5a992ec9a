"""Text that cannot be stored, printed or exported: refused at every form with a Vietnamese
message next to the field (input kept), and dropped by every writer, so a row stored before the
check cannot break an export for everybody."""

import csv
import datetime
import importlib
import inspect
import io
import pkgutil

import icalendar
import openpyxl
import pytest
from django import forms
from django.test import Client
from django.utils import timezone

from accounts.models import User
from config.history import history_count
from config.text import LONG_TEXT_MAX, validate_printable_text
from dialogues.models import CalendarFeed, Session, SessionStatus
from feedback.models import Opinion
from reports.models import Report

from .factories import district, make_opinion, make_plan, make_session, unit
from .test_report_requests import draft
from .test_sessions import form_data

CONTROL = "điều khiển không nhìn thấy"  # "invisible control characters"
EMOJI = "emoji"
NUL = "ký tự rỗng (NUL)"


@pytest.fixture
def session(demo):
    return make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="20/06/2019")


@pytest.mark.parametrize(
    ("typed", "told"),
    [("Đất đai\x0bmôi trường", CONTROL), ("Đất đai \x1b[31m", CONTROL),
     ("Đất đai\x00", NUL), ("Đất đai 😀", EMOJI), ("Thông báo ☎ 🇻🇳", EMOJI)],
)  # fmt: skip
def test_a_session_topic_with_characters_that_cannot_be_kept_is_refused(
    officer, session, typed, told
):
    data = form_data(session.plan, session.host_unit, topic=typed)
    data["seen"] = history_count(session)
    response = officer.post(f"/sessions/{session.pk}/edit/", data)
    assert response.status_code == 200
    assert told in response.text
    assert response.context["form"].has_error("topic")
    assert Session.objects.get(pk=session.pk).topic != typed


def test_vietnamese_tab_and_line_breaks_are_accepted(officer, session):
    data = form_data(session.plan, session.host_unit, topic="Đối thoại: đất đai, môi trường")
    data["invited_organisations"] = "Ủy ban MTTQ\r\nHội Nông dân\tHội Phụ nữ"
    response = officer.post(f"/sessions/{session.pk}/edit/", data)
    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).topic == "Đối thoại: đất đai, môi trường"


def test_an_answer_with_a_control_character_is_refused_and_kept_on_the_page(responder, demo):
    held = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)
    opinion = make_opinion(session=held, outcome="forwarded")
    response = responder.post(
        f"/opinions/{opinion.pk}/resolve/", {"answer": "Đã cấp giấy\x1b chứng nhận"}
    )
    assert response.status_code == 200
    assert CONTROL in response.text
    assert "Đã cấp giấy" in response.text
    assert Opinion.objects.get(pk=opinion.pk).answer == ""


def _project_forms():
    for app in ("accounts", "communes", "dialogues", "feedback", "reports", "config"):
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            for _name, value in inspect.getmembers(importlib.import_module(module.name)):
                if (
                    inspect.isclass(value)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__.startswith(app)
                ):
                    yield value


def test_every_text_field_of_every_form_refuses_what_cannot_be_kept():
    checked = 0
    for form_class in set(_project_forms()):
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.CharField) and type(field).default_validators == [
                validate_printable_text
            ]:
                assert validate_printable_text in field.validators, (form_class, name)
                checked += 1
    assert checked > 30  # sessions, plans, opinions, reports, imports, filters…


def test_a_report_assessment_longer_than_a_render_allows_is_refused(board_staff, demo):
    report = draft(board_staff, district())
    words = {"opening": "", "summary": "", "shortcomings": "", "tasks": "", "proposals": ""}
    response = board_staff.post(
        f"/reports/{report.pk}/edit/",
        {**words, "seen": "0", "strengths": "Kết quả. " * (LONG_TEXT_MAX // 8)},
    )
    assert response.status_code == 200
    assert "tối đa 20000 ký tự" in response.text
    assert "Kết quả. Kết quả." in response.text  # what was typed stays on the page
    assert Report.objects.get().strengths == ""


# Rows stored before the forms refused these characters (or written by other means).


@pytest.fixture
def stored(demo):
    plan = make_plan()
    held = make_session(
        plan=plan, host=unit("Dũng Nghĩa"), day="20/06/2019", status=SessionStatus.HELD,
        topic="Hội nghị\x1b[0m đất đai", venue="Nhà văn hóa\x0b thôn Đông",
    )  # fmt: skip
    Session.objects.filter(pk=held.pk).update(cancel_reason="Mưa\x07 bão")
    opinion = make_opinion(session=held, content="Đường\x0b thôn hỏng\x1b nặng")
    return held, opinion


def test_an_opinion_stored_with_control_characters_does_not_break_the_excel_export(
    board_staff, stored
):
    response = board_staff.get("/opinions/export.xlsx")
    assert response.status_code == 200
    values = [cell for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.values
              for cell in row if isinstance(cell, str)]  # fmt: skip
    assert "Đường thôn hỏng nặng" in values
    assert "Hội nghị[0m đất đai" in values


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_session_stored_with_escape_does_not_break_the_session_exports(board_staff, stored, fmt):
    response = board_staff.get(f"/sessions/export.{fmt}")
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [cell for row in sheet.values for cell in row]
    else:
        assert b"\x1b" not in response.content and b"\x0b" not in response.content
        values = [
            cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row
        ]
    assert "Hội nghị[0m đất đai" in values
    assert "Nhà văn hóa thôn Đông" in values


def test_the_calendar_feed_carries_no_control_characters(demo):
    soon = timezone.localdate() + datetime.timedelta(days=10)
    plan = make_plan(start=f"01/01/{soon.year}", end=f"31/12/{soon.year + 1}")
    session = make_session(
        plan=plan, host=unit("Dũng Nghĩa"), day=soon, topic="Hội nghị\x1b[0m đất đai",
        venue="Nhà văn hóa\x0b thôn Đông", status=SessionStatus.CANCELLED,
    )  # fmt: skip
    Session.objects.filter(pk=session.pk).update(cancel_reason="Mưa\x07 bão")
    user = User.objects.get(username="dungnghia")
    response = Client().get(f"/calendar/{CalendarFeed.for_user(user).token}.ics")
    assert response.status_code == 200
    assert not any(byte < 0x20 and byte not in b"\r\n\t" for byte in response.content)
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert "Hội nghị[0m đất đai" in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "Nhà văn hóa thôn Đông"
    assert "Mưa bão" in str(event["DESCRIPTION"])


def test_a_form_too_large_gets_a_vietnamese_page_and_no_error(officer, session, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    data = form_data(session.plan, session.host_unit, invited_organisations="x" * 20_000)
    response = officer.post(f"/sessions/{session.pk}/edit/", data)
    assert response.status_code == 400
    assert "Yêu cầu không được chấp nhận" in response.text
    assert "Chưa có gì được lưu" in response.text
