"""Demo data for units, office holders, hamlets and agencies: Thái Bình → Vũ Thư in 2019.

Person names are invented. Province 34 and district 344 are the statistics office's codes;
the communes' codes (34401…34430) are made up for the demo and match no real unit.
Loading is idempotent: every row is looked up by a natural key before it is created.
"""

import datetime
import random
from pathlib import Path

from .models import (
    AdministrativeUnit,
    Agency,
    Hamlet,
    HamletKind,
    OfficeHolder,
    Person,
    Position,
    UnitKind,
)

DEMO_PASSWORD = "DoiThoai@2019"

PROVINCE = ("Thái Bình", "34")
DISTRICT = ("Vũ Thư", "344")
TOWN = "Vũ Thư"
COMMUNES = [
    "Bách Thuận", "Đồng Thanh", "Dũng Nghĩa", "Duy Nhất", "Hiệp Hòa", "Hòa Bình", "Hồng Lý",
    "Hồng Phong", "Minh Khai", "Minh Lãng", "Minh Quang", "Nguyên Xá", "Phúc Thành", "Song An",
    "Song Lãng", "Tam Quang", "Tân Hòa", "Tân Lập", "Tân Phong", "Trung An", "Tự Tân",
    "Việt Hùng", "Việt Thuận", "Vũ Đoài", "Vũ Hội", "Vũ Tiến", "Vũ Vân", "Vũ Vinh", "Xuân Hòa",
]  # fmt: skip

AGENCIES = [
    ("Phòng Tài nguyên và Môi trường huyện Vũ Thư", "TN&MT"),
    ("Phòng Kinh tế và Hạ tầng huyện Vũ Thư", "KT&HT"),
    ("Phòng Lao động - Thương binh và Xã hội huyện Vũ Thư", "LĐ-TB&XH"),
    ("Phòng Nông nghiệp và Phát triển nông thôn huyện Vũ Thư", "NN&PTNT"),
    ("Phòng Y tế huyện Vũ Thư", "Y tế"),
    ("Phòng Giáo dục và Đào tạo huyện Vũ Thư", "GD&ĐT"),
    ("Công an huyện Vũ Thư", "CA"),
]

# Offices every unit gets a holder for, from 1/1/2016 (the 2015–2020 term) with no end date.
DEMO_OFFICES = ["Bí thư", "Phó Bí thư", "Chủ tịch UBND", "Chủ tịch UBMTTQ"]
TERM_START = datetime.date(2016, 1, 1)

# The 2025 reorganisation, applied by the demo as `apply_reorganisation` applies it.
DATA = Path(__file__).resolve().parent / "data"
REFORM_MAPPING = DATA / "reorganisation_2025_thai_binh.csv"
REFORM_AGENCIES = DATA / "agencies_2025_vu_thu.csv"
REFORM_DECISION = "1666/NQ-UBTVQH15"
REFORM_DAY = datetime.date(2025, 7, 1)

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Đinh",
    "Lương",
]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân"]
MIDDLE_F = ["Thị", "Thu", "Thanh", "Ngọc", "Hồng"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong", "Sơn",
           "Thắng", "Toàn", "Trung", "Tuấn", "Việt"]  # fmt: skip
GIVEN_F = ["Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Oanh", "Phương", "Thảo",
           "Trang", "Yến"]  # fmt: skip
HAMLET_NAMES = ["Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ"]


def invented_name(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"


def _unit(parent, *, name, kind, code):
    existing = AdministrativeUnit.objects.filter(code=code).first()
    if existing:
        return existing
    fields = {"name": name, "kind": kind, "code": code}
    if parent is None:
        return AdministrativeUnit.objects.add_root(create_kwargs=fields)
    # Reload: treebeard keeps numchild on the parent row, which an earlier add_child changed.
    parent.refresh_from_db()
    return AdministrativeUnit.objects.add_child(parent, create_kwargs=fields)


def load_units():
    province = _unit(None, name=PROVINCE[0], kind=UnitKind.PROVINCE, code=PROVINCE[1])
    district = _unit(province, name=DISTRICT[0], kind=UnitKind.DISTRICT, code=DISTRICT[1])
    communes = [_unit(district, name=TOWN, kind=UnitKind.TOWN, code="34401")]
    for number, name in enumerate(COMMUNES, start=2):
        communes.append(_unit(district, name=name, kind=UnitKind.COMMUNE, code=f"344{number:02d}"))
    return province, district, communes


def load_hamlets(communes, rng):
    for commune in communes:
        if not commune.is_active:
            continue  # ended by the reorganisation: its hamlets went to its successor
        if commune.kind == UnitKind.TOWN:
            names = [(f"Tổ dân phố {n}", HamletKind.RESIDENTIAL_GROUP) for n in range(1, 6)]
        else:
            count = 3 + rng.randrange(3)
            names = [(f"Thôn {HAMLET_NAMES[i]}", HamletKind.VILLAGE) for i in range(count)]
        for name, kind in names:
            Hamlet.objects.get_or_create(commune=commune, name=name, defaults={"kind": kind})


def load_office_holders(units, rng, start=TERM_START):
    positions = {p.name: p for p in Position.objects.filter(name__in=DEMO_OFFICES)}
    for unit in units:
        for office in DEMO_OFFICES:
            position = positions[office]
            if OfficeHolder.objects.filter(unit=unit, position=position).exists():
                continue
            person = Person.objects.create(full_name=invented_name(rng))
            OfficeHolder.objects.create(
                person=person, position=position, unit=unit, start_date=start
            )


def load_agencies(district):
    return {
        short: Agency.objects.get_or_create(
            unit=district, name=name, defaults={"short_name": short}
        )[0]
        for name, short in AGENCIES
    }


def load(stdout=None):
    # A fixed seed: the same names on every machine and every run.
    rng = random.Random(55)  # noqa: S311 - demo names, not secrets
    province, district, communes = load_units()
    load_hamlets(communes, rng)
    load_office_holders([province, district, *communes], rng)
    load_agencies(district)
    if stdout:
        stdout.write(f"Units: {province.full_name} → {district.full_name} → {len(communes)} units")


def load_reform(stdout=None):
    """Thái Bình → Hưng Yên on 1/7/2025, from the data files, through the service."""
    from .services import reorganisation_apply

    result = reorganisation_apply(
        mapping=REFORM_MAPPING.read_text(encoding="utf-8"),
        agencies=REFORM_AGENCIES.read_text(encoding="utf-8"),
        decision=REFORM_DECISION,
        effective_on=REFORM_DAY,
    )
    successors = AdministrativeUnit.objects.filter(predecessions__isnull=False).distinct()
    load_office_holders(list(successors.order_by("path")), random.Random(1666), start=REFORM_DAY)  # noqa: S311
    if stdout:
        stdout.write(f"Reorganisation {REFORM_DECISION}: {len(result.changes)} changes")
