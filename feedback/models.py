import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communes.scope import ScopedQuerySet
from config.reference import reference
from config.workflow import TransitionNotAllowed  # noqa: F401 (raised by _require)

from .text import fold


class Field(models.Model):
    """A field (lĩnh vực) an opinion is about: đất đai, môi trường… A list administrators manage."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=100, help_text=_("Lower numbers are listed first.")
    )
    answer_days = models.PositiveSmallIntegerField(
        _("working days to answer"),
        null=True,
        blank=True,
        help_text=_("Deadline for forwarded opinions of this field; empty: the general default."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


def all_fields() -> list[Field]:
    """Every field, retired ones included, in the list's order: from the cache of reference
    tables (config/reference.py)."""
    return reference("fields", lambda: list(Field.objects.order_by("order", "name")))


class Holiday(models.Model):
    """A day off or a make-up working day of the official calendar. Deadlines in working days skip
    public holidays and count the Saturdays (or Sundays) worked in exchange for a bridged day off
    (04/05/2019, 22/08/2026). Pre-filled, edited by administrators."""

    day = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_working_day = models.BooleanField(
        _("make-up working day"),
        default=False,
        help_text=_(
            "A weekend day worked in exchange for a day off: deadlines count it as a working day."
        ),
    )

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} – {self.name}"


class OpinionKind(models.TextChoices):
    OPINION = "opinion", _("Opinion")
    PROPOSAL = "proposal", _("Proposal")
    REPORT = "report", _("Report")


class OpinionStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered at the session")
    FORWARDED = "forwarded", _("Forwarded")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    UNRESOLVABLE = "unresolvable", _("Cannot be resolved")
    DUPLICATE = "duplicate", _("Duplicate")


# Waiting for an agency's answer; past the deadline these are overdue.
AWAITING_AGENCY = (OpinionStatus.FORWARDED, OpinionStatus.IN_PROGRESS)
CLOSED = (
    OpinionStatus.ANSWERED,
    OpinionStatus.RESOLVED,
    OpinionStatus.UNRESOLVABLE,
    OpinionStatus.DUPLICATE,
)


def overdue_q(
    today: datetime.date | None = None, *, status: str = "status", deadline: str = "deadline"
) -> Q:
    """Waiting for an agency past the deadline. `status` and `deadline` name the columns to
    judge: an opinion's own, or its state on a past day (OpinionQuerySet.on_day)."""
    return Q(**{f"{status}__in": AWAITING_AGENCY, f"{deadline}__lt": today or timezone.localdate()})


# "Due soon": the deadline is today or within this many days (the home page, the agency's queue,
# the reminder e-mails).
DUE_SOON_DAYS = 3


def due_within_q(days: int, today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(
        status__in=AWAITING_AGENCY,
        deadline__gte=today,
        deadline__lte=today + datetime.timedelta(days=days),
    )


def due_soon_q(today: datetime.date | None = None) -> Q:
    return due_within_q(DUE_SOON_DAYS, today)


class OpinionQuerySet(ScopedQuerySet):
    unit_lookup = "unit"
    agency_lookup = "agency"

    def awaiting_agency(self):
        return self.filter(status__in=AWAITING_AGENCY)

    def needing_routing(self):
        """Waiting for an agency that a reorganisation ended or left without a unit of today:
        board staff forward these to an agency of today."""
        return self.filter(
            Q(agency__is_active=False) | Q(agency__unit__is_active=False),
            status__in=AWAITING_AGENCY,
        )

    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_q(today))

    def on_day(self, day: datetime.date):
        """Each opinion with its state at the end of `day` (Vietnam's time), from its timeline:
        `status_on`, `agency_on` (its id), `agency_name_on` and `deadline_on`, as the last event
        on that day or before left them. Its recording and its answer at the session took place
        at the session, whenever they were typed in, so they always count (`day` is never before
        the session in a report); every later step counts from the day it was recorded. One
        subquery per column, served by the timeline's (opinion, at) index."""
        from config.dates import on_or_before

        last = OpinionEvent.objects.filter(
            on_or_before("at", day) | Q(kind__in=AT_THE_SESSION), opinion=OuterRef("pk")
        ).order_by("-at", "-pk")
        return self.annotate(
            status_on=Coalesce(
                Subquery(last.values("to_status")[:1]),
                Value(OpinionStatus.NEW.value),
                output_field=models.CharField(),
            ),
            agency_on=Subquery(last.values("agency_id")[:1]),
            agency_name_on=Subquery(last.values("agency__name")[:1]),
            deadline_on=Subquery(last.values("deadline")[:1]),
        )

    def overdue_on(self, day: datetime.date):
        """Overdue at the end of `day` by their timelines, even if answered since."""
        return self.on_day(day).filter(overdue_q(day, status="status_on", deadline="deadline_on"))

    def due_within(self, days: int, today: datetime.date | None = None):
        """Awaiting an answer, not yet overdue, due in the next `days` days (today included)."""
        return self.filter(due_within_q(days, today))

    def due_soon(self, today: datetime.date | None = None):
        return self.filter(due_soon_q(today))

    def search(self, query: str, *, personal: bool = False):
        """Every word of the query, ignoring diacritics and case, in the searchable text; with
        `personal` (the user may see the person's data of every opinion they see, see
        feedback/personal.py), also in the person's name, phone and address."""
        words = fold(query).split()
        for word in words:
            if personal:
                self = self.filter(Q(search_text__contains=word) | Q(person_text__contains=word))
            else:
                self = self.filter(search_text__contains=word)
        return self

    def by_urgency(self, today: datetime.date | None = None):
        """Overdue first, then by deadline, then the rest; oldest first within each."""
        today = today or timezone.localdate()
        return self.annotate(
            urgency=Case(
                When(Q(status__in=AWAITING_AGENCY, deadline__lt=today), then=Value(0)),
                When(status__in=AWAITING_AGENCY, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("urgency", "deadline", "created_at", "pk")

    def for_list(self):
        return self.select_related(
            "session", "session__host_unit", "field", "agency", "hamlet", "unit"
        )


def opinion_code(unit_code: str, year: int, number: int) -> str:
    """An opinion's readable code: the host unit's official code, the session's year and the
    opinion's number among that unit's of the year ("12565-2019-028"), short enough to read out
    on the phone. The one format, used by new entries, the demo, the scale data and the
    migration that numbered the older ones."""
    return f"{unit_code}-{year}-{number:03d}"


class OpinionSequence(models.Model):
    """The last number given to an opinion of a host unit's sessions in a year. Locked while the
    next number is taken, so two entries at the same instant never get the same code."""

    unit = models.ForeignKey("communes.AdministrativeUnit", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="opinion_sequence_unit_year")
        ]

    def __str__(self):
        return f"{self.unit_id}/{self.year}: {self.last}"

    @classmethod
    def take(cls, *, unit, year: int, count: int = 1) -> list[str]:
        """The next `count` codes of the unit's opinions of the year. Call inside
        `transaction.atomic`: the row stays locked until the entry is saved."""
        sequence, _ = cls.objects.select_for_update().get_or_create(unit=unit, year=year)
        first = sequence.last + 1
        sequence.last += count
        sequence.save(update_fields=["last"])
        return [opinion_code(unit.code, year, n) for n in range(first, sequence.last + 1)]


class Opinion(models.Model):
    """An opinion, proposal or report a resident raised at a session, followed to its answer."""

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        editable=False,
        help_text=_("Read out to name the opinion: host unit's code, year, number."),
    )
    session = models.ForeignKey(
        "dialogues.Session",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    unit = models.ForeignKey(
        "communes.AdministrativeUnit",
        verbose_name=_("residents of"),
        on_delete=models.PROTECT,
        related_name="opinions",
        help_text=_("The unit whose residents raised it (for district sessions: their commune)."),
    )
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="opinions"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=OpinionKind.choices, default=OpinionKind.OPINION
    )
    content = models.TextField(_("content"))
    # The person's data (Luật Bảo vệ dữ liệu cá nhân): who sees it is feedback/personal.py's rule.
    raised_by = models.CharField(_("raised by"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)  # room for an erasure note
    address = models.CharField(_("address"), max_length=300, blank=True)
    # When the person's data was erased (on request or after the retention period); never again.
    personal_erased_at = models.DateTimeField(
        _("personal data erased at"), null=True, blank=True, editable=False
    )
    hamlet = models.ForeignKey(
        "communes.Hamlet",
        verbose_name=_("hamlet"),
        on_delete=models.PROTECT,
        related_name="opinions",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OpinionStatus.choices,
        default=OpinionStatus.NEW,
        db_index=True,
    )
    # Answered at the session
    session_answer = models.TextField(_("answer at the session"), blank=True)
    answered_by = models.CharField(
        _("answered by"), max_length=200, blank=True, help_text=_("Name and position.")
    )
    # Forwarded to an agency
    agency = models.ForeignKey(
        "communes.Agency",
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        related_name="opinions",
        null=True,
        blank=True,
    )
    deadline = models.DateField(_("answer deadline"), null=True, blank=True, db_index=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    # Its author told in writing that it was taken up or passed on (Kết luận 215-KL/TW).
    acknowledged_on = models.DateField(_("author told on"), null=True, blank=True, editable=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author told by"), on_delete=models.PROTECT,
        related_name="+", null=True, editable=False,
    )  # fmt: skip
    # Outcome
    answer = models.TextField(_("answer"), blank=True)
    answer_document_number = models.CharField(
        _("answering document number"), max_length=60, blank=True
    )
    answer_document_date = models.DateField(_("answering document date"), null=True, blank=True)
    unresolved_reason = models.TextField(_("why it cannot be resolved"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.PROTECT,
        related_name="duplicates",
        null=True,
        blank=True,
    )
    # Folded text (see folded_text): search ignores diacritics and case on every database.
    search_text = models.TextField(editable=False, default="")
    # The person's name, phone and address folded: searched only for those who may see them.
    person_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
        editable=False,
    )  # fmt: skip
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "status", "deadline"]),
            models.Index(fields=["status", "deadline"]),
            # The waiting ones by deadline: overdue lists and counts read only these.
            models.Index(
                fields=["deadline", "id"],
                condition=Q(status__in=AWAITING_AGENCY),
                name="opinion_awaiting_deadline",
            ),
            # The same within a scope (a province's units): counted without reading the rows.
            models.Index(
                fields=["unit", "deadline"],
                condition=Q(status__in=AWAITING_AGENCY),
                name="opinion_awaiting_unit",
            ),
            # A scope filtered by field, joined to its sessions' dates: read from the index alone.
            models.Index(fields=["unit", "field", "session"], name="opinion_unit_field_session"),
        ]

    def __str__(self):
        return f"{self.code} {self.content[:60]}"

    def save(self, *args, **kwargs):
        if not self.code:
            with transaction.atomic():
                session = self.session
                (self.code,) = OpinionSequence.take(
                    unit=session.host_unit, year=timezone.localtime(session.starts_at).year
                )
                self.search_text = self.folded_text()
                self.person_text = self.folded_person()
                super().save(*args, **kwargs)
            return
        self.search_text = self.folded_text()
        self.person_text = self.folded_person()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "person_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("feedback:opinion-detail", args=[self.pk])

    def folded_text(self) -> str:
        """What search looks in for everyone: the code, the content, the hamlet and the field.
        The person's data is apart (folded_person), so a name or a phone finds nothing for
        whoever may not see it."""
        hamlet = self.hamlet.name if self.hamlet_id else ""
        return fold(f"{self.code or ''} {self.content} {hamlet} {self.field.name}")

    def folded_person(self) -> str:
        """The person's name, phone (also without its spaces and dots) and address, folded."""
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return fold(f"{self.raised_by} {self.phone} {digits} {self.address}").strip()

    @property
    def is_overdue(self) -> bool:
        """overdue_q, for one opinion already loaded."""
        return (
            self.status in AWAITING_AGENCY
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    @property
    def awaiting_acknowledgement(self) -> bool:
        return self.acknowledged_on is None

    # --- the workflow: every change is an event in the timeline ---------------------------

    def _require(self, *transitions):
        """The state must allow one of these transitions of the workflow (feedback/workflow.py)."""
        from .workflow import OPINION_WORKFLOW

        OPINION_WORKFLOW.require(self.status, *transitions)

    def _record(self, kind, *, by, text="", **changes):
        old_status = self.status
        for name, value in changes.items():
            setattr(self, name, value)
        self.save()
        return OpinionEvent.objects.create(
            opinion=self, kind=kind, by=by, text=text, from_status=old_status,
            to_status=self.status, agency=self.agency, deadline=self.deadline,
        )  # fmt: skip

    @transaction.atomic
    def answer_at_session(self, *, answer: str, answered_by: str, by):
        self._require("answer")
        if not answer.strip():
            raise ValidationError({"session_answer": gettext("Write the answer given.")})
        return self._record(
            EventKind.ANSWERED, by=by, text=answer, status=OpinionStatus.ANSWERED,
            session_answer=answer.strip(), answered_by=answered_by.strip(),
            closed_at=timezone.now(),
        )  # fmt: skip

    @transaction.atomic
    def forward_to(self, agency, *, deadline: datetime.date | None = None, by, note: str = ""):
        """Send to an agency (or on to another one), with a deadline in working days."""
        from .deadlines import default_deadline

        self._require("forward", "reforward")
        if agency is None:
            raise ValidationError({"agency": gettext("Choose the agency responsible.")})
        if self.status in AWAITING_AGENCY and agency == self.agency:
            raise ValidationError({"agency": gettext("It is already with this agency.")})
        if deadline is None:
            deadline = default_deadline(
                session_date=self.session.start_date, field=self.field, agency=agency
            )
        elif deadline < self.session.start_date:
            raise ValidationError(
                {"deadline": gettext("The deadline cannot be before the session.")}
            )
        kind = EventKind.FORWARDED if self.status == OpinionStatus.NEW else EventKind.REFORWARDED
        return self._record(
            kind, by=by, text=note, status=OpinionStatus.FORWARDED, agency=agency,
            deadline=deadline, forwarded_at=timezone.now(),
        )  # fmt: skip

    @transaction.atomic
    def record_progress(self, *, note: str, by):
        self._require("progress")
        if not note.strip():
            raise ValidationError({"note": gettext("Write what has been done.")})
        return self._record(
            EventKind.PROGRESS, by=by, text=note.strip(), status=OpinionStatus.IN_PROGRESS
        )

    @transaction.atomic
    def resolve(self, *, answer: str, document_number: str, document_date, by):
        self._require("resolve")
        errors = {}
        if not answer.strip():
            errors["answer"] = gettext("Write the answer.")
        if document_date and document_date > timezone.localdate():
            errors["answer_document_date"] = gettext("The document date cannot be in the future.")
        if errors:
            raise ValidationError(errors)
        return self._record(
            EventKind.RESOLVED, by=by, text=answer.strip(), status=OpinionStatus.RESOLVED,
            answer=answer.strip(), answer_document_number=document_number.strip(),
            answer_document_date=document_date, closed_at=timezone.now(),
        )  # fmt: skip

    @transaction.atomic
    def mark_unresolvable(self, *, reason: str, by):
        self._require("unresolvable")
        if not reason.strip():
            raise ValidationError({"reason": gettext("Give the reason.")})
        return self._record(
            EventKind.UNRESOLVABLE, by=by, text=reason.strip(), status=OpinionStatus.UNRESOLVABLE,
            unresolved_reason=reason.strip(), closed_at=timezone.now(),
        )  # fmt: skip

    @transaction.atomic
    def reopen(self, *, reason: str, by):
        self._require("reopen")
        if not reason.strip():
            raise ValidationError({"reason": gettext("Give the reason for reopening.")})
        status = OpinionStatus.FORWARDED if self.agency_id else OpinionStatus.NEW
        return self._record(
            EventKind.REOPENED, by=by, text=reason.strip(), status=status, closed_at=None,
            duplicate_of=None,
        )  # fmt: skip

    @transaction.atomic
    def mark_duplicate(self, *, of, by):
        self._require("duplicate")
        if of is None or of.pk == self.pk:
            raise ValidationError({"duplicate_of": gettext("Choose another opinion.")})
        if of.duplicate_of_id:
            of = of.duplicate_of  # link to the original, never to another duplicate
        if of.unit_id != self.unit_id:
            # The same request raised twice by the same residents; another commune's opinion
            # would also show this one's number on that commune's page.
            raise ValidationError(
                {
                    "duplicate_of": gettext(
                        "Only an opinion of the residents of %(unit)s can be the original."
                    )
                    % {"unit": self.unit.full_name}
                }
            )
        return self._record(
            EventKind.DUPLICATE, by=by, text=of.code, status=OpinionStatus.DUPLICATE,
            duplicate_of=of, closed_at=timezone.now(),
        )  # fmt: skip

    @transaction.atomic
    def change_deadline(self, *, deadline: datetime.date, reason: str, by):
        self._require("deadline")
        if deadline < self.session.start_date:
            raise ValidationError(
                {"deadline": gettext("The deadline cannot be before the session.")}
            )
        if not reason.strip():
            raise ValidationError({"reason": gettext("Give the reason for the new deadline.")})
        return self._record(EventKind.DEADLINE, by=by, text=reason.strip(), deadline=deadline)

    @transaction.atomic
    def acknowledge(self, *, day: datetime.date, by):
        """Its author was told in writing on `day` that it was taken up or passed on."""
        self._require("acknowledge")
        if self.acknowledged_on is not None:
            raise ValidationError(
                gettext("Its author was already told on %(day)s.")
                % {"day": self.acknowledged_on.strftime("%d/%m/%Y")}
            )
        if day > timezone.localdate():
            raise ValidationError({"day": gettext("The date cannot be in the future.")})
        if day < self.session.start_date:
            raise ValidationError(
                {"day": gettext("The author cannot be told before the session (%(day)s).")
                 % {"day": self.session.start_date.strftime("%d/%m/%Y")}}
            )  # fmt: skip
        return self._record(
            EventKind.ACKNOWLEDGED, by=by, text=day.strftime("%d/%m/%Y"), acknowledged_on=day,
            acknowledged_by=by,
        )  # fmt: skip

    @transaction.atomic
    def correct(self, *, field, content: str, raised_by: str, hamlet, by, phone=None,
                address=None):  # fmt: skip
        """Put right what was written down; the timeline keeps what it said before, except the
        person's data: a timeline entry is read by more people than may see it, so it only says
        that the name, phone or address changed."""
        from .personal import PERSONAL_FIELDS
        from .services import opinion_unit_for

        new = {"field": field, "content": content.strip(), "raised_by": raised_by.strip(),
               "hamlet": hamlet}  # fmt: skip
        if phone is not None:
            new["phone"] = phone.strip()
        if address is not None:
            new["address"] = address.strip()
        changed = [name for name, value in new.items() if getattr(self, name) != value]
        if not changed:
            raise ValidationError(gettext("Nothing was changed."))
        before = "\n".join(
            f"{capfirst(self._meta.get_field(name).verbose_name)}: "
            + (gettext("(changed)") if name in PERSONAL_FIELDS else str(getattr(self, name) or "—"))
            for name in changed
        )
        if "hamlet" in changed:
            new["unit"] = opinion_unit_for(session=self.session, hamlet=hamlet, unit=self.unit)
        return self._record(
            EventKind.CORRECTED,
            by=by,
            text=gettext("Before: %(before)s") % {"before": before},
            **new,
        )


class EventKind(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    ANSWERED = "answered", _("Answered at the session")
    FORWARDED = "forwarded", _("Forwarded")
    REFORWARDED = "reforwarded", _("Forwarded to another agency")
    PROGRESS = "progress", _("Progress")
    RESOLVED = "resolved", _("Resolved")
    UNRESOLVABLE = "unresolvable", _("Cannot be resolved")
    REOPENED = "reopened", _("Reopened")
    DUPLICATE = "duplicate", _("Marked as a duplicate")
    DEADLINE = "deadline", _("Deadline changed")
    CORRECTED = "corrected", _("Corrected")
    ACKNOWLEDGED = "acknowledged", _("Author told in writing")


# What happened at the session itself, even when it was recorded later.
AT_THE_SESSION = (EventKind.RECORDED, EventKind.ANSWERED)


class OpinionEvent(models.Model):
    """One dated entry of an opinion's timeline: what changed, who did it, and the state after."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
        related_name="+", null=True,
    )  # fmt: skip
    from_status = models.CharField(max_length=16, choices=OpinionStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=OpinionStatus.choices)
    agency = models.ForeignKey(
        "communes.Agency", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    deadline = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "pk"]
        indexes = [
            # An opinion's last entry on or before a day: its state in a past period's report.
            models.Index(fields=["opinion", "at"], name="opinion_event_timeline"),
        ]

    def __str__(self):
        return f"{self.opinion_id}: {self.get_kind_display()}"


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed on request")
    EXPORT = "export", _("Exported")
    LOOKUP = "lookup", _("Looked up for the person")
    ERASE = "erase", _("Erased at the person's request")
    RETENTION = "retention", _("Erased after the retention period")


class PersonalDataAccess(models.Model):
    """One access to residents' personal data that the law asks to be logged: who, when, which
    opinions, why. Written by feedback/personal.py, read in the admin, never edited."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    # Kept as written: the log still says who it was after the account is gone.
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("what"), max_length=16, choices=AccessAction.choices)
    purpose = models.CharField(_("purpose"), max_length=500)
    opinion_ids = models.JSONField(_("opinions"), default=list)
    count = models.PositiveIntegerField(_("number of opinions"), default=0)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.username}"
