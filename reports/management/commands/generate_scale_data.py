"""Generate data at scale for the benchmark, on PostgreSQL (see reports/scale.py).

    python manage.py generate_scale_data --scale province

Loads the demo first. Run on a fresh database; a database that already holds the scale asked for
is left as it is.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from reports.scale import SCALES, ScaleError, generate


class Command(BaseCommand):
    help = "Generate five years of sessions and opinions at district, province or national scale."

    def add_arguments(self, parser):
        parser.add_argument("--scale", required=True, choices=list(SCALES))

    def handle(self, *args, **options):
        from django.db import connection

        if connection.vendor != "postgresql":
            raise CommandError("generate_scale_data writes with COPY: it needs PostgreSQL.")
        call_command("load_demo", stdout=self.stdout)
        try:
            generate(options["scale"], stdout=self.stdout)
        except ScaleError as error:
            raise CommandError(str(error)) from None
