import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import AdministrativeUnit, OfficeHolder, UnitLevel
from communes.scope import ScopedQuerySet
from config.dates import on_or_after, on_or_before

from .documents import validate_document_number


class DocumentType(models.Model):
    """A kind of Party or government document (KH, CV, QC…); administrators manage the list."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"


class DocumentQuerySet(ScopedQuerySet):
    unit_lookup = "unit"
    include_ancestors = True


class Document(models.Model):
    """A directive, regulation or decision that plans refer to (830-CV/HU, 07-QC/TU, 217-QĐ/TW)."""

    number = models.CharField(
        _("number"), max_length=40, validators=[validate_document_number], help_text="830-CV/HU"
    )
    doc_type = models.ForeignKey(
        DocumentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="documents"
    )
    issued_on = models.DateField(_("date issued"))
    issuer = models.CharField(_("issued by"), max_length=200)
    title = models.CharField(_("subject"), max_length=500)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("The unit whose committee or government issued it."),
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "issued_on"], name="document_unique_number"),
        ]

    def __str__(self):
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class PlanQuerySet(ScopedQuerySet):
    unit_lookup = "unit"
    include_ancestors = True

    def covering(self, day: datetime.date):
        return self.filter(period_start__lte=day, period_end__gte=day)


def plan_upload_path(plan, filename):
    return f"plans/{timezone.now():%Y/%m}/{secrets.token_hex(8)}-{filename}"


class Plan(models.Model):
    """A plan (Kế hoạch) for dialogues over a period, for a unit and the units below it."""

    number = models.CharField(
        _("number"), max_length=40, validators=[validate_document_number], help_text="55-KH/HU"
    )
    title = models.CharField(_("title"), max_length=500)
    issuing_body = models.CharField(
        _("issuing body"), max_length=200, help_text=_("For example: Ban Thường vụ Huyện ủy")
    )
    issued_on = models.DateField(_("date issued"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit covered"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    text = models.TextField(_("text"), blank=True)
    attachment = models.FileField(
        _("scanned document"), upload_to=plan_upload_path, blank=True, max_length=300
    )
    documents = models.ManyToManyField(
        Document, verbose_name=_("related documents"), blank=True, related_name="plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[documents])

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-period_start", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_order"
            ),
            models.UniqueConstraint(fields=["number", "issued_on"], name="plan_unique_number"),
        ]

    def __str__(self):
        return f"{self.number} – {self.title}"

    def get_absolute_url(self):
        return reverse("dialogues:plan-detail", args=[self.pk])

    def covers(self, day: datetime.date) -> bool:
        return self.period_start <= day <= self.period_end

    def day_error(self, day: datetime.date) -> str | None:
        """Why a session of this plan cannot be held on `day`, or None: the one home of the rule
        that the schedule form, the postponement and the services all apply."""
        if self.covers(day):
            return None
        return gettext("The date must be within the plan's period, %(start)s to %(end)s.") % {
            "start": self.period_start.strftime("%d/%m/%Y"),
            "end": self.period_end.strftime("%d/%m/%Y"),
        }


def times_error(starts, ends) -> str | None:
    """Why a session cannot run from `starts` to `ends`, or None (forms and services alike)."""
    return gettext("The end must be after the start.") if ends <= starts else None


class TargetQuerySet(ScopedQuerySet):
    unit_lookup = "unit"


class PlanTarget(models.Model):
    """How many sessions of a level a unit must hold within a period, under a plan."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="plan_targets",
    )
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    sessions_required = models.PositiveSmallIntegerField(_("sessions required"), default=1)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "level", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit", "level", "period_start", "period_end"],
                name="target_unique",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="target_period_order"
            ),
            models.CheckConstraint(condition=Q(sessions_required__gte=1), name="target_positive"),
        ]

    def __str__(self):
        return f"{self.unit}: {self.sessions_required} ({self.get_level_display()})"


class SessionKind(models.TextChoices):
    """What a session is. The first three are those of today's rules (the 2025 law on local
    government, Kết luận 215-KL/TW); the last two are Quy định 11-QĐi/TW's, kept for history."""

    DIALOGUE = "dialogue", _("Dialogue conference")
    RECEPTION = "reception", _("Periodic citizen reception")
    AD_HOC_RECEPTION = "ad_hoc_reception", _("Ad-hoc citizen reception")
    REGULAR = "regular", _("Regular")
    AD_HOC = "ad_hoc", _("Ad hoc")


# The kinds a new session may take; the 2019 kinds stay on the sessions that have them.
CURRENT_KINDS = (SessionKind.DIALOGUE, SessionKind.RECEPTION, SessionKind.AD_HOC_RECEPTION)


class DialogueScope(models.TextChoices):
    """Who a dialogue conference is for (Luật Tổ chức chính quyền địa phương 2025)."""

    UNIT = "unit", _("The whole unit")
    CLUSTER = "cluster", _("A cluster of villages")
    HAMLET = "hamlet", _("One village")
    THEME = "theme", _("A theme")


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    BOTH = "both", _("In person and online")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# Still to take place: upcoming lists, reminders, the plan's coverage ("scheduled"), editing.
SCHEDULED = (SessionStatus.PLANNED, SessionStatus.POSTPONED)
# How long after its start a session without results is still shown as waiting for them.
RESULTS_EXPECTED_DAYS = datetime.timedelta(days=60)


class SessionQuerySet(ScopedQuerySet):
    unit_lookup = "host_unit"

    def held(self):
        return self.filter(status=SessionStatus.HELD)

    def starting_between(self, start: datetime.date, end: datetime.date):
        """Sessions that start on a day from start to end, both included, in Vietnam's time."""
        return self.filter(on_or_after("starts_at", start), on_or_before("starts_at", end))

    def scheduled(self):
        """Planned or postponed: still to take place."""
        return self.filter(status__in=SCHEDULED)

    def upcoming(self, *, now=None, within: datetime.timedelta | None = None):
        """Still to take place and not yet started; with `within`, starting within that time."""
        now = now or timezone.now()
        upcoming = self.scheduled().filter(starts_at__gte=now)
        return upcoming.filter(starts_at__lte=now + within) if within else upcoming

    def awaiting_results(self, now=None):
        """Started but not yet recorded as held, or held with no opinion entered yet.

        Only those started in the last RESULTS_EXPECTED_DAYS: the officer's job of the week, not
        an old session where residents raised nothing.
        """
        now = now or timezone.now()
        recent = Q(starts_at__lte=now, starts_at__gte=now - RESULTS_EXPECTED_DAYS)
        opinions = models.Exists(
            self.model.opinions.rel.related_model.objects.filter(session=models.OuterRef("pk"))
        )
        not_logged = Q(status__in=[SessionStatus.PLANNED, SessionStatus.POSTPONED])
        return (
            self.filter(recent)
            .alias(has_opinions=opinions)
            .filter(not_logged | Q(status=SessionStatus.HELD, has_opinions=False))
        )

    def for_list(self):
        """What a list row shows, in a fixed number of queries."""
        return self.select_related("host_unit", "plan").prefetch_related(*list_prefetches())


def list_prefetches():
    """What a session's list row shows beside its own row (its chairs and residents), for
    for_list or prefetch_related_objects over several lists at once."""
    chairs = OfficeHolder.objects.select_related("person", "position")
    return ("attending_units", models.Prefetch("chairs", queryset=chairs))


def minutes_upload_path(session, filename):
    return f"minutes/{timezone.now():%Y/%m}/{secrets.token_hex(8)}-{filename}"


class Session(models.Model):
    """A direct contact and dialogue session (hội nghị tiếp xúc, đối thoại trực tiếp)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="sessions"
    )
    level = models.CharField(
        _("level"), max_length=16, choices=UnitLevel.choices, editable=False, db_index=True
    )
    host_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("host unit"),
        on_delete=models.PROTECT,
        related_name="hosted_sessions",
    )
    attending_units = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("residents of"),
        related_name="attended_sessions",
        help_text=_("The unit(s) whose residents are invited."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=SessionKind.choices, default=SessionKind.REGULAR,
        db_index=True,
    )  # fmt: skip
    dialogue_scope = models.CharField(
        _("for"), max_length=16, choices=DialogueScope.choices, blank=True,
        help_text=_("Dialogue conferences: the whole unit, villages or a theme."),
    )  # fmt: skip
    mode = models.CharField(
        _("form"), max_length=16, choices=SessionMode.choices, default=SessionMode.IN_PERSON
    )
    participation = models.TextField(
        _("how to take part"), blank=True, max_length=2000,
        help_text=_("As announced to residents: who may come, how to register, the online link."),
    )  # fmt: skip
    topic = models.CharField(_("topic"), max_length=500)
    venue = models.CharField(_("venue"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    chairs = models.ManyToManyField(
        "communes.OfficeHolder", verbose_name=_("chaired by"), related_name="chaired_sessions"
    )
    invited_organisations = models.TextField(
        _("invited organisations"),
        blank=True,
        help_text=_("For example: Ủy ban MTTQ, Hội Nông dân, Hội Phụ nữ, Đoàn Thanh niên"),
    )
    notice_date = models.DateField(
        _("residents notified on"), null=True, blank=True, help_text=_("dd/mm/yyyy")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SessionStatus.choices,
        default=SessionStatus.PLANNED,
        editable=False,
        db_index=True,
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, editable=False)
    # The results made public (posted at the office, sent to village heads, in the media).
    results_published_on = models.DateField(
        _("results made public on"), null=True, blank=True, editable=False
    )
    results_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("results made public by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    attendance_residents = models.PositiveIntegerField(
        _("residents attending"), null=True, blank=True
    )
    attendance_cadres = models.PositiveIntegerField(_("cadres attending"), null=True, blank=True)
    minutes_text = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(
        _("scanned minutes"), upload_to=minutes_upload_path, blank=True, max_length=300
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    logged_at = models.DateTimeField(_("logged at"), null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SessionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[attending_units, chairs])

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["host_unit", "starts_at"]),
            # Lists newest first, and opinions listed by their session's date.
            models.Index(fields=["starts_at"], name="session_starts_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.topic} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    def save(self, *args, **kwargs):
        # The level is the host's tier: a district-level session is hosted by a district.
        self.level = self.host_unit.level
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("dialogues:session-detail", args=[self.pk])

    @property
    def start_date(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.starts_at

    @property
    def is_open(self) -> bool:
        return self.status in SCHEDULED

    @property
    def results_public(self) -> bool:
        return self.results_published_on is not None

    @property
    def results_not_public(self) -> bool:
        return self.results_published_on is None

    @property
    def scope_label(self) -> str:
        """Who a dialogue conference is for, or "" (other kinds have no scope)."""
        return self.get_dialogue_scope_display() if self.dialogue_scope else ""


class Postponement(models.Model):
    """A session moved to a later date: the old date stays on record with the reason."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="postponements"
    )
    old_starts_at = models.DateTimeField(_("was to start at"))
    old_ends_at = models.DateTimeField(_("was to end at"))
    new_starts_at = models.DateTimeField(_("now starts at"))
    new_ends_at = models.DateTimeField(_("now ends at"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("postponement")
        verbose_name_plural = _("postponements")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.session_id}: {self.old_starts_at:%d/%m/%Y} → {self.new_starts_at:%d/%m/%Y}"


class CalendarFeed(models.Model):
    """A private address for a user's calendar feed; regenerating it cuts off the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user}"

    @classmethod
    def for_user(cls, user):
        feed, _ = cls.objects.get_or_create(user=user, defaults={"token": cls.new_token()})
        return feed

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    def regenerate(self):
        self.token = self.new_token()
        self.save(update_fields=["token", "created_at"])
