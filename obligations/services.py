import csv
import datetime
from pathlib import Path

from django.db import transaction

from communes.models import Position

from .models import Obligation

RULES_2025 = Path(__file__).resolve().parent / "data" / "rules_2025.csv"


@transaction.atomic
def obligations_load(path: Path = RULES_2025) -> int:
    """Add the rules of a data file that are not there yet (matched by title, level and measure);
    rules edited in the admin are left as they are. Returns how many were added."""
    positions = {position.name: position for position in Position.objects.all()}
    added = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for order, row in enumerate(csv.DictReader(handle), start=1):
            _, created = Obligation.objects.get_or_create(
                title=row["title"],
                level=row["level"],
                measure=row["measure"],
                defaults={
                    "legal_basis": row["legal_basis"],
                    "position": positions.get(row["position"]) if row["position"] else None,
                    "session_kind": row["session_kind"],
                    "number": int(row["number"]),
                    "working_days": row["working_days"] == "1",
                    "valid_from": datetime.date.fromisoformat(row["valid_from"]),
                    "order": order * 10,
                },
            )
            added += created
    return added
