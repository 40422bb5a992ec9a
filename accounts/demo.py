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


def load(stdout=None):
    for username, (last, first), role, unit_code, agency_short in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name, user.last_name = first, last
        user.role = role
        user.unit = AdministrativeUnit.objects.get(code=unit_code) if unit_code else None
        # The district's agency: other districts' agencies (in data at scale) share short names.
        user.agency = (
            Agency.objects.get(short_name=agency_short, unit__code=DISTRICT_CODE)
            if agency_short
            else None
        )
        user.is_superuser = role == Role.ADMINISTRATOR
        user.is_active = True
        user.email = f"{username}@example.invalid"
        if not user.pk or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
    if stdout:
        stdout.write(f"Users: {', '.join(u[0] for u in DEMO_USERS)}")
