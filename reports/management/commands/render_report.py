"""Render a unit's report for a period to a PDF or Word file, without the web pages or the worker.

    python manage.py render_report --unit 344 --year 2019 --quarter 2 --output report.pdf
    python manage.py render_report --unit 33801 --year 2026 --month 10 --output october.pdf
    python manage.py render_report --unit 344 --year 2019 --quarter 2 --format docx --output r.docx

Without --number the file is the draft (DỰ THẢO, no number), as the report's page shows it; with
--number it is laid out as issued, headed and signed from the unit's letterhead (an unsaved
Report: nothing is stored). Made by the same `report_render_pdf` the worker calls (or
`report_render_docx`, which the report's page offers).
"""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from communes.models import AdministrativeUnit
from reports.docx import report_render_docx
from reports.models import PeriodKind, Report, ReportStage
from reports.pdf import letterhead_for, report_render_pdf
from reports.periods import period_bounds


def _day(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(f"“{value}” is not a date written dd/mm/yyyy.") from None


class Command(BaseCommand):
    help = "Render the dialogue report of a unit for a period to a PDF or Word (DOCX) file."

    renderers = {"pdf": report_render_pdf, "docx": report_render_docx}

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="The unit's official code, e.g. 344.")
        parser.add_argument("--year", type=int, help="The year of the report.")
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument(
            "--month", type=int, choices=range(1, 13), metavar="1-12", help="A month."
        )
        period.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="A quarter.")
        period.add_argument("--six-months", action="store_true", help="From 1 January to 30 June.")
        period.add_argument(
            "--nine-months", action="store_true", help="From 1 January to 30 September."
        )
        period.add_argument("--whole-year", action="store_true", help="The whole year.")
        period.add_argument(
            "--from", dest="start", metavar="DD/MM/YYYY", help="First day of a date range."
        )
        parser.add_argument(
            "--to", dest="end", metavar="DD/MM/YYYY", help="Last day of a date range."
        )
        parser.add_argument(
            "--number", help="The report's number; without it, the draft (marked DỰ THẢO)."
        )
        parser.add_argument(
            "--date",
            metavar="DD/MM/YYYY",
            help="Date of the report; by default the end of the period, or today if earlier.",
        )
        parser.add_argument(
            "--format", choices=sorted(self.renderers), default="pdf", help="pdf (default) or docx."
        )
        parser.add_argument("--output", required=True, help="Where to write the file.")

    def handle(self, *args, **options):
        unit = AdministrativeUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit has the code “{options['unit']}”.")
        kind, year, quarter, start, end = self._period(options)
        letterhead = letterhead_for(unit)
        report_date = _day(options["date"]) if options["date"] else min(end, timezone.localdate())
        report = Report(
            unit=unit,
            period_kind=kind,
            year=year,
            quarter=quarter,
            start=start,
            end=end,
            stage=ReportStage.ISSUED if options["number"] else ReportStage.DRAFT,
            number=options["number"] or "",
            place=letterhead.place,
            report_date=report_date,
            signing=letterhead.signing,
            signer_authority=letterhead.signer_authority,
            signer_title=letterhead.signer_title,
            signer_name=letterhead.signer_name,
            recipients=letterhead.recipients,
        )
        content = self.renderers[options["format"]](report=report)
        output = Path(options["output"])
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.label}: {unit} from {start:%d/%m/%Y} to {end:%d/%m/%Y} "
                f"written to {output} ({len(content) // 1024} KB)."
            )
        )

    def _period(self, options):
        year, quarter = options["year"], options["quarter"]
        if options["start"]:
            if not options["end"]:
                raise CommandError("--from needs --to: give the last day of the range too.")
            kind, start, end = PeriodKind.CUSTOM, _day(options["start"]), _day(options["end"])
            if end < start:
                raise CommandError(
                    f"--to {options['end']} is before --from {options['start']}: "
                    "the range must not end before it starts."
                )
            year = year or start.year
        else:
            if options["end"]:
                raise CommandError("--to goes with --from: give the first day of the range too.")
            if year is None:
                raise CommandError("Give the year with --year.")
            if options["month"] is not None:
                kind = PeriodKind.MONTH
            elif quarter is not None:
                kind = PeriodKind.QUARTER
            elif options["six_months"]:
                kind = PeriodKind.SIX_MONTHS
            elif options["nine_months"]:
                kind = PeriodKind.NINE_MONTHS
            else:
                kind = PeriodKind.YEAR
            start = end = None
        try:
            start, end = period_bounds(
                kind, year=year, quarter=quarter, month=options["month"], start=start, end=end
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return kind, year, quarter if kind == PeriodKind.QUARTER else None, start, end
