import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.scope import ScopedQuerySet
from config.text import LONG_TEXT_MAX


class Letterhead(models.Model):
    """How a unit's reports are headed and signed (Hướng dẫn 36-HD/VPTW).

    Requesting a report pre-fills from here: "HUYỆN ỦY VŨ THƯ" over "BAN DÂN VẬN", the place in
    the date line, the signature block and the recipients ("Nơi nhận").
    """

    unit = models.OneToOneField(
        "communes.AdministrativeUnit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="letterhead",
    )
    parent_body = models.CharField(
        _("parent body"), max_length=200, help_text=_("For example: HUYỆN ỦY VŨ THƯ")
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=200, help_text=_("For example: BAN DÂN VẬN")
    )
    place = models.CharField(_("place"), max_length=100, help_text=_("For example: Vũ Thư"))
    signer_authority = models.CharField(
        _("signing on behalf of"), max_length=200, help_text=_("For example: T/M BAN DÂN VẬN")
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=200, help_text=_("For example: TRƯỞNG BAN")
    )
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    recipients = models.TextField(
        _("recipients"), help_text=_("One recipient per line, as printed under “Nơi nhận”.")
    )

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self):
        return f"{self.issuing_body} – {self.parent_body}"

    @property
    def recipient_lines(self):
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    SIX_MONTHS = "six_months", _("First 6 months")
    NINE_MONTHS = "nine_months", _("First 9 months")
    YEAR = "year", _("Year")
    CUSTOM = "custom", _("Date range")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RENDERING = "rendering", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReportQuerySet(ScopedQuerySet):
    unit_lookup = "unit"

    def stuck(
        self, older_than: datetime.timedelta, rendering_for: datetime.timedelta | None = None
    ):
        """Queued for longer than `older_than`, or left rendering by a lost worker for longer
        than a render may take (`rendering_for`, by default the same)."""
        now = timezone.now()
        return self.filter(
            models.Q(status=ReportStatus.QUEUED, queued_at__lt=now - older_than)
            | models.Q(
                status=ReportStatus.RENDERING, started_at__lt=now - (rendering_for or older_than)
            )
        )


def report_upload_path(report, filename):
    return f"reports/{timezone.now():%Y/%m}/{report.pk}-{secrets.token_hex(6)}.pdf"


class Report(models.Model):
    """A periodic report on the dialogues of a unit, made as a PDF by a worker.

    The row is created with its parameters before anything is queued; the worker fills in the
    file and the status. The figures are always computed from the records when it is made.
    """

    unit = models.ForeignKey(
        "communes.AdministrativeUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    period_kind = models.CharField(_("period"), max_length=16, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    number = models.CharField(_("number"), max_length=40, help_text="12-BC/BDVHU")
    place = models.CharField(_("place"), max_length=100)
    report_date = models.DateField(_("date of the report"))
    signer_authority = models.CharField(_("signing on behalf of"), max_length=200)
    signer_title = models.CharField(_("signer's title"), max_length=200)
    signer_name = models.CharField(_("signer's name"), max_length=200)
    recipients = models.TextField(_("recipients"), max_length=2000)
    assessment = models.TextField(_("assessment"), blank=True, max_length=LONG_TEXT_MAX)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED,
        db_index=True,
    )  # fmt: skip
    file = models.FileField(_("file"), upload_to=report_upload_path, blank=True, max_length=300)
    error = models.TextField(_("what went wrong"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT,
        related_name="reports", null=True,
    )  # fmt: skip
    queued_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-queued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="report_period_order"
            ),
        ]

    def __str__(self):
        return f"{self.number} – {self.unit} ({self.start:%d/%m/%Y}–{self.end:%d/%m/%Y})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reports:report-detail", args=[self.pk])

    @property
    def recipient_lines(self):
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.READY, ReportStatus.FAILED)


class ReminderLog(models.Model):
    """One reminder sent: the same event never reminds the same person twice."""

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    recipient = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "recipient"], name="reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id} → {self.recipient}"
