from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit
from config.dates import DATE_ERRORS, DATE_WIDGET, PlausibleDateField
from dialogues.documents import validate_document_number

from .models import PeriodKind, Report
from .pdf import letterhead_for, report_number_placeholder
from .periods import period_bounds


class ReportRequestForm(forms.ModelForm):
    """What a report is about and how it is headed and signed; figures come from the records."""

    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, required=False, empty_value=None,
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )  # fmt: skip
    # Not stored: a month's report is its first and last day (reports.periods).
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=int, required=False, empty_value=None,
        choices=[("", "—"), *((n, str(n)) for n in range(1, 13))],
    )  # fmt: skip
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    start = PlausibleDateField(
        label=_("From"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )
    end = PlausibleDateField(
        label=_("To"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )

    report_date = PlausibleDateField(
        label=_("Date of the report"), widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )

    class Meta:
        model = Report
        fields = [
            "unit", "period_kind", "year", "quarter", "start", "end", "number", "place",
            "report_date", "signer_authority", "signer_title", "signer_name", "recipients",
            "assessment",
        ]  # fmt: skip
        widgets = {
            "period_kind": forms.RadioSelect,
            "report_date": DATE_WIDGET,
            "recipients": forms.Textarea(attrs={"rows": 5}),
            "assessment": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {"report_date": DATE_ERRORS}
        help_texts = {
            "assessment": _("Printed as section III; leave empty to leave it out."),
            "recipients": _("One recipient per line, as printed under “Nơi nhận”."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = AdministrativeUnit.objects.visible_to(user).active().order_by("path")
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.full_name
        self.fields["number"].validators.append(validate_document_number)
        self.fields["period_kind"].choices = PeriodKind.choices  # no empty radio button

    @classmethod
    def initial_for(cls, unit, today=None):
        """Pre-filled from the unit's letterhead: the usual place, signer and recipients."""
        today = today or timezone.localdate()
        letterhead = letterhead_for(unit)
        return {
            "unit": unit.pk,
            "period_kind": PeriodKind.QUARTER,
            "year": today.year,
            "quarter": (today.month - 1) // 3 + 1,
            "month": today.month,
            "number": report_number_placeholder(letterhead),
            "place": letterhead.place,
            "report_date": today,
            "signer_authority": letterhead.signer_authority,
            "signer_title": letterhead.signer_title,
            "signer_name": letterhead.signer_name,
            "recipients": letterhead.recipients,
        }

    def clean(self):
        data = super().clean()
        kind = data.get("period_kind")
        if not kind:
            return data
        # Each missing piece is reported next to its own field.
        if kind == PeriodKind.CUSTOM:
            for name in ("start", "end"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Give the first and the last day of the period."))
        else:
            if not data.get("year") and "year" not in self.errors:
                self.add_error("year", _("Give the year of the report."))
            if kind == PeriodKind.QUARTER and not data.get("quarter"):
                self.add_error("quarter", _("Choose the quarter."))
            if kind == PeriodKind.MONTH and not data.get("month") and "month" not in self.errors:
                self.add_error("month", _("Choose the month."))
        if self.errors:
            return data
        if kind != PeriodKind.QUARTER:
            data["quarter"] = None
        if kind != PeriodKind.MONTH:
            data["month"] = None
        if kind == PeriodKind.CUSTOM:
            data["year"] = None
        try:
            data["start"], data["end"] = period_bounds(
                kind, year=data.get("year"), quarter=data.get("quarter"),
                month=data.get("month"), start=data.get("start"), end=data.get("end"),
            )  # fmt: skip
        except ValidationError as error:
            self.add_error("end" if kind == PeriodKind.CUSTOM else "year", error)
        return data

    def save(self, commit=True):
        report = super().save(commit=False)
        report.start, report.end = self.cleaned_data["start"], self.cleaned_data["end"]
        if commit:
            report.save()
        return report
