"""The retention job by hand: what Celery beat runs each night (feedback.tasks)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from feedback.personal import erase_expired


class Command(BaseCommand):
    help = (
        "Erase residents' names, phones and addresses in opinions closed more than "
        "PERSONAL_DATA_RETENTION_YEARS ago (logged); --dry-run only lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List them; change nothing.")

    def handle(self, *args, **options):
        ids = erase_expired(dry_run=options["dry_run"])
        years = settings.PERSONAL_DATA_RETENTION_YEARS
        if options["dry_run"]:
            listed = ", ".join(f"#{pk}" for pk in ids[:50]) + (" …" if len(ids) > 50 else "")
            self.stdout.write(
                f"Dry run: {len(ids)} opinion(s) closed more than {years} year(s) ago would be "
                f"erased; nothing changed. {listed}".rstrip()
            )
        else:
            self.stdout.write(f"Erased the personal data of {len(ids)} opinion(s).")
