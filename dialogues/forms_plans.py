"""Forms for plans, their related documents and their targets."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communes.models import AdministrativeUnit, UnitLevel
from config.concurrency import lock
from config.dates import DATE_ERRORS, DATE_WIDGET, PlausibleDateField
from config.history import history_count
from config.parsing import IdsChoiceField
from config.uploads import validate_scan
from feedback.text import fold

from .documents import (
    next_free_number,
    next_free_numbers,
    number_taken_error,
    parse_document_number,
)
from .models import Document, DocumentType, Plan, PlanTarget


class UnitChoiceField(forms.ModelChoiceField):
    """Units in tree order, indented by depth so the hierarchy reads in a plain <select>."""

    def label_from_instance(self, unit):
        return "\u00a0\u00a0\u00a0" * max(unit.depth - self.top_depth, 0) + unit.full_name

    top_depth = 1


def _unit_field(form, name, units, *, top):
    """Offer these units, indented from `top`, the unit the list starts at (None: the root)."""
    field = form.fields[name]
    field.queryset = units.order_by("path")
    field.top_depth = top.depth if top else 1


def _date_field(label, **kwargs):
    return PlausibleDateField(label=label, widget=DATE_WIDGET, error_messages=DATE_ERRORS, **kwargs)


class DocumentNumberMixin:
    """Checks the number once, in clean_number, and keeps what it parsed."""

    parsed_number = None

    def clean_number(self):
        value = self.cleaned_data["number"].strip()
        self.parsed_number = parse_document_number(value)
        return value


class PlanForm(DocumentNumberMixin, forms.ModelForm):
    # How much history the plan had when the form was opened: a save by someone else in between
    # stops this one (dialogues.views.plans.plan_update).
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Plan
        fields = [
            "number",
            "title",
            "issuing_body",
            "issued_on",
            "period_start",
            "period_end",
            "unit",
            "text",
            "attachment",
            "documents",
        ]
        field_classes = {
            **dict.fromkeys(["issued_on", "period_start", "period_end"], PlausibleDateField),
            "unit": UnitChoiceField,
            "documents": IdsChoiceField,
        }
        widgets = {
            "issued_on": DATE_WIDGET,
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "text": forms.Textarea(attrs={"rows": 6}),
            "documents": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "issued_on": DATE_ERRORS,
            "period_start": DATE_ERRORS,
            "period_end": DATE_ERRORS,
        }
        help_texts = {
            "attachment": _("PDF, JPEG or PNG, at most 20 MB."),
            "documents": _("Directives, regulations and decisions this plan carries out."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = AdministrativeUnit.objects.visible_to(user)
        # A plan of a unit merged away since keeps its unit when it is edited.
        keep = Q(pk=self.instance.unit_id) if self.instance.unit_id else Q(pk__in=[])
        _unit_field(self, "unit", units.filter(Q(is_active=True) | keep), top=user.unit)
        if not self.instance.pk:
            self.fields["unit"].initial = user.unit_id
            if user.unit_id:
                suggested = next_free_number(
                    type_code="KH",
                    issuer=user.unit.party_symbol,
                    day=timezone.localdate(),
                    unit=user.unit,
                )
                self.fields["number"].initial = suggested
                self.fields["number"].help_text = _(
                    "Numbers run from 01 per issuing body and type over the Party committee's "
                    "term; the next free one is %(number)s."
                ) % {"number": suggested}
        else:
            self.initial["seen"] = history_count(self.instance)
        documents = Document.objects.visible_to(user).select_related("doc_type")
        self.fields["documents"].queryset = documents
        self.fields["documents"].label_from_instance = lambda d: (
            f"{d.number} ({d.issued_on:%d/%m/%Y}) – {d.title[:120]}"
        )
        # Links to documents the user cannot see stay as they are.
        self._hidden_documents = (
            list(self.instance.documents.exclude(pk__in=documents.values("pk")))
            if self.instance.pk
            else []
        )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if isinstance(upload, UploadedFile):
            validate_scan(upload)
        return upload

    def clean_documents(self):
        return [*self.cleaned_data["documents"], *self._hidden_documents]

    def clean(self):
        data = super().clean()
        start, end, issued = (data.get(k) for k in ("period_start", "period_end", "issued_on"))
        if start and end and end < start:
            self.add_error(
                "period_end",
                _("The period must end on or after the day it starts, %(start)s.")
                % {"start": start.strftime("%d/%m/%Y")},
            )
        if issued and end and issued > end:
            self.add_error(
                "issued_on",
                _("A plan cannot be issued after its period ends (%(end)s).")
                % {"end": end.strftime("%d/%m/%Y")},
            )
        self._refuse_duplicate_number(data.get("number"), issued)
        return data

    def _refuse_duplicate_number(self, number, issued):
        """The same number on the same day is the same plan: say so at the number, with a link
        to the one already entered when the user may open it."""
        if not number or not issued:
            return
        same = Plan.objects.filter(number=number, issued_on=issued).exclude(pk=self.instance.pk)
        existing = same.first()
        if existing is None:
            return
        values = {"number": number, "day": issued.strftime("%d/%m/%Y")}
        if Plan.objects.visible_to(self.user).filter(pk=existing.pk).exists():
            message = format_html(
                '{} <a href="{}">{}</a>',
                _("Plan %(number)s of %(day)s is already entered.") % values,
                existing.get_absolute_url(),
                _("Open plan %(number)s") % values,
            )
        else:
            message = (
                _("Plan %(number)s of %(day)s is already entered, for a unit you do not see.")
                % values
            )
        self.add_error("number", message)


class PlanSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Number, title or issuing body"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "55-KH/HU"}),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1990,
        max_value=2100,
        error_messages={"invalid": _("Enter a year such as 2019.")},
    )

    def filter(self, plans):
        """Plans matching the valid criteria; invalid ones are shown as errors and ignored."""
        if not self.is_valid():
            return plans
        year, text = self.cleaned_data["year"], fold(self.cleaned_data["q"].strip())
        if year:
            plans = plans.filter(period_start__year__lte=year, period_end__year__gte=year)
        if text:
            # Plans in a scope number in the hundreds at most: match them without diacritics
            # in Python, the same way on SQLite and PostgreSQL.
            rows = plans.values_list("pk", "number", "title", "issuing_body")
            plans = plans.filter(pk__in=[r[0] for r in rows if text in fold(" ".join(r[1:]))])
        return plans


class DocumentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Number, subject or issuer"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "830-CV/HU"}),
    )

    def filter(self, documents):
        if not self.is_valid() or not self.cleaned_data["q"].strip():
            return documents
        text = fold(self.cleaned_data["q"].strip())
        rows = documents.values_list("pk", "number", "title", "issuer")
        return documents.filter(pk__in=[r[0] for r in rows if text in fold(" ".join(r[1:]))])


class DocumentForm(DocumentNumberMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = ["number", "issued_on", "issuer", "title", "unit"]
        field_classes = {"issued_on": PlausibleDateField, "unit": UnitChoiceField}
        widgets = {"issued_on": DATE_WIDGET}
        error_messages = {"issued_on": DATE_ERRORS}
        help_texts = {
            "number": _("The type is read from the number: 830-CV/HU is a Công văn."),
            "issuer": _("For example: Ban Thường vụ Huyện ủy"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = AdministrativeUnit.objects.visible_to(user)
        keep = Q(pk=self.instance.unit_id) if self.instance.unit_id else Q(pk__in=[])
        _unit_field(self, "unit", units.filter(Q(is_active=True) | keep), top=user.unit)
        if not self.instance.pk and user.unit_id:
            self.fields["unit"].initial = user.unit_id
            # The next free numbers of the term, as the plan form suggests one (the type is
            # the number's: one per type the unit's committee has used this term).
            issuer = user.unit.party_symbol
            suggested = next_free_numbers(day=timezone.localdate(), unit=user.unit)
            self.fields["number"].help_text = _(
                "Numbers run from 01 per issuing body and type over the Party committee's term. "
                "The next free ones of %(unit)s: %(numbers)s; a type first used in this term "
                "starts at 01 (01-CV/%(issuer)s)."
            ) % {
                "unit": user.unit.full_name,
                "numbers": ", ".join(suggested) or "–",
                "issuer": issuer,
            }

    def clean_number(self):
        value = super().clean_number()
        # The type is the number's own code: there is no second field to get wrong.
        self.instance.doc_type = DocumentType.objects.get(code=self.parsed_number.type_code)
        return value

    def clean(self):
        data = super().clean()
        day, unit = data.get("issued_on"), data.get("unit")
        if self.parsed_number and day and unit and "number" not in self.errors:
            error = number_taken_error(
                self.parsed_number, day=day, unit=unit, exclude_document=self.instance
            )
            if error:
                self.add_error("number", error)
        return data


class TargetFieldsMixin:
    """What a single and a bulk target share: how many sessions, and a period in the plan's."""

    def setup_target_fields(self, plan, user):
        self.plan = plan
        _unit_field(
            self,
            "unit",
            AdministrativeUnit.objects.visible_to(user).within(plan.unit).filter(is_active=True),
            top=plan.unit,
        )
        self.fields["period_start"].initial = plan.period_start
        self.fields["period_end"].initial = plan.period_end

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        plan = self.plan
        if start and not plan.covers(start):
            self.add_error("period_start", self._outside_plan())
        if end and not plan.covers(end):
            self.add_error("period_end", self._outside_plan())
        if start and end and end < start and "period_end" not in self.errors:
            self.add_error(
                "period_end",
                _("The period must end on or after the day it starts, %(start)s.")
                % {"start": start.strftime("%d/%m/%Y")},
            )
        return data

    def _outside_plan(self):
        return _("The target's period must lie within the plan's, %(start)s to %(end)s.") % {
            "start": self.plan.period_start.strftime("%d/%m/%Y"),
            "end": self.plan.period_end.strftime("%d/%m/%Y"),
        }


SESSIONS_ERRORS = {
    "min_value": _("At least one session."),
    "max_value": _("At most %(limit_value)s sessions."),
    "invalid": _("Enter a whole number of sessions, such as 1 or 3."),
}


class TargetForm(TargetFieldsMixin, forms.Form):
    """One target, e.g. three district-level sessions for Vũ Thư in 2019."""

    unit = UnitChoiceField(label=_("Unit"), queryset=AdministrativeUnit.objects.none())
    level = forms.ChoiceField(label=_("Level"), choices=UnitLevel.choices)
    sessions_required = forms.IntegerField(
        label=_("Sessions required"), min_value=1, max_value=999, initial=1,
        error_messages=SESSIONS_ERRORS,
    )  # fmt: skip
    period_start = _date_field(_("From"))
    period_end = _date_field(_("To"))

    prefix = "target"

    def __init__(self, *args, plan, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_target_fields(plan, user)
        self.fields["unit"].initial = plan.unit_id
        self.fields["level"].initial = plan.unit.level

    def clean(self):
        data = super().clean()
        unit, level = data.get("unit"), data.get("level")
        # A session's level is its host's tier, so another level could never be met.
        if unit and level and unit.level != level:
            self.add_error(
                "level",
                _("Sessions hosted by %(unit)s are at “%(level)s”; choose that level.")
                % {"unit": unit.full_name, "level": unit.level.label},
            )
        return data

    @transaction.atomic
    def save(self) -> tuple[PlanTarget, bool]:
        """The target, and whether it is new (an identical one only gets its number updated)."""
        lock(self.plan)  # the plan's targets are written by one request at a time
        data = self.cleaned_data
        target, created = PlanTarget.objects.update_or_create(
            plan=self.plan,
            unit=data["unit"],
            level=data["level"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            defaults={"sessions_required": data["sessions_required"]},
        )
        return target, created


class BulkTargetForm(TargetFieldsMixin, forms.Form):
    """Every active unit of a level under a unit: at least N sessions in a period."""

    unit = UnitChoiceField(label=_("Every unit under"), queryset=AdministrativeUnit.objects.none())
    level = forms.ChoiceField(
        label=_("Level"), choices=UnitLevel.choices, initial=UnitLevel.COMMUNE
    )
    sessions_required = forms.IntegerField(
        label=_("At least (sessions)"), min_value=1, max_value=999, initial=1,
        error_messages=SESSIONS_ERRORS,
    )  # fmt: skip
    period_start = _date_field(_("From"))
    period_end = _date_field(_("To"))

    prefix = "bulk"

    def __init__(self, *args, plan, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.setup_target_fields(plan, user)
        self.fields["unit"].initial = plan.unit_id

    def clean(self):
        data = super().clean()
        parent, level = data.get("unit"), data.get("level")
        if parent and level:
            self.units = list(
                AdministrativeUnit.objects.visible_to(self.user)
                .within(parent)
                .active()
                .at_level(level)
                .order_by("path")
            )
            if not self.units:
                self.add_error(
                    "level",
                    _("There is no active unit at “%(level)s” under %(unit)s.")
                    % {"level": UnitLevel(level).label, "unit": parent.full_name},
                )
        return data

    @transaction.atomic
    def save(self, *, by) -> tuple[int, int, int]:
        """Create or update one target per unit; returns (created, updated, unchanged)."""
        # The plan's targets are written by one request at a time: two bulk saves at once would
        # both see a unit without its target and the second would fail on the unique constraint.
        lock(self.plan)
        data = self.cleaned_data
        key = {
            "plan": self.plan,
            "level": data["level"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
        }
        existing = {
            t.unit_id: t
            for t in PlanTarget.objects.select_for_update().filter(unit__in=self.units, **key)
        }
        required = data["sessions_required"]
        new = [
            PlanTarget(unit=unit, sessions_required=required, **key)
            for unit in self.units
            if unit.pk not in existing
        ]
        changed = [t for t in existing.values() if t.sessions_required != required]
        for target in changed:
            target.sessions_required = required
        # The *_with_history helpers keep the targets' history, with who made the change.
        if new:
            bulk_create_with_history(new, PlanTarget, default_user=by)
        if changed:
            bulk_update_with_history(changed, PlanTarget, ["sessions_required"], default_user=by)
        return len(new), len(changed), len(existing) - len(changed)


class CoverageFilterForm(forms.Form):
    missing = forms.BooleanField(label=_("Only units not yet covered"), required=False)
