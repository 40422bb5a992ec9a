"""Demo plans and sessions: the 2019 story of Vũ Thư, and the current year under Hưng Yên.

2019: plan 55-KH/HU (26/9/2018) and directive 830-CV/HU (03/4/2019); three district-level sessions
with residents of Dũng Nghĩa, Bách Thuận and Hòa Bình; commune-level sessions in 25 of the 30
communes and towns. This year, after the 2025 reorganisation: the province's plan 25-KH/TU with
guidance 13-HD/BTGDVTU, and Đảng ủy xã Vũ Thư's plan 14-KH/ĐU, with sessions held (one for a
cluster of villages), upcoming (one today), one postponed and one cancelled, so the lists and the
calendar are never empty. Idempotent: sessions are found again by plan, host and topic.
"""

import datetime
import random

from django.utils import timezone

from accounts.models import User
from communes.models import AdministrativeUnit, OfficeHolder, UnitLevel

from .models import (
    DialogueScope,
    Document,
    DocumentType,
    Plan,
    PlanTarget,
    Session,
    SessionKind,
    SessionMode,
    SessionStatus,
)
from .services import session_postpone

# The new units of the 2025 reorganisation (communes/data/reorganisation_2025_thai_binh.csv).
HUNG_YEN, XA_VU_THU, XA_TAN_THUAN = "33", "33801", "33803"
# The days of the month on which each commune's Bí thư receives citizens (Kết luận 215-KL/TW:
# at least 2 a month for a commune); a day on a weekend moves to the Monday after.
RECEPTION_DAYS = {XA_VU_THU: (10, 25), XA_TAN_THUAN: (15, 28)}
RECEPTION_MONTHS = 3  # this month and the two before it, and the next month's planned days

# The five communes that had not held their session by mid-2019.
NOT_YET_IN_2019 = ["Minh Lãng", "Song An", "Tân Phong", "Vũ Vân", "Xuân Hòa"]
DISTRICT_SESSIONS_2019 = [
    ("Dũng Nghĩa", datetime.date(2019, 4, 12)),
    ("Bách Thuận", datetime.date(2019, 5, 17)),
    ("Hòa Bình", datetime.date(2019, 6, 14)),
]
TOPICS = [
    "Tiếp xúc, đối thoại về công tác quản lý đất đai và giải phóng mặt bằng",
    "Đối thoại về vệ sinh môi trường, thu gom rác thải ở nông thôn",
    "Đối thoại về xây dựng nông thôn mới và giao thông nông thôn",
    "Tiếp xúc, đối thoại về thực hiện chế độ chính sách, an sinh xã hội",
    "Đối thoại về an ninh trật tự và phòng chống tệ nạn xã hội",
]
INVITED = "Ủy ban MTTQ, Hội Nông dân, Hội Liên hiệp Phụ nữ, Hội Cựu chiến binh, Đoàn Thanh niên"


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _document(*, number, issued_on, issuer, title, unit):
    code = number.split("-", 1)[1].split("/", 1)[0]
    return Document.objects.get_or_create(
        number=number,
        issued_on=issued_on,
        defaults={
            "doc_type": DocumentType.objects.get(code=code),
            "issuer": issuer,
            "title": title,
            "unit": unit,
        },
    )[0]


def _plan(
    *, number, issued_on, start, end, title, unit, text="",
    issuing_body="Ban Thường vụ Huyện ủy Vũ Thư",
):  # fmt: skip
    return Plan.objects.get_or_create(
        number=number,
        issued_on=issued_on,
        defaults={
            "title": title,
            "issuing_body": issuing_body,
            "period_start": start,
            "period_end": end,
            "unit": unit,
            "text": text,
        },
    )[0]


def _targets(plan, district, communes, *, start, end, district_sessions):
    PlanTarget.objects.get_or_create(
        plan=plan, unit=district, level=UnitLevel.DISTRICT, period_start=start, period_end=end,
        defaults={"sessions_required": district_sessions},
    )  # fmt: skip
    for commune in communes:
        PlanTarget.objects.get_or_create(
            plan=plan, unit=commune, level=UnitLevel.COMMUNE, period_start=start, period_end=end,
            defaults={"sessions_required": 1},
        )  # fmt: skip


def _venue(host):
    if host.level == UnitLevel.DISTRICT:
        return f"Hội trường Huyện ủy {host.name}"
    return f"Hội trường UBND {host.in_sentence}"


def _session(*, plan, host, topic, starts_at, hours, attending, status, rng, **extra):
    existing = Session.objects.filter(plan=plan, host_unit=host, topic=topic).first()
    if existing:
        return existing
    notice = starts_at.date() - datetime.timedelta(days=rng.choice([7, 10, 14]))
    session = Session(
        plan=plan,
        host_unit=host,
        topic=topic,
        venue=extra.pop("venue", None) or _venue(host),
        kind=extra.pop("kind", SessionKind.REGULAR),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        invited_organisations=INVITED,
        notice_date=extra.pop("notice_date", notice),
        status=status,
        **extra,
    )
    if status == SessionStatus.HELD:
        session.attendance_residents = rng.randint(80, 260)
        session.attendance_cadres = rng.randint(15, 45)
        session.minutes_text = (
            f"Hội nghị {topic.lower()} do {host.full_name} tổ chức. Các ý kiến của Nhân dân "
            "đã được ghi nhận, trả lời trực tiếp tại hội nghị hoặc chuyển cơ quan chức năng "
            "giải quyết theo thẩm quyền."
        )
        session.logged_at = starts_at + datetime.timedelta(days=1)
    session.save()
    session.attending_units.set(attending)
    chairs = OfficeHolder.objects.filter(unit=host, position__is_head=True)
    if session.kind in (SessionKind.RECEPTION, SessionKind.AD_HOC_RECEPTION):
        chairs = chairs.filter(position__name="Bí thư")  # the head of the Party committee
    session.chairs.set(chairs.holding_on(starts_at.date()))
    return session


def load_2019(district, communes, rng):
    directive = _document(
        number="830-CV/HU", issued_on=datetime.date(2019, 4, 3),
        issuer="Ban Thường vụ Huyện ủy Vũ Thư", unit=district,
        title="Tiếp tục thực hiện Kế hoạch 55-KH/HU về tiếp xúc, đối thoại trực tiếp năm 2019",
    )  # fmt: skip
    decision = _document(
        number="217-QĐ/TW", issued_on=datetime.date(2013, 12, 12), issuer="Bộ Chính trị",
        unit=district,
        title="Quy chế giám sát và phản biện xã hội của Mặt trận Tổ quốc Việt Nam và các đoàn thể "
        "chính trị - xã hội",
    )  # fmt: skip
    plan = _plan(
        number="55-KH/HU",
        issued_on=datetime.date(2018, 9, 26),
        start=datetime.date(2018, 10, 1),
        end=datetime.date(2020, 12, 31),
        unit=district,
        title="Tổ chức tiếp xúc, đối thoại trực tiếp của người đứng đầu cấp ủy, chính quyền cấp "
        "huyện và cấp xã với Nhân dân trên địa bàn huyện Vũ Thư",
        text="Kế hoạch của Ban Thường vụ Huyện ủy về tổ chức tiếp xúc, đối thoại trực tiếp giữa "
        "người đứng đầu cấp ủy, chính quyền với Nhân dân, thực hiện Quyết định 217-QĐ/TW và "
        "218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị.",
    )
    plan.documents.add(directive, decision)
    year = (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))
    _targets(plan, district, communes, start=year[0], end=year[1], district_sessions=3)
    by_name = {commune.name: commune for commune in communes if commune.kind == "commune"}
    for name, day in DISTRICT_SESSIONS_2019:
        _session(
            plan=plan, host=district, rng=rng, status=SessionStatus.HELD,
            topic=f"Đồng chí Bí thư Huyện ủy, Chủ tịch UBND huyện tiếp xúc, đối thoại với Nhân dân "
            f"xã {name}",
            starts_at=_at(day, 8), hours=3, attending=[by_name[name]],
        )  # fmt: skip
    held = [c for c in communes if c.name not in NOT_YET_IN_2019]
    for index, commune in enumerate(held):
        # By mid-2019, as the district reported: all 25 within the second quarter, on weekdays.
        day = datetime.date(2019, 4, 15) + datetime.timedelta(days=index * 2)
        day += datetime.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)
        _session(
            plan=plan, host=commune, rng=rng, status=SessionStatus.HELD,
            topic=f"{TOPICS[index % len(TOPICS)]} năm 2019",
            starts_at=_at(day, 8 if index % 2 else 14), hours=3, attending=[commune],
        )  # fmt: skip
    return plan


def load_today(stdout=None):
    """This year under Hưng Yên: the province's plan for every new commune, and Đảng ủy xã Vũ
    Thư's own plan with its sessions (one for a cluster of villages)."""
    rng = random.Random(2025)  # noqa: S311 - demo figures, not secrets
    today = timezone.localdate()
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    province = AdministrativeUnit.objects.get(code=HUNG_YEN)
    xa_vu_thu = AdministrativeUnit.objects.get(code=XA_VU_THU)
    communes = list(AdministrativeUnit.objects.get_children(province).active())
    guidance = _document(
        number="13-HD/BTGDVTU", issued_on=start, unit=province,
        issuer="Ban Tuyên giáo và Dân vận Tỉnh ủy Hưng Yên",
        title=f"Hướng dẫn tổ chức hội nghị đối thoại trực tiếp với Nhân dân năm {today.year}",
    )  # fmt: skip
    province_plan = _plan(
        number="25-KH/TU", issued_on=start, start=start, end=end, unit=province,
        issuing_body="Ban Thường vụ Tỉnh ủy Hưng Yên",
        title=f"Tổ chức tiếp xúc, đối thoại trực tiếp giữa người đứng đầu cấp ủy, chính quyền "
        f"với Nhân dân năm {today.year}",
    )  # fmt: skip
    province_plan.documents.add(guidance)
    for commune in communes:
        PlanTarget.objects.get_or_create(
            plan=province_plan, unit=commune, level=UnitLevel.COMMUNE, period_start=start,
            period_end=end, defaults={"sessions_required": 1},
        )  # fmt: skip
    plan = _plan(
        number="14-KH/ĐU", issued_on=start, start=start, end=end, unit=xa_vu_thu,
        issuing_body="Ban Thường vụ Đảng ủy xã Vũ Thư",
        title=f"Tổ chức hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền xã Vũ Thư "
        f"với Nhân dân năm {today.year}",
    )  # fmt: skip
    plan.documents.add(guidance)

    def clamp(day):
        return min(max(day, start), end)

    by_code = {commune.code: commune for commune in communes}
    hamlets = list(xa_vu_thu.hamlets.order_by("name").values_list("name", flat=True)[:3])
    staff = User.objects.filter(username="bandanvantinh").first()
    officer = User.objects.filter(username="xavuthu").first()
    dialogue = {"kind": SessionKind.DIALOGUE, "dialogue_scope": DialogueScope.UNIT}
    cluster_day = clamp(today - datetime.timedelta(days=60))
    _session(
        plan=plan, host=xa_vu_thu, rng=rng, status=SessionStatus.HELD,
        topic=f"Đối thoại với Nhân dân cụm thôn {', '.join(hamlets)} về thu hồi đất làm đường "
        f"năm {today.year}",
        starts_at=_at(cluster_day, 8), hours=3, attending=[xa_vu_thu],
        kind=SessionKind.DIALOGUE, dialogue_scope=DialogueScope.CLUSTER,
        participation=f"Nhân dân các thôn {', '.join(hamlets)}; đăng ký phát biểu với Trưởng "
        "thôn trước ngày hội nghị.",
        # Its results were posted at the commune office and sent to the village heads in time.
        results_published_on=min(cluster_day + datetime.timedelta(days=5), today),
        results_published_by=officer,
    )  # fmt: skip
    # Held 25 days ago and its results not yet made public: overdue (10 days after).
    _session(
        plan=plan, host=xa_vu_thu, rng=rng, status=SessionStatus.HELD,
        topic=f"{TOPICS[1]} năm {today.year}",
        starts_at=_at(clamp(today - datetime.timedelta(days=25)), 8), hours=3,
        attending=[xa_vu_thu], kind=SessionKind.DIALOGUE, dialogue_scope=DialogueScope.THEME,
    )  # fmt: skip
    # Today's session, which the officers of xã Vũ Thư (dungnghia, xavuthu) can record as held.
    _session(
        plan=plan, host=xa_vu_thu, rng=rng, status=SessionStatus.PLANNED,
        topic=f"Đối thoại về cấp giấy chứng nhận quyền sử dụng đất năm {today.year}",
        starts_at=_at(today, 7, 30), hours=2, attending=[xa_vu_thu], **dialogue,
        mode=SessionMode.BOTH,
        participation="Dự trực tiếp tại hội trường hoặc trực tuyến tại điểm cầu nhà văn hóa "
        "các thôn; câu hỏi gửi trước qua Trưởng thôn hoặc bộ phận một cửa của UBND xã.",
    )  # fmt: skip
    _session(
        plan=plan, host=xa_vu_thu, rng=rng, status=SessionStatus.CANCELLED,
        cancel_reason="Trùng lịch họp của Đảng ủy xã.",
        topic=f"Đối thoại về nước sạch nông thôn năm {today.year}",
        starts_at=_at(clamp(today + datetime.timedelta(days=6)), 8), hours=2,
        attending=[xa_vu_thu], kind=SessionKind.DIALOGUE, dialogue_scope=DialogueScope.HAMLET,
    )  # fmt: skip
    _postponed(plan, xa_vu_thu, rng, clamp, today)
    # Results made public: in time, late, not yet (overdue).
    published = [5, 14, None]
    for index, code in enumerate(["33802", "33803", "33806"]):
        day = clamp(today - datetime.timedelta(days=30 + index * 11))
        public = published[index] and min(day + datetime.timedelta(days=published[index]), today)
        _session(
            plan=province_plan, host=by_code[code], rng=rng, status=SessionStatus.HELD,
            topic=f"{TOPICS[(index + 2) % len(TOPICS)]} năm {today.year}",
            starts_at=_at(day, 8), hours=3, attending=[by_code[code]], **dialogue,
            results_published_on=public or None, results_published_by=staff if public else None,
        )  # fmt: skip
    for index, code in enumerate(["33803", "33804", "33801"]):
        begins = clamp(today + datetime.timedelta(days=3 + index * 4))
        _session(
            plan=province_plan if code != XA_VU_THU else plan, host=by_code[code], rng=rng,
            status=SessionStatus.PLANNED,
            topic=f"{TOPICS[(index + 3) % len(TOPICS)]} (đợt 2) năm {today.year}",
            starts_at=_at(begins, 14), hours=3, attending=[by_code[code]], **dialogue,
            # Tân Thuận's, in 3 days, not yet announced: late (7 days before).
            **({"notice_date": None} if index == 0 else {}),
        )  # fmt: skip
    _receptions(province_plan, plan, by_code, rng, clamp, today)
    if stdout:
        stdout.write(f"Sessions: {Session.objects.count()} in {Plan.objects.count()} plans")


def _month_start(today, back):
    month = today.month - back
    return datetime.date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _receptions(province_plan, plan, by_code, rng, clamp, today):
    """The Bí thư of xã Vũ Thư and of xã Tân Thuận receive citizens on set days; this month Tân
    Thuận's second day was cancelled, so it is behind on its 2 days a month. Some ad-hoc
    receptions too."""
    for code, days in RECEPTION_DAYS.items():
        commune = by_code[code]
        for back in range(RECEPTION_MONTHS - 1, -2, -1):  # two months ago … next month
            month = _month_start(today, back)
            for index, set_day in enumerate(days):
                day = month.replace(day=set_day)
                if day.weekday() >= 5:
                    day += datetime.timedelta(days=7 - day.weekday())
                if clamp(day) != day:
                    continue
                cancelled = code == XA_TAN_THUAN and back == 0 and index == 1
                status = (
                    SessionStatus.CANCELLED if cancelled
                    else SessionStatus.HELD if day < today else SessionStatus.PLANNED
                )  # fmt: skip
                _session(
                    plan=plan if code == XA_VU_THU else province_plan, host=commune, rng=rng,
                    status=status, kind=SessionKind.RECEPTION,
                    topic=f"Bí thư Đảng ủy {commune.in_sentence} tiếp công dân định kỳ "
                    f"ngày {day:%d/%m/%Y}",
                    venue=f"Trụ sở tiếp công dân {commune.in_sentence}",
                    starts_at=_at(day, 7, 30), hours=4, attending=[commune],
                    participation="Công dân đến trực tiếp, mang theo giấy tờ tùy thân và hồ sơ "
                    "liên quan (nếu có).",
                    **({"cancel_reason": "Bí thư đi công tác theo triệu tập của Tỉnh ủy."}
                       if cancelled else {}),
                )  # fmt: skip
    ad_hoc = [
        (XA_VU_THU, 12, "tranh chấp ranh giới đất ở giữa các hộ gia đình"),
        (XA_TAN_THUAN, 4, "ô nhiễm từ cơ sở chăn nuôi tập trung"),
    ]
    for code, days_ago, subject in ad_hoc:
        commune, day = by_code[code], clamp(today - datetime.timedelta(days=days_ago))
        _session(
            plan=plan if code == XA_VU_THU else province_plan, host=commune, rng=rng,
            status=SessionStatus.HELD if day < today else SessionStatus.PLANNED,
            kind=SessionKind.AD_HOC_RECEPTION,
            topic=f"Tiếp công dân đột xuất về {subject} năm {today.year}",
            venue=f"Trụ sở tiếp công dân {commune.in_sentence}",
            starts_at=_at(day, 14), hours=2, attending=[commune],
        )  # fmt: skip


def _postponed(plan, commune, rng, clamp, today):
    topic = f"Đối thoại về chính sách hỗ trợ người có công năm {today.year}"
    if Session.objects.filter(plan=plan, host_unit=commune, topic=topic).exists():
        return
    session = _session(
        plan=plan, host=commune, rng=rng, status=SessionStatus.PLANNED, topic=topic,
        kind=SessionKind.DIALOGUE, dialogue_scope=DialogueScope.UNIT,
        starts_at=_at(clamp(today + datetime.timedelta(days=5)), 8), hours=3, attending=[commune],
    )  # fmt: skip
    new_start = _at(clamp(today + datetime.timedelta(days=12)), 8)
    session_postpone(
        session=session,
        by=User.objects.get(username="xavuthu"),
        new_starts_at=new_start,
        new_ends_at=new_start + datetime.timedelta(hours=3),
        reason="Trùng lịch kiểm tra của Ban Thường vụ Đảng ủy xã.",
    )


def load(stdout=None):
    """The 2019 story; this year's sessions come after the reorganisation (load_today)."""
    rng = random.Random(830)  # noqa: S311 - demo figures, not secrets
    district = AdministrativeUnit.objects.get(code="344")
    communes = list(AdministrativeUnit.objects.get_children(district))
    load_2019(district, communes, rng)
    if stdout:
        stdout.write(f"Sessions: {Session.objects.count()} in {Plan.objects.count()} plans")
