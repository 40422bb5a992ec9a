"""The 2025 reorganisation applied in tests: the same data file and service as the demo loader."""

import datetime
from pathlib import Path

from communes.models import AdministrativeUnit

MAPPING = Path(__file__).resolve().parent.parent / "communes/data/reorganisation_2025_thai_binh.csv"
DECISION = "1666/NQ-UBTVQH15"
EFFECTIVE = datetime.date(2025, 7, 1)
# The successors' codes in the data file.
HUNG_YEN, XA_VU_THU, XA_TAN_THUAN = "33", "33801", "33803"


def mapping_text():
    return MAPPING.read_text(encoding="utf-8")


def apply_reform(**options):
    from communes.services import reorganisation_apply

    return reorganisation_apply(
        mapping=options.pop("mapping", mapping_text()),
        decision=options.pop("decision", DECISION),
        effective_on=options.pop("effective_on", EFFECTIVE),
        **options,
    )


def by_code(code):
    return AdministrativeUnit.objects.get(code=code)
