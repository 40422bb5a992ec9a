from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit
from config.dates import DATE_ERRORS, DATE_WIDGET, PlausibleDateField
from config.uploads import validate_scan
from dialogues.documents import next_free_number, parse_document_number

from .models import Letterhead, PeriodKind, Report
from .pdf import report_number_suffix
from .periods import period_bounds


class ReportRequestForm(forms.ModelForm):
    """What a report is about: a unit and a period. Nothing else is asked before the draft."""

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

    class Meta:
        model = Report
        fields = ["unit", "period_kind", "year", "quarter", "start", "end"]
        widgets = {"period_kind": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = AdministrativeUnit.objects.visible_to(user).active().order_by("path")
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.full_name
        self.fields["period_kind"].choices = PeriodKind.choices  # no empty radio button

    @classmethod
    def initial_for(cls, unit, today=None):
        """This quarter of the user's unit."""
        today = today or timezone.localdate()
        return {
            "unit": unit.pk,
            "period_kind": PeriodKind.QUARTER,
            "year": today.year,
            "quarter": (today.month - 1) // 3 + 1,
            "month": today.month,
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


class SeenForm(forms.ModelForm):
    """Carries the report's revision as the page was opened: a save made meanwhile by someone
    else is noticed (config/concurrency.py), not silently overwritten."""

    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("seen", self.instance.revision)


class ReportNarrativeForm(SeenForm):
    """The words beside the figures, saved as often as the staff like while it is a draft."""

    class Meta:
        model = Report
        fields = ["opening", "summary", "strengths", "shortcomings", "tasks", "proposals"]
        widgets = {
            name: forms.Textarea(attrs={"rows": rows})
            for name, rows in [
                ("opening", 5), ("summary", 4), ("strengths", 5), ("shortcomings", 5),
                ("tasks", 5), ("proposals", 4),
            ]
        }  # fmt: skip
        help_texts = {
            "opening": _("Generated from the plans and the figures; edit it as you need."),
            "summary": _("Generated from the figures; edit it as you need."),
            "strengths": _("One paragraph per line. Left empty, the section is left out."),
            "shortcomings": _("One paragraph per line. Left empty, the section is left out."),
            "tasks": _("One paragraph per line. Left empty, the section is left out."),
            "proposals": _("One paragraph per line. Left empty, the section is left out."),
        }

    def __init__(self, *args, generated: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.generated = generated
        for name, text in generated.items():
            if not getattr(self.instance, name):
                self.initial[name] = text

    def clean(self):
        data = super().clean()
        # Left as generated, a paragraph keeps following the figures until the report is issued.
        for name, text in self.generated.items():
            if (data.get(name) or "").strip() == text.strip():
                data[name] = ""
        return data


class ReportIssueForm(SeenForm):
    """Number, date, place, signature and recipients: asked only when the report is issued."""

    report_date = PlausibleDateField(
        label=_("Date of the report"), widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )

    class Meta:
        model = Report
        fields = [
            "number", "report_date", "place", "signing", "signer_authority", "signer_title",
            "signer_name", "recipients",
        ]  # fmt: skip
        widgets = {"recipients": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "recipients": _("One recipient per line, as printed under “Nơi nhận”."),
            "signer_authority": _(
                "For T/M, K/T, TL and TUQ: whom the signer signs for, e.g. BAN THƯỜNG VỤ."
            ),
        }

    def __init__(self, *args, letterhead: Letterhead, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.letterhead = letterhead
        today = today or timezone.localdate()
        for name in ("number", "report_date", "place", "signer_title", "signer_name"):
            self.fields[name].required = True
        self.fields["recipients"].required = True
        suffix = report_number_suffix(letterhead)
        suggested = next_free_number(
            type_code="BC", issuer=suffix.split("/", 1)[1], day=today, unit=letterhead.unit
        )
        self.fields["number"].help_text = _(
            "Numbers run from 01 per issuing body and type over the Party committee's term; "
            "the next free one is %(number)s."
        ) % {"number": suggested}
        if not self.is_bound:
            self.initial.update(
                {
                    "number": suggested,
                    "report_date": today,
                    "place": letterhead.place,
                    "signing": letterhead.signing,
                    "signer_authority": letterhead.signer_authority,
                    "signer_title": letterhead.signer_title,
                    "signer_name": letterhead.signer_name,
                    "recipients": letterhead.recipients,
                }
            )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        parsed = parse_document_number(number)
        if parsed.type_code != "BC":
            raise ValidationError(
                _("A report is numbered with the type BC, for example %(example)s.")
                % {"example": f"12{report_number_suffix(self.letterhead)}"},
                code="not_a_report",
            )
        if number_taken(issuer=issuer_of(self.letterhead), number=number, exclude=self.instance):
            raise ValidationError(number_taken_message(number), code="taken")
        return number

    def clean(self):
        data = super().clean()
        _require_authority(self, data)
        return data


def _require_authority(form, data) -> None:
    """T/M, K/T, TL and TUQ name whom the signer signs for; the title alone does not."""
    if data.get("signing", "title") != "title" and not data.get("signer_authority", "").strip():
        form.add_error(
            "signer_authority",
            _("Say whom the signer signs for (for T/M: the collective body, e.g. BAN THƯỜNG VỤ; "
              "for K/T: the head's title, e.g. TRƯỞNG BAN)."),
        )  # fmt: skip


def issuer_of(letterhead: Letterhead) -> str:
    """The body a number belongs to: "BAN DÂN VẬN / HUYỆN ỦY VŨ THƯ"."""
    return f"{letterhead.issuing_body.strip().upper()} / {letterhead.parent_body.strip().upper()}"


def number_taken(*, issuer: str, number: str, exclude: Report | None = None) -> bool:
    reports = Report.objects.filter(issuer=issuer, number=number)
    if exclude is not None and exclude.pk:
        reports = reports.exclude(pk=exclude.pk)
    return reports.exists()


def number_taken_message(number: str) -> str:
    return _(
        "Number %(number)s has already been given to another report of this body. "
        "Take the next free number."
    ) % {"number": number}


class SignedCopyForm(forms.ModelForm):
    """The signed copy: a scan, or a PDF signed digitally (Hướng dẫn 03-HD/VPTW), kept as given."""

    class Meta:
        model = Report
        fields = ["signed_file"]
        help_texts = {
            "signed_file": _("PDF, JPEG or PNG, at most 20 MB. The file is kept as it is.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_file"].required = True

    def clean_signed_file(self):
        upload = self.cleaned_data.get("signed_file")
        if isinstance(upload, UploadedFile):
            validate_scan(upload)
        return upload


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = Letterhead
        fields = [
            "parent_body", "issuing_body", "place", "signing", "signer_authority",
            "signer_title", "signer_name", "recipients",
        ]  # fmt: skip
        widgets = {"recipients": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        data = super().clean()
        _require_authority(self, data)
        return data
