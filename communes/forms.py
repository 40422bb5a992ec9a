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
