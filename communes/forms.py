from django import forms
from django.utils.translation import gettext_lazy as _

from config.dates import PlausibleDateField

from .models import UnitKind


class UnitTreeFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *UnitKind.choices]
    )
    include_inactive = forms.BooleanField(
        label=_("Include merged and inactive units"), required=False
    )


class OnDateForm(forms.Form):
    on = PlausibleDateField(
        label=_("Office holders on"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy, for example 26/09/2018.")},
    )


# A mapping of a whole province is a few hundred lines; far below this.
MAPPING_MAX_BYTES = 2 * 1024 * 1024


class ReorganisationForm(forms.Form):
    """The admin's reorganisation page: the files on the first step, then their text kept in
    hidden fields so the confirmation applies exactly what was previewed."""

    mapping = forms.FileField(
        label=_("Mapping (CSV)"), required=False,
        help_text=_("successor_code, successor, kind, parent_code, predecessor_code, "
                    "predecessor, whole|part"),
    )  # fmt: skip
    agencies = forms.FileField(
        label=_("Agencies (CSV, optional)"), required=False,
        help_text=_("old_agency, new_agency, new_short_name, new_unit_code"),
    )  # fmt: skip
    decision = forms.CharField(label=_("Decision"), max_length=100, help_text="1666/NQ-UBTVQH15")
    effective_on = PlausibleDateField(
        label=_("Effective on"),
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy, for example 26/09/2018.")},
    )
    mapping_text = forms.CharField(widget=forms.HiddenInput, required=False)
    agencies_text = forms.CharField(widget=forms.HiddenInput, required=False)

    def _text(self, name):
        upload = self.cleaned_data.get(name)
        if not upload:
            return self.cleaned_data.get(f"{name}_text") or ""
        if upload.size > MAPPING_MAX_BYTES:
            raise forms.ValidationError({name: _("The file is too large for a mapping.")})
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                {name: _("The file must be a CSV saved as UTF-8.")}
            ) from None

    def clean(self):
        cleaned = super().clean()
        cleaned["mapping_text"] = self._text("mapping")
        cleaned["agencies_text"] = self._text("agencies")
        if not cleaned["mapping_text"].strip() and "mapping" not in self.errors:
            self.add_error("mapping", _("Choose the mapping file."))
        return cleaned
