"""Small builders for test data beyond the demo; each returns a saved object."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from communes.models import AdministrativeUnit, OfficeHolder
from dialogues.models import DocumentType, Plan, PlanTarget, Session, SessionStatus

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_numbers = itertools.count(100)


def unit(name):
    """A demo unit by its name (the district when the name is Vũ Thư and level is district)."""
    return AdministrativeUnit.objects.filter(name=name).order_by("depth").last()


def district():
    return AdministrativeUnit.objects.get(code="344")


def at(day: datetime.date | str, hour=8, minute=0) -> datetime.datetime:
    """An aware datetime in Vietnam's time; day may be 'dd/mm/yyyy'."""
    if isinstance(day, str):
        day = datetime.datetime.strptime(day, "%d/%m/%Y").date()
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=VN)


def make_plan(*, unit_=None, number=None, start="01/01/2019", end="31/12/2019", **fields):
    plan = Plan.objects.create(
        number=number or f"{next(_numbers)}-KH/HU",
        title=fields.pop("title", "Kế hoạch tiếp xúc, đối thoại thử"),
        issuing_body=fields.pop("issuing_body", "Ban Thường vụ Huyện ủy"),
        issued_on=fields.pop("issued_on", at(start).date() - datetime.timedelta(days=10)),
        period_start=at(start).date(),
        period_end=at(end).date(),
        unit=unit_ or district(),
        **fields,
    )
    return plan


def make_session(
    *, plan, host, day="15/05/2019", hours=(8, 11), status=SessionStatus.PLANNED,
    attending=None, chairs=None, **fields,
):  # fmt: skip
    session = Session.objects.create(
        plan=plan,
        host_unit=host,
        topic=fields.pop("topic", f"Đối thoại với Nhân dân {host.name}"),
        venue=fields.pop("venue", f"Hội trường UBND {host.name}"),
        starts_at=at(day, hours[0]),
        ends_at=at(day, hours[1]),
        status=status,
        **fields,
    )
    session.attending_units.set(attending or [host])
    if chairs is None:
        chairs = OfficeHolder.objects.filter(unit=host, position__is_head=True)
    session.chairs.set(chairs)
    return session


def make_target(*, plan, unit_, level, required=1, start=None, end=None):
    return PlanTarget.objects.create(
        plan=plan,
        unit=unit_,
        level=level,
        sessions_required=required,
        period_start=start or plan.period_start,
        period_end=end or plan.period_end,
    )


def document_type(code):
    return DocumentType.objects.get(code=code)


def field(name="Đất đai"):
    from feedback.models import Field

    return Field.objects.get(name=name)


def agency(short_name="TN&MT"):
    from communes.models import Agency

    return Agency.objects.get(short_name=short_name)


def make_opinion(*, session, content="Đề nghị cấp giấy chứng nhận quyền sử dụng đất", by=None,
                 field_name="Đất đai", outcome="pending", **data):  # fmt: skip
    """An opinion recorded through the same service the entry form uses."""
    from feedback.services import opinion_record

    row = {"field": field(field_name), "kind": data.pop("kind", "opinion"), "content": content,
           "outcome": outcome, **data}  # fmt: skip
    if outcome == "forwarded":
        row.setdefault("agency", agency())
    if outcome == "answered":
        row.setdefault("session_answer", "Đã trả lời tại hội nghị")
    return opinion_record(session=session, by=by, data=row)


def backdate(opinion, day: datetime.date | str, hour=9):
    """Move every entry of the opinion's timeline to that day (in their order): as if each step
    had been recorded then, as the demo's timelines are."""
    from feedback.models import OpinionEvent

    OpinionEvent.objects.filter(opinion=opinion).update(at=at(day, hour))
    return opinion
