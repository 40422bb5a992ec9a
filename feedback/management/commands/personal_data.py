"""A resident's request about their personal data (Luật Bảo vệ dữ liệu cá nhân): list their
opinions, export them, or erase their name, phone and address. Every run is in the access log.

    python manage.py personal_data --phone "0912 345 678" --unit 33801 --operator xavuthu
    python manage.py personal_data --name "Nguyễn Văn An" --unit 33801 --export an.json
    python manage.py personal_data --phone 0912345678 --unit 33801 --erase --dry-run
    python manage.py personal_data --phone 0912345678 --unit 33801 --erase --operator xavuthu \\
        --purpose "Đơn đề nghị xóa dữ liệu ngày 05/01/2026"
"""

import csv
import getpass
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from communes.models import AdministrativeUnit
from feedback.models import AccessAction
from feedback.personal import ERASED_ON_REQUEST, erase, log_access, person_opinions

COLUMNS = ("id", "session_date", "session", "unit", "field", "content", "raised_by", "phone",
           "address", "status", "answer")  # fmt: skip
DEFAULT_PURPOSE = "Yêu cầu của người có dữ liệu (Luật Bảo vệ dữ liệu cá nhân)"


class Command(BaseCommand):
    help = "List, export or erase a person's data in the opinions of a unit (logged)."

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--phone", help="The person's phone number (spaces and dots ignored).")
        who.add_argument("--name", help="The person's full name (diacritics and case ignored).")
        parser.add_argument(
            "--unit", required=True, help="Code of the unit (its records and its predecessors')."
        )
        parser.add_argument("--export", metavar="FILE", help="Write them to FILE (.json or .csv).")
        parser.add_argument(
            "--erase", action="store_true", help=f"Replace them with “{ERASED_ON_REQUEST}”."
        )
        parser.add_argument("--dry-run", action="store_true", help="With --erase: change nothing.")
        parser.add_argument(
            "--operator", help="Username of who runs it (the access log names them); for --erase."
        )
        parser.add_argument("--purpose", default="", help="Why (the request, its date).")

    def handle(self, *args, **options):
        unit = AdministrativeUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit has the code “{options['unit']}”.")
        export = Path(options["export"]) if options["export"] else None
        if export and export.suffix.lower() not in (".json", ".csv"):
            raise CommandError("--export writes a .json or a .csv file.")
        if options["dry_run"] and not options["erase"]:
            raise CommandError("--dry-run goes with --erase.")
        operator = None
        if options["operator"]:
            operator = get_user_model().objects.filter(username=options["operator"]).first()
            if operator is None:
                raise CommandError(f"No user is called “{options['operator']}”.")
        elif options["erase"] and not options["dry_run"]:
            raise CommandError("--erase needs --operator: the access log names who erased.")
        username = operator.username if operator else getpass.getuser()
        purpose = options["purpose"].strip() or DEFAULT_PURPOSE

        opinions = list(person_opinions(unit=unit, phone=options["phone"] or "",
                                        name=options["name"] or ""))  # fmt: skip
        if not opinions:
            self.stdout.write("No opinion of this person in the unit's records.")
            return
        for opinion in opinions:
            self.stdout.write(
                f"#{opinion.pk} {opinion.session.starts_at:%d/%m/%Y} {opinion.unit.full_name} | "
                f"{opinion.raised_by} | {opinion.phone} | {opinion.address} | "
                f"{opinion.content[:80]}"
            )
        ids = [opinion.pk for opinion in opinions]
        if export:
            self._export(export, opinions)
            self.stdout.write(f"Written: {export}")
        if options["erase"] and options["dry_run"]:
            self.stdout.write(f"Dry run: {len(ids)} opinion(s) would be erased; nothing changed.")
        if not options["erase"] or options["dry_run"]:
            log_access(user=operator, username=username, action=AccessAction.LOOKUP,
                       purpose=purpose, opinion_ids=ids)  # fmt: skip
            return
        erased = erase(ids, marker=ERASED_ON_REQUEST, action=AccessAction.ERASE, purpose=purpose,
                       user=operator, username=username)  # fmt: skip
        done = f"Erased the personal data of {len(erased)} opinion(s)."
        self.stdout.write(self.style.SUCCESS(done))

    def _export(self, path, opinions):
        rows = [
            {
                "id": opinion.pk,
                "session_date": f"{timezone.localtime(opinion.session.starts_at):%d/%m/%Y}",
                "session": opinion.session.topic,
                "unit": opinion.unit.full_name,
                "field": opinion.field.name,
                "content": opinion.content,
                "raised_by": opinion.raised_by,
                "phone": opinion.phone,
                "address": opinion.address,
                "status": str(opinion.get_status_display()),
                "answer": opinion.answer or opinion.session_answer,
            }
            for opinion in opinions
        ]
        try:
            if path.suffix.lower() == ".json":
                path.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
            else:
                with path.open("w", encoding="utf-8-sig", newline="") as handle:
                    writer = csv.DictWriter(handle, fieldnames=COLUMNS)
                    writer.writeheader()
                    writer.writerows(rows)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from None
