"""Demo opinions: a little over 900 raised at the 2019 sessions, and this year's, some overdue.

Written in bulk with their timelines (dated as they would have happened), so `make run` stays
quick. Each state below is one the workflow can reach; tests check the workflow itself.
Idempotent: a session that already has opinions is left alone.
"""

import csv
import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from communes.models import Agency, Hamlet
from dialogues.models import Session
from obligations.rules import RuleBook

from .deadlines import add_working_days, working_calendar
from .holidays import holidays_prefill
from .models import (
    EventKind,
    Field,
    Opinion,
    OpinionEvent,
    OpinionKind,
    OpinionSequence,
    OpinionStatus,
)

# Field, weight, agency short name, what residents say ({hamlet} is filled in).
FIELDS = [
    ("Đất đai", 30, "TN&MT", [
        "Đề nghị xem xét cấp giấy chứng nhận quyền sử dụng đất cho các hộ ở {hamlet}",
        "Phản ánh việc lấn chiếm đất công, đất hành lang giao thông tại {hamlet}",
        "Đề nghị công khai quy hoạch sử dụng đất của xã đến năm 2030",
        "Kiến nghị giải quyết dứt điểm tranh chấp ranh giới đất giữa các hộ ở {hamlet}",
        "Đề nghị làm rõ đơn giá bồi thường khi thu hồi đất làm đường",
        "Hỏi về thủ tục chuyển mục đích sử dụng đất vườn sang đất ở",
    ]),
    ("Môi trường", 18, "TN&MT", [
        "Phản ánh ô nhiễm nguồn nước do chăn nuôi lợn tập trung tại {hamlet}",
        "Đề nghị tăng số lần thu gom rác thải sinh hoạt ở {hamlet}",
        "Kiến nghị xử lý khói bụi từ các lò đốt rác, lò gạch thủ công",
        "Phản ánh mương tiêu nước ở {hamlet} bị bồi lấp, ô nhiễm",
        "Đề nghị có điểm tập kết vỏ bao bì thuốc bảo vệ thực vật trên đồng",
    ]),
    ("Giao thông", 15, "KT&HT", [
        "Đường trục {hamlet} xuống cấp, đề nghị sớm sửa chữa",
        "Đề nghị lắp đèn chiếu sáng trên tuyến đường liên xã",
        "Kiến nghị xây lại cầu qua kênh tưới tiêu ở {hamlet}",
        "Phản ánh xe chở vật liệu quá tải làm hỏng đường thôn",
        "Đề nghị cắm biển báo giảm tốc gần trường học",
    ]),
    ("Chế độ chính sách", 14, "LĐ-TB&XH", [
        "Đề nghị xem xét chế độ cho người có công với cách mạng ở {hamlet}",
        "Hỏi về điều kiện xét hộ cận nghèo năm nay",
        "Đề nghị giải quyết chế độ trợ cấp cho thanh niên xung phong",
        "Kiến nghị chi trả trợ cấp người cao tuổi đúng kỳ",
    ]),
    ("An ninh trật tự", 6, "CA", [
        "Phản ánh tình trạng trộm cắp gia súc, gia cầm tại {hamlet}",
        "Đề nghị tăng cường tuần tra ban đêm ở các tuyến đường vắng",
        "Phản ánh thanh thiếu niên tụ tập, đua xe gây mất trật tự",
    ]),
    ("An sinh xã hội", 5, "LĐ-TB&XH", [
        "Đề nghị hỗ trợ xây nhà cho hộ nghèo ở {hamlet}",
        "Hỏi về thủ tục cấp thẻ bảo hiểm y tế cho người cao tuổi",
    ]),
    ("Y tế", 4, "Y tế", [
        "Đề nghị bổ sung thuốc và trang thiết bị cho trạm y tế xã",
        "Kiến nghị tổ chức khám sức khỏe định kỳ cho người cao tuổi",
    ]),
    ("Giáo dục", 3, "GD&ĐT", [
        "Đề nghị sửa chữa phòng học của điểm trường mầm non {hamlet}",
        "Hỏi về các khoản thu đầu năm học của nhà trường",
    ]),
    ("Xây dựng Đảng", 3, None, [
        "Góp ý về tinh thần, thái độ phục vụ của cán bộ bộ phận một cửa",
        "Đề nghị chi bộ {hamlet} công khai kết quả thực hiện các ý kiến đã tiếp thu",
    ]),
    ("Khác", 2, "NN&PTNT", [
        "Đề nghị hỗ trợ tiêu thụ nông sản cho bà con {hamlet}",
        "Kiến nghị hỗ trợ giống lúa sau đợt mưa lớn",
    ]),
]  # fmt: skip

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Vũ", "Đỗ", "Bùi", "Hoàng", "Đặng", "Ngô"]
GIVEN = ["Văn Bình", "Thị Hoa", "Văn Cường", "Thị Lan", "Đức Thắng", "Văn Hải", "Thị Mai",
         "Quang Vinh", "Thị Thu", "Văn Toản", "Hữu Nghĩa", "Thị Nhung"]  # fmt: skip
ANSWERERS = ["Đồng chí Bí thư Đảng ủy", "Đồng chí Chủ tịch UBND", "Đồng chí Chủ tịch UBMTTQ"]


def _when(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class _Builder:
    def __init__(self, rng, holidays, today, book=None):
        self.rng, self.holidays, self.today = rng, holidays, today
        # Phones and addresses from a generator of their own: the rest of the demo stays as it was.
        self.person_rng = random.Random(91_2025)  # noqa: S311 - demo data, not secrets
        self.book, self.ack_rng = book, random.Random(215)  # noqa: S311 - demo data
        self.fields = {f.name: f for f in Field.objects.all()}
        # Vũ Thư's agencies: other districts' (in data at scale) share their short names.
        self.agencies = {a.short_name: a for a in Agency.objects.filter(unit__code="344")}
        self.agencies_today = _agencies_after_reform(self.agencies)
        self.weights = [weight for _, weight, _, _ in FIELDS]
        self.staff = User.objects.filter(username="bandanvan").first()
        self.officers = {u.unit_id: u for u in User.objects.filter(role="commune_officer")}
        self.responders = {u.agency_id: u for u in User.objects.filter(role="agency_responder")}

    def phone_and_address(self, raised_by, hamlet):
        """Most who give their name leave a mobile number (09x, 03x, 08x) and where they live."""
        rng = self.person_rng
        if not raised_by:
            return "", ""
        phone = ""
        if rng.random() < 0.7:
            prefix = rng.choice(["091", "094", "098", "097", "096", "036", "038", "088", "083"])
            phone = f"{prefix}{rng.randrange(10)} {rng.randrange(1000):03} {rng.randrange(1000):03}"
        address = ""
        if hamlet is not None and rng.random() < 0.8:
            address = f"Số {rng.randrange(1, 120)}, {hamlet.name}"
        return phone, address

    def opinion(self, session, hamlets, state):
        opinion, events = self._opinion(session, hamlets, state)
        self._acknowledge(session, opinion, events)
        return opinion, events

    def _acknowledge(self, session, opinion, events):
        """Under Kết luận 215-KL/TW each author is told in writing within 10 working days: most
        were told, a few late, some not yet (overdue once the deadline has passed). Its own
        random numbers, so the opinions themselves are those the demo always had."""
        deadline = self.book.acknowledge_by(opinion, session) if self.book else None
        if deadline is None or self.ack_rng.random() < 0.3:
            return
        told = add_working_days(session.start_date, self.ack_rng.randint(1, 13), *self.holidays)
        if told > self.today:
            return
        opinion.acknowledged_on = told
        opinion.acknowledged_by = events[0][4]
        events.append((EventKind.ACKNOWLEDGED, _when(told, 16), told.strftime("%d/%m/%Y"),
                       opinion.status, events[0][4]))  # fmt: skip

    def _opinion(self, session, hamlets, state):
        rng = self.rng
        name, _, agency_short, texts = rng.choices(FIELDS, weights=self.weights)[0]
        hamlet = rng.choice(hamlets) if hamlets and rng.random() < 0.8 else None
        content = rng.choice(texts).format(hamlet=hamlet.name if hamlet else "địa phương")
        raised_by = f"{rng.choice(['Ông', 'Bà'])} {rng.choice(FAMILY)} {rng.choice(GIVEN)}"
        if rng.random() < 0.15:
            raised_by = ""
        phone, address = self.phone_and_address(raised_by, hamlet)
        day = session.start_date
        opinion = Opinion(
            session=session,
            unit=hamlet.commune if hamlet else session.attending_units.all()[0],
            field=self.fields[name],
            kind=rng.choice([OpinionKind.OPINION, OpinionKind.PROPOSAL, OpinionKind.REPORT]),
            content=content,
            raised_by=raised_by,
            phone=phone,
            address=address,
            hamlet=hamlet,
        )
        opinion.search_text = opinion.folded_text()
        opinion.person_text = opinion.folded_person()
        opinion.recorded_at = _when(day, 11)
        # Recorded by the host commune's officer (board staff at district sessions); handled by the
        # agency's responder, or by board staff on the behalf of agencies without a demo user.
        officer = self.officers.get(session.host_unit_id, self.staff)
        events = [(EventKind.RECORDED, _when(day, 11), "", OpinionStatus.NEW, officer)]
        from communes.demo import REFORM_DAY

        # After the reorganisation, the province's departments took over the district's offices.
        agencies = (
            self.agencies_today if day >= REFORM_DAY and self.agencies_today else self.agencies
        )
        agency = agencies.get(agency_short) if agency_short else agencies["KT&HT"]
        responder = self.responders.get(agency.pk, self.staff)
        if state == "answered":
            opinion.status = OpinionStatus.ANSWERED
            opinion.session_answer = "Đã giải thích, làm rõ tại hội nghị theo quy định hiện hành."
            opinion.answered_by = rng.choice(ANSWERERS)
            opinion.closed_at = _when(day, 11, 30)
            events.append((EventKind.ANSWERED, _when(day, 11, 30), opinion.session_answer,
                           OpinionStatus.ANSWERED, officer))  # fmt: skip
            return opinion, events
        # Forwarded the day after the session, with 15 working days to answer.
        forwarded = day + datetime.timedelta(days=1)
        opinion.agency = agency
        opinion.deadline = add_working_days(day, 15, *self.holidays)
        if day.year == self.today.year and opinion.deadline < self.today and rng.random() < 0.15:
            # Some of this year's got a later deadline when forwarded: due in the coming days.
            opinion.deadline = self.today + datetime.timedelta(days=rng.randint(1, 3))
        opinion.forwarded_at = _when(forwarded, 9)
        opinion.status = OpinionStatus.FORWARDED
        events.append((EventKind.FORWARDED, _when(forwarded, 9), "", OpinionStatus.FORWARDED,
                       self.staff))  # fmt: skip
        if state in ("in_progress", "resolved", "unresolvable"):
            progress = min(forwarded + datetime.timedelta(days=rng.randint(3, 10)), self.today)
            opinion.status = OpinionStatus.IN_PROGRESS
            events.append((EventKind.PROGRESS, _when(progress, 10),
                           "Đã kiểm tra hiện trạng, đang xác minh hồ sơ.",
                           OpinionStatus.IN_PROGRESS, responder))  # fmt: skip
        if state == "resolved":
            closed = min(opinion.deadline - datetime.timedelta(days=rng.randint(0, 5)), self.today)
            closed = max(closed, forwarded)
            opinion.status = OpinionStatus.RESOLVED
            opinion.answer = (
                "Đã xem xét, giải quyết theo thẩm quyền và trả lời công dân bằng văn bản."
            )
            opinion.answer_document_number = f"{rng.randint(20, 480)}/UBND-{agency_short or 'VP'}"
            opinion.answer_document_date = closed
            opinion.closed_at = _when(closed, 15)
            events.append((EventKind.RESOLVED, _when(closed, 15), opinion.answer,
                           OpinionStatus.RESOLVED, responder))  # fmt: skip
        elif state == "unresolvable":
            closed = min(opinion.deadline, self.today)
            opinion.status = OpinionStatus.UNRESOLVABLE
            opinion.unresolved_reason = (
                f"Vượt thẩm quyền giải quyết của cấp {'huyện' if day < REFORM_DAY else 'xã'}; "
                "đã báo cáo cấp trên."
            )
            opinion.closed_at = _when(closed, 15)
            events.append((EventKind.UNRESOLVABLE, _when(closed, 15), opinion.unresolved_reason,
                           OpinionStatus.UNRESOLVABLE, responder))  # fmt: skip
        return opinion, events

    @transaction.atomic
    def save(self, built):
        if built:
            session = built[0][0].session
            codes = OpinionSequence.take(
                unit=session.host_unit,
                year=timezone.localtime(session.starts_at).year,
                count=len(built),
            )
            for (opinion, _), code in zip(built, codes, strict=True):
                opinion.code = code
                opinion.search_text = opinion.folded_text()
        opinions = Opinion.objects.bulk_create([opinion for opinion, _ in built])
        rows = []
        for opinion, events in zip(opinions, (events for _, events in built), strict=True):
            previous = ""
            for kind, at, text, status, by in events:
                rows.append(OpinionEvent(
                    opinion=opinion, kind=kind, at=at, text=text, by=by, from_status=previous,
                    to_status=status, agency=opinion.agency if kind != EventKind.RECORDED else None,
                    deadline=opinion.deadline if kind != EventKind.RECORDED else None,
                ))  # fmt: skip
                previous = status
        OpinionEvent.objects.bulk_create(rows)
        # auto_now_add stamped today on insert: the recording date is the session's.
        for opinion, (built_opinion, _) in zip(opinions, built, strict=True):
            opinion.created_at = built_opinion.recorded_at
        Opinion.objects.bulk_update(opinions, ["created_at"], batch_size=500)
        return len(opinions)


def _agencies_after_reform(old):
    """The district's offices by short name → the agencies of today the demo's file maps them to
    (empty before the reorganisation is applied)."""
    from communes.demo import REFORM_AGENCIES

    lines = REFORM_AGENCIES.read_text(encoding="utf-8").splitlines()
    rows = {row["old_agency"]: row for row in csv.DictReader(x for x in lines if x[:1] != "#")}
    found = {}
    for short, agency in old.items():
        row = rows.get(agency.name)
        new = (
            row
            and Agency.objects.filter(
                name=row["new_agency"], unit__code=row["new_unit_code"]
            ).first()
        )
        if new:
            found[short] = new
    return found


def _states(rng, count, weights):
    names = list(weights)
    return rng.choices(names, weights=[weights[n] for n in names], k=count)


def load(stdout=None):
    today = timezone.localdate()
    holidays_prefill(years=[2018, 2019, 2020, today.year, today.year + 1])
    holidays = working_calendar()  # (days off, make-up working days)
    rng = random.Random(900)  # noqa: S311 - demo data, not secrets
    builder = _Builder(rng, holidays, today, RuleBook.load(today))
    sessions = (
        Session.objects.held()
        .filter(opinions__isnull=True)
        .prefetch_related("attending_units")
        .order_by("starts_at", "pk")
    )
    created = 0
    for session in sessions:
        hamlets = list(Hamlet.objects.filter(commune__in=session.attending_units.all()))
        in_2019 = session.start_date.year == 2019
        if in_2019:
            # 28 sessions × about 33: a little over 900, mostly answered or resolved.
            count = rng.randint(28, 38) if session.level == "commune" else rng.randint(30, 40)
            weights = {"answered": 52, "resolved": 38, "unresolvable": 3, "in_progress": 4,
                       "forwarded": 3}  # fmt: skip
        else:
            count = rng.randint(8, 16)
            weights = {"answered": 45, "resolved": 20, "in_progress": 15, "forwarded": 20}
        states = _states(rng, count, weights)
        created += builder.save([builder.opinion(session, hamlets, state) for state in states])
    if stdout:
        stdout.write(f"Opinions: {Opinion.objects.count()} ({created} new)")
