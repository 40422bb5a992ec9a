import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, OfficeHolder, UnitLevel
from config.dates import DATE_ERRORS, DATE_WIDGET, PlausibleDateField
from config.history import history_count
from config.parsing import IdsChoiceField
from config.text import LONG_TEXT_MAX
from config.uploads import validate_scan
from obligations.rules import RuleBook

from .models import (
    CURRENT_KINDS,
    DialogueScope,
    Plan,
    Session,
    SessionKind,
    SessionMode,
    SessionStatus,
    times_error,
)

TIME_WIDGET = forms.TimeInput(
    attrs={"placeholder": "HH:MM", "inputmode": "numeric"}, format="%H:%M"
)
TIME_ERRORS = {"invalid": _("Enter a time as HH:MM, for example 08:00.")}


def _local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _holder_label(holder: OfficeHolder) -> str:
    return f"{holder.person.full_name} – {holder.position.name}"


class HostUnitForm(forms.Form):
    """First step of scheduling: which unit hosts the session."""

    host = forms.ModelChoiceField(
        label=_("Host unit"), queryset=AdministrativeUnit.objects.none(), empty_label=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = (
            AdministrativeUnit.objects.visible_to(user)
            .active()
            .exclude(kind__in=["province", "city"])
            .order_by("path")
        )


class SessionForm(forms.ModelForm):
    """Schedule or edit a session hosted by a given unit.

    Errors block saving; two things only warn: notice given late (shown after saving) and a chair
    already booked at the same time, which the user must confirm with a tick.
    """

    day = PlausibleDateField(label=_("Date"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    start_time = forms.TimeField(
        label=_("Starts at"), widget=TIME_WIDGET, error_messages=TIME_ERRORS
    )
    end_time = forms.TimeField(label=_("Ends at"), widget=TIME_WIDGET, error_messages=TIME_ERRORS)
    confirm_overlap = forms.BooleanField(
        label=_("I know a chair is booked at the same time; save anyway"), required=False
    )
    # How much history the session had when the form was opened: a later save by someone else
    # makes this one stop and show what changed.
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)
    notice_date = PlausibleDateField(
        label=_("Residents notified on"), required=False, widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )  # fmt: skip

    class Meta:
        model = Session
        fields = [
            "plan", "kind", "dialogue_scope", "mode", "topic", "venue", "attending_units",
            "chairs", "invited_organisations", "participation", "notice_date",
        ]  # fmt: skip
        field_classes = {"attending_units": IdsChoiceField, "chairs": IdsChoiceField}
        widgets = {
            "attending_units": forms.CheckboxSelectMultiple,
            "chairs": forms.CheckboxSelectMultiple,
            "notice_date": DATE_WIDGET,
            "invited_organisations": forms.Textarea(attrs={"rows": 2}),
            "participation": forms.Textarea(attrs={"rows": 3}),
            "mode": forms.RadioSelect,
        }
        error_messages = {"notice_date": DATE_ERRORS}

    def __init__(self, *args, user, host, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.host = user, host
        self.overlaps: list[Session] = []
        self.unreadable_overlaps = 0
        # Plans of the host unit or of a unit above it: a district's plan binds its communes.
        self.fields["plan"].queryset = Plan.objects.visible_to(user).filter(
            unit__path__in=host.lineage_paths()
        )
        self.fields["attending_units"].queryset = host.subtree().active().order_by("path")
        self.fields["attending_units"].label_from_instance = lambda unit: unit.full_name
        self.fields["chairs"].queryset = (
            OfficeHolder.objects.filter(unit=host)
            .select_related("person", "position")
            .order_by("position__order", "-start_date")
        )
        self.fields["chairs"].label_from_instance = _holder_label
        # Today's kinds; a session of a 2019 kind keeps its own (history is not rewritten).
        kinds = [kind for kind in SessionKind if kind in CURRENT_KINDS]
        if self.instance.pk and self.instance.kind not in CURRENT_KINDS:
            kinds.append(SessionKind(self.instance.kind))
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        self.fields["dialogue_scope"].choices = [("", "—"), *DialogueScope.choices]
        self.fields["dialogue_scope"].help_text = _(
            "Dialogue conferences only: the whole unit, a cluster of villages, one village or "
            "a theme."
        )
        self.fields["mode"].choices = SessionMode.choices
        if self.instance.pk:
            self.initial["seen"] = history_count(self.instance)
            start = timezone.localtime(self.instance.starts_at)
            self.initial.update(
                day=start.date(),
                start_time=start.time(),
                end_time=timezone.localtime(self.instance.ends_at).time(),
            )
        else:
            self.initial.setdefault("kind", SessionKind.DIALOGUE)
            if host.level == UnitLevel.COMMUNE:
                self.initial.setdefault("attending_units", [host.pk])
            # The plan that covers today is the likely one.
            current = self.fields["plan"].queryset.covering(timezone.localdate()).first()
            if current:
                self.initial.setdefault("plan", current.pk)

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if error := times_error(start, end):
                self.add_error("end_time", error)
            else:
                data["starts_at"], data["ends_at"] = _local(day, start), _local(day, end)
        if data.get("kind") == SessionKind.DIALOGUE:
            if not data.get("dialogue_scope") and "dialogue_scope" not in self.errors:
                self.add_error(
                    "dialogue_scope",
                    gettext("Say who the dialogue conference is for: the whole unit, "
                            "a cluster of villages, one village or a theme."),
                )  # fmt: skip
        else:
            # Only a dialogue conference has a scope; a reception's is dropped, not kept hidden.
            data["dialogue_scope"] = ""
        plan = data.get("plan")
        if plan and day and (error := plan.day_error(day)):
            self.add_error("day", error)
        notice = data.get("notice_date")
        if notice and day and notice > day:
            self.add_error(
                "notice_date", gettext("Residents cannot be notified after the session.")
            )
        chairs = data.get("chairs")
        if chairs and day:
            holding = set(
                OfficeHolder.objects.filter(pk__in=[chair.pk for chair in chairs])
                .holding_on(day)
                .values_list("pk", flat=True)
            )
            for chair in chairs:
                if chair.pk not in holding:
                    self.add_error(
                        "chairs",
                        gettext("%(name)s does not hold the office of %(position)s on %(day)s.")
                        % {
                            "name": chair.person.full_name,
                            "position": chair.position.name,
                            "day": day.strftime("%d/%m/%Y"),
                        },
                    )
        if chairs and "starts_at" in data and not self.errors:
            booked = list(self._overlapping(chairs, data["starts_at"], data["ends_at"]))
            # Only sessions the user may open are named; the others are only counted.
            readable = set(
                Session.objects.visible_to(self.user)
                .filter(pk__in=[other.pk for other in booked])
                .values_list("pk", flat=True)
            )
            self.overlaps = [other for other in booked if other.pk in readable]
            self.unreadable_overlaps = len(booked) - len(self.overlaps)
            if booked and not data.get("confirm_overlap"):
                self.add_error(
                    "confirm_overlap",
                    gettext(
                        "A chair is booked into another session at that time; tick to confirm."
                    ),
                )
        return data

    def _overlapping(self, chairs, starts_at, ends_at):
        people = [chair.person_id for chair in chairs]
        others = (
            Session.objects.filter(
                chairs__person__in=people, starts_at__lt=ends_at, ends_at__gt=starts_at
            )
            .exclude(status=SessionStatus.CANCELLED)
            .select_related("host_unit")
            .distinct()
        )
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        return others

    @property
    def late_notice(self) -> tuple[int, datetime.date] | None:
        """(days of notice given, the last day to announce) when residents were notified after
        the deadline of the rule in force on the session's date; None when in time or no rule
        is in force (a 2019 session: Quy định 11-QĐi/TW set no such number)."""
        notice, day = self.cleaned_data.get("notice_date"), self.cleaned_data.get("day")
        kind = self.cleaned_data.get("kind")
        if not (notice and day and kind):
            return None
        book = RuleBook.load(day)
        deadline = book.announce_deadline(level=self.host.level, kind=kind, day=day)
        if deadline is not None and notice > deadline:
            return (day - notice).days, deadline
        return None

    def save(self, commit=True):
        session = super().save(commit=False)
        session.host_unit = self.host
        session.starts_at = self.cleaned_data["starts_at"]
        session.ends_at = self.cleaned_data["ends_at"]
        if not session.pk:
            session.created_by = self.user
        if commit:
            session.save()
            self.save_m2m()
        return session


class HeldForm(forms.Form):
    """What the officer logs once the session has taken place."""

    attendance_residents = forms.IntegerField(
        label=_("Residents attending"), min_value=0, max_value=100000
    )
    attendance_cadres = forms.IntegerField(
        label=_("Cadres attending"), min_value=0, max_value=100000
    )
    minutes_text = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=LONG_TEXT_MAX,  # printed in the minutes PDF, made while the user waits
    )
    minutes_file = forms.FileField(
        label=_("Scanned minutes (PDF, JPEG or PNG, at most 20 MB)"),
        required=False,
        validators=[validate_scan],
    )


class PostponeForm(forms.Form):
    day = PlausibleDateField(label=_("New date"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    start_time = forms.TimeField(
        label=_("Starts at"), widget=TIME_WIDGET, error_messages=TIME_ERRORS
    )
    end_time = forms.TimeField(label=_("Ends at"), widget=TIME_WIDGET, error_messages=TIME_ERRORS)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def clean(self):
        data = super().clean()
        if all(data.get(key) for key in ("day", "start_time", "end_time")):
            data["new_starts_at"] = _local(data["day"], data["start_time"])
            data["new_ends_at"] = _local(data["day"], data["end_time"])
        return data


class PublishForm(forms.Form):
    day = PlausibleDateField(
        label=_("Results made public on"), widget=DATE_WIDGET, error_messages=DATE_ERRORS,
        help_text=_("Posted at the office, sent to the village heads or published in the media."),
    )  # fmt: skip


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
