from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communes.models import Agency, Hamlet
from config.dates import DATE_ERRORS, DATE_WIDGET, PlausibleDateField

from .models import Field, OpinionKind
from .selectors import agencies_for_session
from .services import Outcome

OUTCOMES = [
    (Outcome.PENDING, _("To be handled later")),
    (Outcome.ANSWERED, _("Answered at the session")),
    (Outcome.FORWARDED, _("Forwarded to an agency")),
]


class OpinionRowForm(forms.Form):
    """One opinion as typed at or after a session: the entry form's row and an imported row."""

    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.filter(is_active=True))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=OpinionKind.choices, initial=OpinionKind.OPINION
    )
    content = forms.CharField(
        label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    raised_by = forms.CharField(label=_("Raised by"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )  # fmt: skip
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    hamlet = forms.ModelChoiceField(
        label=_("Hamlet"), queryset=Hamlet.objects.none(), required=False
    )
    # Buttons rather than a drop-down: one tap on a phone, and the row shows what it needs.
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=OUTCOMES, initial=Outcome.PENDING,
        widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
    )  # fmt: skip
    session_answer = forms.CharField(
        label=_("Answer given"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    answered_by = forms.CharField(label=_("Answered by"), max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.filter(is_active=True), required=False
    )
    deadline = PlausibleDateField(
        label=_("Deadline"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS,
        help_text=_("Empty: counted in working days from the session."),
    )  # fmt: skip

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["hamlet"].queryset = Hamlet.objects.filter(
            commune__in=session.attending_units.all(), is_active=True
        ).select_related("commune")
        self.fields["hamlet"].label_from_instance = lambda hamlet: (
            f"{hamlet.name} ({hamlet.commune.name})"
        )
        self.fields["agency"].queryset = agencies_for_session(session)

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone") or "")

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == Outcome.ANSWERED and not (data.get("session_answer") or "").strip():
            self.add_error("session_answer", gettext("Write the answer given at the session."))
        if outcome == Outcome.FORWARDED and not data.get("agency"):
            self.add_error("agency", gettext("Choose the agency it is forwarded to."))
        deadline = data.get("deadline")
        if deadline and deadline < self.session.start_date:
            self.add_error("deadline", gettext("The deadline cannot be before the session."))
        return data


class OpinionCorrectionForm(OpinionRowForm):
    """What was written down of a recorded opinion: its text, field, who raised it, hamlet."""

    CORRECTED = ("field", "content", "raised_by", "phone", "address", "hamlet")

    def __init__(self, *args, opinion, **kwargs):
        kwargs.setdefault("initial", {name: getattr(opinion, name) for name in self.CORRECTED})
        super().__init__(*args, session=opinion.session, **kwargs)
        for name in list(self.fields):
            if name not in self.CORRECTED:
                del self.fields[name]
        # A field retired since the opinion was recorded stays its field.
        self.fields["field"].queryset = Field.objects.filter(
            Q(is_active=True) | Q(pk=opinion.field_id)
        )


def clean_phone(value: str) -> str:
    """A Vietnamese phone number as typed ("0912 345 678", "+84 912.345.678"): 9 to 11 digits,
    with spaces, dots or dashes between them."""
    value = value.strip()
    if not value:
        return ""
    digits = "".join(ch for ch in value if ch.isdigit())
    if any(not (ch.isdigit() or ch in " .-+()") for ch in value) or not 9 <= len(digits) <= 12:
        raise forms.ValidationError(
            gettext("Write a phone number of 10 digits, for example 0912 345 678.")
        )
    return value


class PurposeForm(forms.Form):
    """Why a leader or an administrator needs to see a person's data (kept in the access log)."""

    purpose = forms.CharField(
        label=_("Why you need them"), max_length=500,
        error_messages={"required": _("Say why you need the person's data.")},
    )  # fmt: skip


class BaseOpinionRowFormSet(forms.BaseFormSet):
    def __init__(self, *args, session, **kwargs):
        self.session = session
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "session": self.session}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"),
            empty_permitted=True, use_required_attribute=False, session=self.session,
        )  # fmt: skip
        self.add_fields(form, None)
        return form


MAX_ROWS = 200
# absolute_max: a tampered TOTAL_FORMS of a million builds at most MAX_ROWS forms, not 1,200.
OpinionRowFormSet = forms.formset_factory(
    OpinionRowForm, formset=BaseOpinionRowFormSet, extra=5, max_num=MAX_ROWS, validate_max=True,
    absolute_max=MAX_ROWS,
)  # fmt: skip


class AnswerForm(forms.Form):
    session_answer = forms.CharField(
        label=_("Answer given at the session"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    answered_by = forms.CharField(
        label=_("Answered by"), max_length=200, required=False, help_text=_("Name and position.")
    )


class ForwardForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    deadline = PlausibleDateField(
        label=_("Deadline"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS,
        help_text=_("Empty: counted in working days from the session."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, opinion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_for_session(opinion.session)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("What has been done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    answer_document_number = forms.CharField(
        label=_("Answering document number"), max_length=60, required=False,
        help_text=_("For example: 125/UBND-TNMT"),
    )  # fmt: skip
    answer_document_date = PlausibleDateField(
        label=_("Answering document date"), required=False, widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DuplicateForm(forms.Form):
    duplicate_of = forms.IntegerField(
        label=_("Number of the original opinion"), min_value=1, max_value=2**31 - 1,
        help_text=_("The number shown as #… on the opinion's page."),
    )  # fmt: skip


class DeadlineForm(forms.Form):
    deadline = PlausibleDateField(
        label=_("New deadline"), widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcknowledgeForm(forms.Form):
    day = PlausibleDateField(
        label=_("Author told in writing on"), widget=DATE_WIDGET, error_messages=DATE_ERRORS,
        help_text=_("The day the letter saying it was taken up or passed on was sent."),
    )  # fmt: skip
