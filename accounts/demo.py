"""One demo user per role (see README). Idempotent: existing users are reset to these values."""

from communes.demo import DEMO_PASSWORD, DISTRICT
from communes.models import AdministrativeUnit, Agency

from .models import Role, User

DISTRICT_CODE = DISTRICT[1]

DEMO_USERS = [
    # username, full name, role, unit code, agency short name
    ("bandanvan", ("Ban Dân vận", "Cán bộ"), Role.BOARD_STAFF, "344", None),
    ("dungnghia", ("Dũng Nghĩa", "Cán bộ xã"), Role.COMMUNE_OFFICER, "34404", None),
    ("bachthuan", ("Bách Thuận", "Cán bộ xã"), Role.COMMUNE_OFFICER, "34402", None),
    ("tnmt", ("TN&MT", "Chuyên viên"), Role.AGENCY_RESPONDER, None, "TN&MT"),
    ("lanhdao", ("Lãnh đạo", "Đồng chí"), Role.LEADER, "344", None),
    ("admin", ("Quản trị", "Cán bộ"), Role.ADMINISTRATOR, "34", None),
]


# After the 2025 reorganisation (communes.demo.load_reform): Hưng Yên and its new communes.
DEMO_USERS_AFTER_REFORM = [
    ("bandanvantinh", ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "Cán bộ"), Role.BOARD_STAFF, "33",
     None),
    ("xavuthu", ("Xã Vũ Thư", "Cán bộ"), Role.COMMUNE_OFFICER, "33801", None),
    ("xatanthuan", ("Xã Tân Thuận", "Cán bộ"), Role.COMMUNE_OFFICER, "33803", None),
]  # fmt: skip


def load(stdout=None, users=DEMO_USERS, agency_unit=DISTRICT_CODE):
    for username, (last, first), role, unit_code, agency_short in users:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name, user.last_name = first, last
        user.role = role
        unit = AdministrativeUnit.objects.get(code=unit_code) if unit_code else None
        # The district's agency: other districts' agencies (in data at scale) share short names.
        agency = (
            Agency.objects.get(short_name=agency_short, unit__code=agency_unit)
            if agency_short
            else None
        )
        # Once the reorganisation has moved a demo user to a successor, they stay there.
        if user.pk and unit is not None and not unit.is_active:
            unit = user.unit
        if user.pk and agency is not None and not agency.is_active:
            agency = user.agency
        user.unit, user.agency = unit, agency
        user.is_superuser = role == Role.ADMINISTRATOR
        user.is_active = True
        user.email = f"{username}@example.invalid"
        if not user.pk or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
    if stdout:
        stdout.write(f"Users: {', '.join(u[0] for u in users)}")


def load_after_reform(stdout=None):
    load(stdout, users=DEMO_USERS_AFTER_REFORM)
