from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from obligations.services import RULES_2025, obligations_load


class Command(BaseCommand):
    help = "Add the rules of a data file (by default Kết luận 215-KL/TW and the 2025 law)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, default=RULES_2025)

    def handle(self, *args, **options):
        added = obligations_load(options["file"])
        self.stdout.write(_("%(count)d rules added.") % {"count": added})
