"""Data at scale for the benchmark: `manage.py generate_scale_data --scale …` (PostgreSQL).

On top of the demo (Thái Bình → Vũ Thư), five years of commune sessions and their opinions:

- district: Vũ Thư's 30 communes (about 25,000 opinions);
- province: Thái Bình with 260 communes in 8 districts (about 200,000);
- national: 34 provinces, 3,321 communes; the 33 added provinces have no district tier, as
  since 1 July 2025 (about 2.7 million).

Every commune holds four sessions a year, each with 40 opinions, in the five years before the
current one, under a yearly plan of its district (Thái Bình) or province with a target per
commune. At province and national scale Thái Bình's generated districts live through the 2025
reorganisation as Vũ Thư does in the demo: their communes are merged, three into one, into new
communes of Hưng Yên by `reorganisation_apply` (the service of `apply_reorganisation`, same
decision and day), so scopes inherit their paths; from 1 July 2025 the sessions are the new
communes', under a plan of Hưng Yên for the second half of the year.

Opinions go through the states the workflow can reach, each with its timeline, most of them
closed, a few still awaiting an agency (overdue by now). The sessions held since 1 July 2025 (the
2025 rules ask for results to be made public) are announced and their results published, as
staff would have done on the public pages (`public`), each opinion under its own text. Rows are
written with COPY, in one transaction, with ids reserved up front; the commune names are invented.
"""

import dataclasses
import datetime
import functools
import random
import string
import time
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, User
from communes.demo import DEMO_PASSWORD, REFORM_DAY, REFORM_DECISION, invented_name
from communes.models import (
    AdministrativeUnit,
    Agency,
    Hamlet,
    HamletKind,
    OfficeHolder,
    Person,
    Position,
    UnitKind,
    UnitLevel,
)
from communes.services import reorganisation_apply
from dialogues.demo import INVITED, TOPICS
from dialogues.models import (
    DialogueScope,
    Plan,
    PlanTarget,
    Session,
    SessionKind,
    SessionMode,
    SessionStatus,
)
from feedback.deadlines import add_working_days, working_calendar
from feedback.demo import ANSWERERS, FAMILY, FIELDS, GIVEN
from feedback.holidays import holidays_prefill
from feedback.models import (
    EventKind,
    Field,
    Opinion,
    OpinionEvent,
    OpinionSequence,
    OpinionStatus,
    opinion_code,
)
from feedback.text import fold
from feedback.workflow import OPINION_WORKFLOW
from public.models import OpinionPublication, SessionPublication

# The letters of a public address (as secrets.token_urlsafe uses).
PUBLIC_ID_LETTERS = string.ascii_letters + string.digits + "-_"

SESSIONS_PER_YEAR = 4
OPINIONS_PER_SESSION = 40
YEARS = 5
PROVINCE_CODE = "34"
DISTRICT_CODE = "344"
PROVINCE_USER = "bandanvantinh"
# Since the reform a session is announced ANNOUNCED_BEFORE days before it and its results are
# published PUBLISHED_AFTER days after it.
ANNOUNCED_BEFORE = 8
PUBLISHED_AFTER = 5


@dataclasses.dataclass(frozen=True)
class Scale:
    name: str
    communes: int  # commune-level units in all, the demo's 30 included
    province_communes: int  # of which in Thái Bình


SCALES = {
    "district": Scale("district", communes=30, province_communes=30),
    "province": Scale("province", communes=260, province_communes=260),
    "national": Scale("national", communes=3321, province_communes=260),
}

# Thái Bình's other districts (before 2025), with how many communes each gets here.
OTHER_DISTRICTS = [
    ("Thái Bình", UnitKind.PROVINCIAL_CITY, 19),
    ("Đông Hưng", UnitKind.DISTRICT, 38),
    ("Hưng Hà", UnitKind.DISTRICT, 33),
    ("Kiến Xương", UnitKind.DISTRICT, 33),
    ("Quỳnh Phụ", UnitKind.DISTRICT, 36),
    ("Thái Thụy", UnitKind.DISTRICT, 36),
    ("Tiền Hải", UnitKind.DISTRICT, 35),
]
# The other provinces and centrally-run cities since 1 July 2025 (Thái Bình stands for Hưng Yên).
OTHER_PROVINCES = [
    ("Hà Nội", UnitKind.CITY),
    ("Huế", UnitKind.CITY),
    ("Lai Châu", UnitKind.PROVINCE),
    ("Điện Biên", UnitKind.PROVINCE),
    ("Sơn La", UnitKind.PROVINCE),
    ("Lạng Sơn", UnitKind.PROVINCE),
    ("Quảng Ninh", UnitKind.PROVINCE),
    ("Thanh Hóa", UnitKind.PROVINCE),
    ("Nghệ An", UnitKind.PROVINCE),
    ("Hà Tĩnh", UnitKind.PROVINCE),
    ("Cao Bằng", UnitKind.PROVINCE),
    ("Tuyên Quang", UnitKind.PROVINCE),
    ("Lào Cai", UnitKind.PROVINCE),
    ("Thái Nguyên", UnitKind.PROVINCE),
    ("Phú Thọ", UnitKind.PROVINCE),
    ("Bắc Ninh", UnitKind.PROVINCE),
    ("Hải Phòng", UnitKind.CITY),
    ("Ninh Bình", UnitKind.PROVINCE),
    ("Quảng Trị", UnitKind.PROVINCE),
    ("Đà Nẵng", UnitKind.CITY),
    ("Quảng Ngãi", UnitKind.PROVINCE),
    ("Gia Lai", UnitKind.PROVINCE),
    ("Khánh Hòa", UnitKind.PROVINCE),
    ("Lâm Đồng", UnitKind.PROVINCE),
    ("Đắk Lắk", UnitKind.PROVINCE),
    ("Hồ Chí Minh", UnitKind.CITY),
    ("Đồng Nai", UnitKind.PROVINCE),
    ("Tây Ninh", UnitKind.PROVINCE),
    ("Cần Thơ", UnitKind.CITY),
    ("Vĩnh Long", UnitKind.PROVINCE),
    ("Đồng Tháp", UnitKind.PROVINCE),
    ("Cà Mau", UnitKind.PROVINCE),
    ("An Giang", UnitKind.PROVINCE),
]
# Invented commune names: two syllables, as most are.
FIRST = [
    "An",
    "Bình",
    "Cẩm",
    "Đông",
    "Đức",
    "Hòa",
    "Hồng",
    "Hưng",
    "Minh",
    "Nam",
    "Phú",
    "Quang",
    "Song",
    "Tân",
    "Thanh",
    "Thái",
    "Thụy",
    "Trung",
    "Vân",
    "Việt",
    "Vĩnh",
    "Xuân",
]
SECOND = [
    "An",
    "Bảo",
    "Châu",
    "Điền",
    "Đoài",
    "Hà",
    "Hải",
    "Hiệp",
    "Hòa",
    "Khê",
    "Lạc",
    "Lâm",
    "Lợi",
    "Long",
    "Lương",
    "Mỹ",
    "Nghĩa",
    "Ninh",
    "Phong",
    "Phúc",
    "Sơn",
    "Thành",
    "Thịnh",
    "Thuận",
    "Tiến",
    "Trạch",
    "Vinh",
    "Xá",
]
AGENCY_NAMES = [
    ("Tài nguyên và Môi trường", "TN&MT"),
    ("Kinh tế và Hạ tầng", "KT&HT"),
    ("Lao động - Thương binh và Xã hội", "LĐ-TB&XH"),
    ("Nông nghiệp và Phát triển nông thôn", "NN&PTNT"),
    ("Y tế", "Y tế"),
    ("Giáo dục và Đào tạo", "GD&ĐT"),
    ("Công an", "CA"),
]
# The district offices' work after 1 July 2025, by short name: the province's departments of
# today that took it over (as communes/data/agencies_2025_vu_thu.csv maps Vũ Thư's).
AGENCIES_AFTER_2025 = {
    "TN&MT": "NN&MT",
    "NN&PTNT": "NN&MT",
    "KT&HT": "XD",
    "LĐ-TB&XH": "NV",
    "Y tế": "YT",
    "GD&ĐT": "GD&ĐT",
    "CA": "CA",
}
MERGED = 3  # old communes per new commune in the generated reorganisation
# Older years are mostly closed; the last year still has some awaiting an agency.
OLD_STATES = {
    "answered": 48,
    "resolved": 40,
    "unresolvable": 3,
    "duplicate": 1,
    "in_progress": 4,
    "forwarded": 4,
}
LAST_YEAR_STATES = {
    "answered": 45,
    "resolved": 30,
    "unresolvable": 2,
    "duplicate": 1,
    "in_progress": 12,
    "forwarded": 10,
}


MINUTES = (
    "Hội nghị {topic} do {host} tổ chức. Các ý kiến của Nhân dân đã được ghi nhận, trả lời tại "
    "hội nghị hoặc chuyển cơ quan chức năng giải quyết theo thẩm quyền."
)


class ScaleError(Exception):
    """Why the data cannot be generated here; the command prints it."""


def generated_scale() -> str | None:
    """The scale this database already holds, or None when it holds no generated data."""
    first_year = timezone.localdate().year - YEARS
    if not Session.objects.filter(starts_at__year=first_year).exists():
        return None
    # The communes of the scale: the demo's 2019 tree and what the generator added, not the
    # communes a reorganisation formed from them.
    communes = (
        AdministrativeUnit.objects.at_level(UnitLevel.COMMUNE)
        .exclude(predecessions__isnull=False)
        .count()
    )
    for scale in SCALES.values():
        if scale.communes == communes:
            return scale.name
    return f"{communes} communes"


def _take(timeline, name, at, text="", agency=None, deadline=None) -> str:
    """One step of an opinion's workflow as the model takes it (feedback/workflow.py): allowed
    from the state the timeline has reached, to the state and with the event it declares."""
    step = OPINION_WORKFLOW[name]
    OPINION_WORKFLOW.require(timeline[-1][3], name)
    timeline.append((step.event, at, text, step.targets[0], agency, deadline))
    return step.targets[0]


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0]


def _copy(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows into the model's table; the count written."""
    table = model._meta.db_table
    names = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _reset_sequences(*models):
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


class Generator:
    def __init__(
        self,
        scale: Scale,
        *,
        stdout,
        seed: int = 2027,
        opinions_per_session: int = OPINIONS_PER_SESSION,
    ):
        self.opinions_per_session = opinions_per_session
        self.scale = scale
        self.stdout = stdout
        self.rng = random.Random(seed)  # noqa: S311 - invented data, not secrets
        self.today = timezone.localdate()
        self.years = list(range(self.today.year - YEARS, self.today.year))
        self.started = time.monotonic()
        self.old_districts = []  # Thái Bình's generated districts: (district, its communes)

    def say(self, text: str):
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f} s] {text}")

    # --- units ------------------------------------------------------------------------------

    def _add_children(self, parent, children: list[tuple[str, str, str]]):
        """Add (name, kind, code) under parent in one insert, paths computed as treebeard does."""
        last = (
            AdministrativeUnit.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        step = AdministrativeUnit._str2int(last[-AdministrativeUnit.steplen :]) if last else 0
        units = []
        for offset, (name, kind, code) in enumerate(children, start=1):
            path = AdministrativeUnit._get_path(parent.path, parent.depth + 1, step + offset)
            units.append(
                AdministrativeUnit(
                    name=name, kind=kind, code=code, path=path, depth=parent.depth + 1
                )
            )
        AdministrativeUnit.objects.bulk_create(units)
        AdministrativeUnit.objects.filter(pk=parent.pk).update(
            numchild=parent.numchild + len(units)
        )
        parent.numchild += len(units)
        return list(AdministrativeUnit.objects.filter(code__in=[u.code for u in units]))

    def _add_roots(self, roots: list[tuple[str, str, str]]):
        last = (
            AdministrativeUnit.objects.filter(depth=1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        step = AdministrativeUnit._str2int(last) if last else 0
        units = [
            AdministrativeUnit(
                name=name,
                kind=kind,
                code=code,
                depth=1,
                path=AdministrativeUnit._get_path("", 1, step + offset),
            )
            for offset, (name, kind, code) in enumerate(roots, start=1)
        ]
        AdministrativeUnit.objects.bulk_create(units)
        return list(AdministrativeUnit.objects.filter(code__in=[u.code for u in units]))

    def _commune_names(self, count: int, *, ward_share: float = 0.0):
        names: list[tuple[str, str]] = []
        seen: set[str] = set()
        while len(names) < count:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(SECOND)}"
            if name in seen or name.split()[0] == name.split()[1]:
                continue
            seen.add(name)
            kind = UnitKind.WARD if self.rng.random() < ward_share else UnitKind.COMMUNE
            names.append((name, kind))
        return names

    def _add_communes(self, parent, count: int, *, ward_share: float):
        """`count` communes (some of them wards) under parent, coded after it: 3460001…"""
        names = self._commune_names(count, ward_share=ward_share)
        return self._add_children(
            parent,
            [(name, kind, f"{parent.code}{i:04d}") for i, (name, kind) in enumerate(names, 1)],
        )

    def build_units(self):
        province = AdministrativeUnit.objects.get(code=PROVINCE_CODE)
        district = AdministrativeUnit.objects.get(code=DISTRICT_CODE)
        new_units = []  # every unit added: they get hamlets (communes) and office holders
        # (planning unit, its communes): the unit whose yearly plan covers the communes.
        planning = [(district, list(AdministrativeUnit.objects.get_children(district)))]
        if self.scale.province_communes > 30:
            districts = self._add_children(
                province,
                [
                    (name, kind, f"{PROVINCE_CODE}{n:02d}")
                    for n, (name, kind, _) in enumerate(OTHER_DISTRICTS, start=60)
                ],
            )
            new_units += districts
            for (_, _, count), unit in zip(OTHER_DISTRICTS, districts, strict=True):
                communes = self._add_communes(unit, count, ward_share=0.2)
                new_units += communes
                planning.append((unit, communes))
                self.old_districts.append((unit, communes))
        if self.scale.communes > self.scale.province_communes:
            remaining = self.scale.communes - self.scale.province_communes
            provinces = self._add_roots(
                [
                    (name, kind, f"P{n:02d}")
                    for n, (name, kind) in enumerate(OTHER_PROVINCES, start=1)
                ]
            )
            new_units += provinces
            for index, unit in enumerate(provinces):
                count = remaining // len(provinces) + (index < remaining % len(provinces))
                communes = self._add_communes(unit, count, ward_share=0.3)
                new_units += communes
                planning.append((unit, communes))
        total = sum(len(communes) for _, communes in planning)
        assert total == self.scale.communes, (total, self.scale.communes)
        self.say(f"Units: {len(new_units)} added, {total} communes in the scale")
        return new_units, planning

    def build_reference(self, new_units, planning):
        """Hamlets, heads (office holders) and agencies for the added units."""
        hamlets = []
        for unit in new_units:
            if unit.level != UnitLevel.COMMUNE:
                continue
            if unit.kind == UnitKind.WARD:
                names = [(f"Tổ dân phố {n}", HamletKind.RESIDENTIAL_GROUP) for n in range(1, 6)]
            else:
                count = 3 + self.rng.randrange(4)
                names = [(f"Thôn {FIRST[i]}", HamletKind.VILLAGE) for i in range(count)]
            hamlets += [Hamlet(commune=unit, name=name, kind=kind) for name, kind in names]
        Hamlet.objects.bulk_create(hamlets, batch_size=5000)
        heads = list(Position.objects.filter(is_head=True).order_by("order"))
        start = datetime.date(self.years[0] - 1, 1, 1)
        people = [Person(full_name=invented_name(self.rng)) for _ in new_units for _ in heads]
        people = Person.objects.bulk_create(people, batch_size=5000)
        pairs = [(unit, position) for unit in new_units for position in heads]
        OfficeHolder.objects.bulk_create(
            [
                OfficeHolder(person=person, position=position, unit=unit, start_date=start)
                for person, (unit, position) in zip(people, pairs, strict=True)
            ],
            batch_size=5000,
        )
        agencies = []
        for unit, _ in planning:
            if Agency.objects.filter(unit=unit).exists():
                continue
            office = "Sở" if unit.level == UnitLevel.PROVINCE else "Phòng"
            agencies += [
                Agency(
                    name=f"{'' if short == 'CA' else office + ' '}{name} {unit.in_sentence}",
                    short_name=short,
                    unit=unit,
                )
                for name, short in AGENCY_NAMES
            ]
        Agency.objects.bulk_create(agencies)
        self.say(f"Hamlets {len(hamlets)}, office holders {len(people)}, agencies {len(agencies)}")

    def build_users(self):
        if self.scale.province_communes <= 30:
            return
        user = User.objects.filter(username=PROVINCE_USER).first() or User(username=PROVINCE_USER)
        user.first_name, user.last_name = "Cán bộ", "Ban Dân vận Tỉnh ủy"
        user.role = Role.BOARD_STAFF
        # Thái Bình's board, or after the 2025 reorganisation Hưng Yên's, which sees Thái Bình.
        user.unit = AdministrativeUnit.objects.get(code=PROVINCE_CODE).heir()
        user.email = f"{PROVINCE_USER}@example.invalid"
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        self.say(f"User {PROVINCE_USER} (board staff, province), password {DEMO_PASSWORD}")

    # --- plans and sessions -----------------------------------------------------------------

    # --- the 2025 reorganisation -----------------------------------------------------------

    def build_reorganisation(self):
        """Thái Bình's generated districts end on 1/7/2025 as Vũ Thư did in the demo: each goes
        in part to Hưng Yên, its communes three by three into new communes of Hưng Yên (named
        after the first of them), through the service `apply_reorganisation` uses."""
        if not self.old_districts:
            return
        province = AdministrativeUnit.objects.get(code=PROVINCE_CODE).heir()
        header = "successor_code,successor,kind,parent_code,predecessor_code,predecessor,share"
        lines = [header]
        for district, communes in self.old_districts:
            lines.append(
                f"{province.code},{province.name},{province.kind},,"
                f"{district.code},{district.name},part"
            )
            for number, first in enumerate(range(0, len(communes), MERGED), start=1):
                group = communes[first : first + MERGED]
                code = f"{province.code}{district.code[-2:]}{number:02d}"
                wards = any(unit.kind == UnitKind.WARD for unit in group)
                kind = UnitKind.WARD if wards else UnitKind.COMMUNE
                lines += [
                    f"{code},{group[0].name},{kind},{province.code},{unit.code},{unit.name},whole"
                    for unit in group
                ]
        result = reorganisation_apply(
            mapping="\n".join(lines), decision=REFORM_DECISION, effective_on=REFORM_DAY
        )
        successors = list(
            AdministrativeUnit.objects.filter(
                predecessions__predecessor__in=[c for _, group in self.old_districts for c in group]
            ).distinct()
        )
        heads = list(Position.objects.filter(is_head=True).order_by("order"))
        people = Person.objects.bulk_create(
            [Person(full_name=invented_name(self.rng)) for _ in successors for _ in heads]
        )
        pairs = [(unit, position) for unit in successors for position in heads]
        OfficeHolder.objects.bulk_create(
            [
                OfficeHolder(person=person, position=position, unit=unit, start_date=REFORM_DAY)
                for person, (unit, position) in zip(people, pairs, strict=True)
            ]
        )
        self.say(
            f"Reorganisation {REFORM_DECISION}: {len(successors)} new communes of "
            f"{province.full_name}, {len(result.changes)} changes"
        )

    def _reformed(self, planning):
        """{old commune's pk: (the day it ended, its heir)} for the communes of the scale a
        reorganisation ended (the demo's Vũ Thư and the generated ones)."""
        pks = [commune.pk for _, communes in planning for commune in communes]
        return {
            unit.pk: (unit.ended_on, unit.heir())
            for unit in AdministrativeUnit.objects.filter(pk__in=pks, ended_on__isnull=False)
        }

    # --- plans and sessions -----------------------------------------------------------------

    def _plan(self, unit, number, year, start, end, *, part=""):
        suffix = "TU" if unit.level == UnitLevel.PROVINCE else "HU"
        return Plan(
            number=f"{number}-KH/{suffix}",
            title=f"Tổ chức tiếp xúc, đối thoại trực tiếp giữa người đứng đầu cấp ủy, "
            f"chính quyền với Nhân dân{part} năm {year}",
            issuing_body=f"Ban Thường vụ {unit.party_committee} {unit.name}",
            issued_on=start - datetime.timedelta(days=17),
            period_start=start,
            period_end=end,
            unit=unit,
        )

    def build_plans(self, planning):
        """A plan a year per planning unit, with a target of four sessions per commune.

        A commune a reorganisation ended has a target until the day before, one session per
        quarter begun; its heir's target for the rest of that year is in a plan of the province
        of today, which `self.heir_plan` holds (None when no commune of the scale ended)."""
        reformed = self._reformed(planning)
        plans = {}
        for number, (unit, communes) in enumerate(planning, start=100):
            for year in self.years:
                start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
                ended = [reformed[c.pk][0] for c in communes if c.pk in reformed]
                if any(day.year == year for day in ended):
                    end = min(day for day in ended if day.year == year) - datetime.timedelta(1)
                plans[unit.pk, year] = self._plan(unit, number, year, start, end)
        heirs = sorted({heir for _, heir in reformed.values()}, key=lambda unit: unit.path)
        self.heir_plan = None
        if heirs and REFORM_DAY.year in self.years:
            province = AdministrativeUnit.objects.get(code=PROVINCE_CODE).heir()
            self.heir_plan = self._plan(
                province,
                100 + len(planning),
                REFORM_DAY.year,
                REFORM_DAY,
                datetime.date(REFORM_DAY.year, 12, 31),
                part=" 6 tháng cuối",
            )
        Plan.objects.bulk_create([*plans.values(), *filter(None, [self.heir_plan])])
        targets = []
        for unit, communes in planning:
            for commune in communes:
                for year in self.years:
                    plan = plans[unit.pk, year]
                    ended = reformed.get(commune.pk, (None,))[0]
                    if ended and ended.year < year:
                        continue
                    end = plan.period_end
                    required = SESSIONS_PER_YEAR
                    if ended and ended.year == year:
                        end = ended - datetime.timedelta(days=1)
                        required = self._quarters_before(year, ended)
                    targets.append(
                        PlanTarget(
                            plan=plan,
                            unit=commune,
                            level=UnitLevel.COMMUNE,
                            sessions_required=required,
                            period_start=plan.period_start,
                            period_end=end,
                        )
                    )
        if self.heir_plan:
            targets += [
                PlanTarget(
                    plan=self.heir_plan,
                    unit=heir,
                    level=UnitLevel.COMMUNE,
                    sessions_required=SESSIONS_PER_YEAR
                    - self._quarters_before(REFORM_DAY.year, REFORM_DAY),
                    period_start=self.heir_plan.period_start,
                    period_end=self.heir_plan.period_end,
                )
                for heir in heirs
            ]
        PlanTarget.objects.bulk_create(targets, batch_size=5000)
        self.say(f"Plans {len(plans) + bool(self.heir_plan)}, targets {len(targets)}")
        return plans

    @staticmethod
    def _quarter_day(year: int, quarter: int) -> datetime.date:
        """The first day of the month a quarter's session is held in (its middle month)."""
        return datetime.date(year, 3 * quarter - 1, 1)

    def _quarters_before(self, year: int, day: datetime.date) -> int:
        return sum(
            self._quarter_day(year, quarter) < day for quarter in range(1, SESSIONS_PER_YEAR + 1)
        )

    def _session_day(self, year: int, quarter: int) -> datetime.date:
        # A weekday in the quarter's middle month, before the 26th.
        day = datetime.date(year, 3 * quarter - 1, self.rng.randint(1, 25))
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        return day

    def build_sessions(self, plans, planning) -> list[tuple]:
        """COPY the sessions with their residents' unit and chairs; (id, commune, day, hour).

        A commune a reorganisation ended holds its sessions until then; its heir holds one a
        quarter after, under the province's plan."""
        heads = {}
        for holder in OfficeHolder.objects.filter(position__is_head=True).order_by("pk"):
            heads.setdefault(holder.unit_id, []).append(holder.pk)
        reformed = self._reformed(planning)
        next_id = _next_id(Session)
        now = timezone.now()
        sessions = []
        rows = []

        def add(plan, commune, year, quarter):
            nonlocal next_id
            day = self._session_day(year, quarter)
            hour = self.rng.choice([8, 14])
            starts = _aware(day, hour)
            topic = f"{TOPICS[(quarter + year) % len(TOPICS)]} năm {year}"
            rows.append(
                {
                    "id": next_id,
                    "plan_id": plan.pk,
                    "level": UnitLevel.COMMUNE,
                    "host_unit_id": commune.pk,
                    # After the reform, today's kind: a dialogue conference for the whole unit.
                    "kind": SessionKind.DIALOGUE if day >= REFORM_DAY else SessionKind.REGULAR,
                    "dialogue_scope": DialogueScope.UNIT if day >= REFORM_DAY else "",
                    "mode": SessionMode.IN_PERSON,
                    "participation": "",
                    # Since the reform, results are published (build_publications).
                    "results_published_on": (
                        day + datetime.timedelta(PUBLISHED_AFTER) if day >= REFORM_DAY else None
                    ),
                    "results_published_by_id": None,
                    "topic": topic,
                    "venue": f"Hội trường UBND {commune.in_sentence}",
                    "starts_at": starts,
                    "ends_at": starts + datetime.timedelta(hours=3),
                    "invited_organisations": INVITED,
                    "notice_date": day - datetime.timedelta(days=self.rng.choice([7, 10])),
                    "status": SessionStatus.HELD,
                    "cancel_reason": "",
                    "attendance_residents": self.rng.randint(80, 260),
                    "attendance_cadres": self.rng.randint(15, 45),
                    "minutes_text": MINUTES.format(topic=topic.lower(), host=commune.full_name),
                    "minutes_file": "",
                    "logged_by_id": None,
                    "logged_at": starts + datetime.timedelta(days=1),
                    "created_by_id": None,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            sessions.append((next_id, commune, day, hour))
            next_id += 1

        for unit, communes in planning:
            for commune in communes:
                ended = reformed.get(commune.pk, (None,))[0]
                for year in self.years:
                    for quarter in range(1, SESSIONS_PER_YEAR + 1):
                        if ended is None or self._quarter_day(year, quarter) < ended:
                            add(plans[unit.pk, year], commune, year, quarter)
        if self.heir_plan:
            year = REFORM_DAY.year
            for heir in sorted({heir for _, heir in reformed.values()}, key=lambda u: u.path):
                for quarter in range(1, SESSIONS_PER_YEAR + 1):
                    if self._quarter_day(year, quarter) >= REFORM_DAY:
                        add(self.heir_plan, heir, year, quarter)
        columns = [f.column for f in Session._meta.concrete_fields]
        _copy(Session, columns, (tuple(row[c] for c in columns) for row in rows))
        attending = Session.attending_units.through
        _copy(
            attending,
            ["session_id", "administrativeunit_id"],
            ((pk, commune.pk) for pk, commune, _, _ in sessions),
        )
        chairs = Session.chairs.through
        _copy(
            chairs,
            ["session_id", "officeholder_id"],
            (
                (pk, holder)
                for pk, commune, _, _ in sessions
                for holder in heads.get(commune.pk, [])[:2]
            ),
        )
        _reset_sequences(Session)
        self.say(f"Sessions {len(sessions)}")
        return sessions

    # --- opinions ---------------------------------------------------------------------------

    def build_opinions(self, sessions):
        holidays_prefill(years=[*self.years, self.today.year, self.today.year + 1])
        holidays, worked = working_calendar()
        fields = {f.name: f.pk for f in Field.objects.all()}
        # Each commune's opinions go to the agencies of its planning unit (district or province).
        agencies: dict[tuple[int, str], int] = {}
        for agency in Agency.objects.all():
            agencies.setdefault((agency.unit_id, agency.short_name), agency.pk)
        hamlets: dict[int, list[tuple[int, str]]] = {}
        for pk, commune_id, name in Hamlet.objects.values_list("pk", "commune_id", "name"):
            hamlets.setdefault(commune_id, []).append((pk, name))
        parents = {}
        for unit in AdministrativeUnit.objects.at_level(UnitLevel.COMMUNE):
            parents[unit.pk] = unit.path[: -unit.steplen]
        parent_ids = dict(
            AdministrativeUnit.objects.filter(path__in=set(parents.values())).values_list(
                "path", "pk"
            )
        )
        field_weights = [weight for _, weight, _, _ in FIELDS]
        deadlines = {}

        def document_number(agency_short):
            return f"{self.rng.randint(20, 480)}/UBND-{agency_short}"

        def deadline_of(day):
            if day not in deadlines:
                deadlines[day] = add_working_days(day, 15, holidays, worked)
            return deadlines[day]

        folded = functools.lru_cache(maxsize=None)(fold)
        opinion_id = _next_id(Opinion)
        event_id = _next_id(OpinionEvent)
        opinion_columns = [f.column for f in Opinion._meta.concrete_fields]
        event_columns = [f.column for f in OpinionEvent._meta.concrete_fields]
        rng = self.rng
        last_year = self.years[-1]
        events: list[tuple] = []
        # Each host unit's opinions numbered per year (feedback.models.opinion_code), from where
        # the sequences stand; the sequences are moved on at the end.
        sequences = OpinionSequence.objects.values_list("unit_id", "year", "last")
        numbers = {(unit_id, year): last for unit_id, year, last in sequences}
        codes: dict[int, str] = {}  # the session's opinions' codes, for its duplicates

        def opinions(batch) -> Iterator[tuple]:
            nonlocal opinion_id, event_id
            for session_id, commune, day, hour in batch:
                weights = LAST_YEAR_STATES if day.year == last_year else OLD_STATES
                states = rng.choices(
                    list(weights), weights=list(weights.values()), k=self.opinions_per_session
                )
                commune_hamlets = hamlets.get(commune.pk, [])
                parent = parent_ids[parents[commune.pk]]
                recorded = _aware(day, hour + 3)
                forwarded = _aware(day + datetime.timedelta(days=1), 9)
                deadline = deadline_of(day)
                first_in_session = opinion_id
                codes.clear()
                for state in states:
                    name, _, agency_short, texts = rng.choices(FIELDS, weights=field_weights)[0]
                    # A commune ended by the 2025 reorganisation gave its hamlets to its successor.
                    hamlet = (
                        rng.choice(commune_hamlets)
                        if commune_hamlets and rng.random() < 0.8
                        else None
                    )
                    content = rng.choice(texts).format(hamlet=hamlet[1] if hamlet else "địa phương")
                    raised_by = ""
                    if rng.random() >= 0.15:
                        raised_by = (
                            f"{rng.choice(['Ông', 'Bà'])} {rng.choice(FAMILY)} {rng.choice(GIVEN)}"
                        )
                    numbers[commune.pk, day.year] = numbers.get((commune.pk, day.year), 0) + 1
                    code = opinion_code(commune.code, day.year, numbers[commune.pk, day.year])
                    codes[opinion_id] = code
                    row = {
                        "id": opinion_id,
                        "code": code,
                        "session_id": session_id,
                        "unit_id": commune.pk,
                        "field_id": fields[name],
                        "kind": rng.choice(["opinion", "proposal", "report"]),
                        "content": content,
                        "raised_by": raised_by,
                        "phone": "",
                        "address": "",
                        "personal_erased_at": None,
                        "hamlet_id": hamlet[0] if hamlet else None,
                        "status": OpinionStatus.NEW,
                        "session_answer": "",
                        "answered_by": "",
                        "agency_id": None,
                        "deadline": None,
                        "forwarded_at": None,
                        "acknowledged_on": None,
                        "acknowledged_by_id": None,
                        "answer": "",
                        "answer_document_number": "",
                        "answer_document_date": None,
                        "unresolved_reason": "",
                        "closed_at": None,
                        "duplicate_of_id": None,
                        "search_text": " ".join(
                            part
                            for part in (
                                code,
                                folded(content),
                                folded(hamlet[1]) if hamlet else "",
                                folded(name),
                            )
                            if part
                        ),
                        # The person's name is searched apart (feedback/personal.py).
                        "person_text": folded(raised_by),
                        "created_by_id": None,
                        "created_at": recorded,
                        "updated_at": recorded,
                    }
                    timeline = [(EventKind.RECORDED, recorded, "", OpinionStatus.NEW, None, None)]
                    step = functools.partial(_take, timeline)
                    if state == "answered":
                        answer = "Đã giải thích, làm rõ tại hội nghị theo quy định hiện hành."
                        closed = recorded + datetime.timedelta(minutes=30)
                        row |= {
                            "status": step("answer", closed, answer),
                            "session_answer": answer,
                            "answered_by": rng.choice(ANSWERERS),
                            "closed_at": closed,
                            "updated_at": closed,
                        }
                    elif state == "duplicate" and opinion_id > first_in_session:
                        closed = recorded + datetime.timedelta(minutes=40)
                        original = rng.randrange(first_in_session, opinion_id)
                        row |= {
                            "status": step("duplicate", closed, codes[original]),
                            "duplicate_of_id": original,
                            "closed_at": closed,
                            "updated_at": closed,
                        }
                    else:
                        agency_short = agency_short or "KT&HT"
                        agency = agencies.get((parent, agency_short)) or agencies.get(
                            (parent, AGENCIES_AFTER_2025[agency_short])
                        )
                        row |= {
                            "status": step("forward", forwarded, "", agency, deadline),
                            "agency_id": agency,
                            "deadline": deadline,
                            "forwarded_at": forwarded,
                            "updated_at": forwarded,
                        }
                        if state in ("in_progress", "resolved", "unresolvable"):
                            at = forwarded + datetime.timedelta(days=rng.randint(3, 10), hours=1)
                            note = "Đã kiểm tra hiện trạng, đang xác minh hồ sơ."
                            row |= {
                                "status": step("progress", at, note, agency, deadline),
                                "updated_at": at,
                            }
                        if state == "resolved":
                            closed_day = deadline - datetime.timedelta(days=rng.randint(0, 4))
                            closed = max(_aware(closed_day, 15), at)
                            answer = (
                                "Đã xem xét, giải quyết theo thẩm quyền và trả lời công dân "
                                "bằng văn bản."
                            )
                            row |= {
                                "status": step("resolve", closed, answer, agency, deadline),
                                "answer": answer,
                                "answer_document_number": document_number(agency_short),
                                "answer_document_date": timezone.localtime(closed).date(),
                                "closed_at": closed,
                                "updated_at": closed,
                            }
                        elif state == "unresolvable":
                            closed = max(_aware(deadline, 15), at)
                            reason = "Vượt thẩm quyền giải quyết; đã báo cáo cấp trên."
                            row |= {
                                "status": step("unresolvable", closed, reason, agency, deadline),
                                "unresolved_reason": reason,
                                "closed_at": closed,
                                "updated_at": closed,
                            }
                    previous = ""
                    for kind, at, text, status, agency, deadline_then in timeline:
                        events.append(
                            {
                                "id": event_id,
                                "opinion_id": opinion_id,
                                "kind": kind,
                                "at": at,
                                "by_id": None,
                                "from_status": previous,
                                "to_status": status,
                                "agency_id": agency,
                                "deadline": deadline_then,
                                "text": text,
                            }
                        )
                        previous = status
                        event_id += 1
                    opinion_id += 1
                    yield tuple(row[c] for c in opinion_columns)

        total_opinions = total_events = 0
        # Sessions in batches: their opinions COPYed, then their timeline entries.
        size = 2000
        for batch in (sessions[i : i + size] for i in range(0, len(sessions), size)):
            total_opinions += _copy(Opinion, opinion_columns, opinions(batch))
            total_events += _copy(
                OpinionEvent, event_columns, (tuple(e[c] for c in event_columns) for e in events)
            )
            events.clear()
            self.say(f"Opinions {total_opinions:,}, timeline entries {total_events:,}")
        _reset_sequences(Opinion, OpinionEvent)
        OpinionSequence.objects.bulk_create(
            [
                OpinionSequence(unit_id=unit_id, year=year, last=last)
                for (unit_id, year), last in numbers.items()
            ],
            update_conflicts=True,
            unique_fields=["unit", "year"],
            update_fields=["last"],
        )

    # --- publications -----------------------------------------------------------------------

    def _public_id(self, taken: set) -> str:
        while True:
            public_id = "".join(self.rng.choices(PUBLIC_ID_LETTERS, k=11))
            if public_id not in taken:
                taken.add(public_id)
                return public_id

    def build_publications(self, sessions):
        """The sessions held since the reform, announced and their results published: the
        session's row and one row per opinion (its text as recorded: the generated contents
        name no one), duplicates left out as staff would."""
        chosen = {pk: day for pk, _, day, _ in sessions if day >= REFORM_DAY}
        taken = set(SessionPublication.objects.values_list("public_id", flat=True))
        taken |= set(OpinionPublication.objects.values_list("public_id", flat=True))
        next_id = _next_id(SessionPublication)
        rows = []
        for pk, day in chosen.items():
            rows.append(
                {
                    "id": next_id,
                    "session_id": pk,
                    "public_id": self._public_id(taken),
                    "announced_at": _aware(day - datetime.timedelta(days=ANNOUNCED_BEFORE), 9),
                    "announced_by_id": None,
                    "announcement_withdrawn_at": None,
                    "announcement_withdrawn_by_id": None,
                    "results_published_at": _aware(
                        day + datetime.timedelta(days=PUBLISHED_AFTER), 9
                    ),
                    "results_published_by_id": None,
                    "results_withdrawn_at": None,
                    "results_withdrawn_by_id": None,
                    "version": 1,
                }
            )
            next_id += 1
        columns = [f.column for f in SessionPublication._meta.concrete_fields]
        _copy(SessionPublication, columns, (tuple(row[c] for c in columns) for row in rows))
        folded = functools.lru_cache(maxsize=None)(fold)
        opinion_columns = [f.column for f in OpinionPublication._meta.concrete_fields]
        next_opinion = _next_id(OpinionPublication)

        # Read before the COPY starts: a connection cannot fetch while it copies.
        found = list(
            Opinion.objects.filter(session_id__in=list(chosen), duplicate_of__isnull=True)
            .order_by("pk")
            .values_list("pk", "session_id", "content", "field__name")
        )

        def opinions():
            nonlocal next_opinion
            for pk, session_id, content, field_name in found:
                day = chosen[session_id]
                row = {
                    "id": next_opinion,
                    "opinion_id": pk,
                    "session_id": session_id,
                    "public_id": self._public_id(taken),
                    "text": content,
                    "search_text": f"{folded(content)} {folded(field_name)}",
                    "published_at": _aware(day + datetime.timedelta(days=PUBLISHED_AFTER), 9),
                    "published_by_id": None,
                    "withdrawn_at": None,
                    "withdrawn_by_id": None,
                }
                next_opinion += 1
                yield tuple(row[c] for c in opinion_columns)

        published = _copy(OpinionPublication, opinion_columns, opinions())
        _reset_sequences(SessionPublication, OpinionPublication)
        self.say(f"Published: {len(rows):,} sessions, {published:,} opinions")

    def run(self):
        with transaction.atomic():
            new_units, planning = self.build_units()
            self.build_reference(new_units, planning)
            self.build_reorganisation()
            self.build_users()
            plans = self.build_plans(planning)
            sessions = self.build_sessions(plans, planning)
            self.build_opinions(sessions)
            self.build_publications(sessions)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.say("Analysed; done.")


def generate(scale_name: str, *, stdout, **options) -> None:
    if connection.vendor != "postgresql":
        raise ScaleError("generate_scale_data writes with COPY: it needs PostgreSQL.")
    there = generated_scale()
    if there == scale_name:
        stdout.write(f"This database already holds the {scale_name} scale; nothing to do.")
        return
    if there is not None:
        raise ScaleError(
            f"This database already holds generated data ({there}); use a fresh database for "
            f"the {scale_name} scale."
        )
    Generator(SCALES[scale_name], stdout=stdout, **options).run()
