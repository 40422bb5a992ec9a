"""Apply a reorganisation of units from a mapping file, in one transaction.

    python manage.py apply_reorganisation communes/data/reorganisation_2025_thai_binh.csv \\
        --decision "1666/NQ-UBTVQH15" --effective 2025-07-01 [--agencies FILE] [--dry-run]

Prints every change (or, with --dry-run, every change it would make, and makes none). A mapping
with any problem is refused as a whole, with every problem listed by line.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communes.services import ReorganisationRefused, reorganisation_apply


def _effective(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}” is not a date written YYYY-MM-DD.") from None


def _text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Cannot read {path}: {error}") from None


class Command(BaseCommand):
    help = "Apply a reorganisation of administrative units (CSV mapping) in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("mapping", help="CSV: " + ", ".join(
            ["successor_code", "successor", "kind", "parent_code", "predecessor_code",
             "predecessor", "whole|part"]))  # fmt: skip
        parser.add_argument("--decision", required=True, help='e.g. "1666/NQ-UBTVQH15"')
        parser.add_argument(
            "--effective", required=True, help="The day it takes effect, YYYY-MM-DD."
        )
        parser.add_argument(
            "--agencies",
            help="CSV: old_agency, new_agency, new_short_name, new_unit_code (optional).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")

    def handle(self, *args, **options):
        try:
            result = reorganisation_apply(
                mapping=_text(options["mapping"]),
                decision=options["decision"],
                effective_on=_effective(options["effective"]),
                agencies=_text(options["agencies"]) if options["agencies"] else "",
                dry_run=options["dry_run"],
            )
        except ReorganisationRefused as refused:
            raise CommandError(
                "The mapping is refused; nothing was changed:\n" + "\n".join(refused.problems)
            ) from None
        for change in result.changes:
            self.stdout.write(change)
        if result.to_route:
            self.stdout.write(
                f"{len(result.to_route)} opinions wait for an agency that no longer exists: "
                "board staff route them from /opinions/to-route/."
            )
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {len(result.changes)} changes, none made.")
        elif result.changes:
            self.stdout.write(self.style.SUCCESS(f"{len(result.changes)} changes made."))
        else:
            self.stdout.write("Nothing to change: the reorganisation is already applied.")
