import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.scope import ScopedQuerySet
from config.text import LONG_TEXT_MAX


class SigningConvention(models.TextChoices):
    """How a Party document is signed (Hướng dẫn 36-HD/VPTW): the title alone when the head signs
    for a body led by one person; T/M only for a collective body (a committee's standing board);
    K/T for a deputy signing for the head; TL and TUQ when the head has delegated."""

    TITLE = "title", _("The title alone (e.g. TRƯỞNG BAN)")
    ON_BEHALF = "tm", _("T/M – on behalf of a collective body")
    DEPUTY = "kt", _("K/T – a deputy for the head")
    BY_ORDER = "tl", _("TL – by order")
    BY_AUTHORITY = "tuq", _("TUQ – by authority")


SIGNING_PREFIX = {"tm": "T/M", "kt": "K/T", "tl": "TL.", "tuq": "TUQ."}


def signature_lines(signing: str, authority: str, title: str) -> tuple[str, ...]:
    """The lines above the signature: "T/M BAN THƯỜNG VỤ" / "BÍ THƯ", or "TRƯỞNG BAN" alone."""
    prefix = SIGNING_PREFIX.get(signing)
    title = title.strip().upper()
    if prefix is None or not authority.strip():
        return (title,)
    return (f"{prefix} {authority.strip().upper()}", title)


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
    signing = models.CharField(
        _("how the report is signed"), max_length=8, choices=SigningConvention.choices,
        default=SigningConvention.TITLE,
    )  # fmt: skip
    signer_authority = models.CharField(
        _("signing on behalf of"), max_length=200, blank=True,
        help_text=_("For T/M, K/T, TL and TUQ: whom the signer signs for, e.g. BAN THƯỜNG VỤ."),
    )  # fmt: skip
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


class ReportStage(models.TextChoices):
    """Where the report stands as a document (reports/workflow.py declares the steps)."""

    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    SIGNED = "signed", _("Signed copy attached")


class ReportStatus(models.TextChoices):
    """Where the issued report's PDF stands (made by the worker once, from the frozen content)."""

    IDLE = "idle", _("Not made")
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


def signed_upload_path(report, filename):
    # The file is kept as given (a digitally signed PDF must not change by a byte); its name is
    # ours, its extension the one the upload helper accepted.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "pdf"
    return f"reports/signed/{timezone.now():%Y/%m}/{report.pk}-{secrets.token_hex(6)}.{extension}"


class Report(models.Model):
    """A periodic report on the dialogues of a unit: a draft, then issued, then signed.

    A draft is computed from the records whenever it is shown. Issuing stores the document
    (figures and words, `content`) with the report; from then on it is laid out from that, never
    computed again, and the worker makes its PDF once. The signed copy is kept as it was given.
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
    stage = models.CharField(
        _("stage"), max_length=8, choices=ReportStage.choices, default=ReportStage.DRAFT,
        db_index=True,
    )  # fmt: skip
    # The body that issues it, as its letterhead names it: a number is unique per body.
    issuer = models.CharField(_("issuing body"), max_length=410, blank=True)
    number = models.CharField(_("number"), max_length=40, blank=True, help_text="12-BC/BDVHU")
    place = models.CharField(_("place"), max_length=100, blank=True)
    report_date = models.DateField(_("date of the report"), null=True, blank=True)
    signing = models.CharField(
        _("how the report is signed"), max_length=8, choices=SigningConvention.choices,
        default=SigningConvention.TITLE,
    )  # fmt: skip
    signer_authority = models.CharField(_("signing on behalf of"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    recipients = models.TextField(_("recipients"), max_length=2000, blank=True)
    # The narrative, edited beside the figures. The two generated paragraphs are printed as
    # generated while these are empty.
    opening = models.TextField(_("opening paragraph"), blank=True, max_length=LONG_TEXT_MAX)
    summary = models.TextField(_("summary of the opinions"), blank=True, max_length=LONG_TEXT_MAX)
    strengths = models.TextField(_("strengths"), blank=True, max_length=LONG_TEXT_MAX)
    shortcomings = models.TextField(
        _("shortcomings and their causes"), blank=True, max_length=LONG_TEXT_MAX
    )
    tasks = models.TextField(_("tasks for the next period"), blank=True, max_length=LONG_TEXT_MAX)
    proposals = models.TextField(_("proposals"), blank=True, max_length=LONG_TEXT_MAX)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    content = models.JSONField(_("issued content"), null=True, blank=True, editable=False)
    replaces = models.ForeignKey(
        "self", verbose_name=_("replaces"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="corrections",
    )  # fmt: skip
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    signed_file = models.FileField(
        _("signed copy"), upload_to=signed_upload_path, blank=True, max_length=300
    )
    signed_at = models.DateTimeField(_("signed copy attached at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.IDLE,
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
            # Two reports of one body never share a number, even when issued at the same instant.
            models.UniqueConstraint(
                fields=["issuer", "number"],
                condition=~models.Q(number=""),
                name="report_number_once_per_body",
            ),
            models.CheckConstraint(
                condition=models.Q(stage=ReportStage.DRAFT) | ~models.Q(number=""),
                name="report_issued_has_number",
            ),
        ]

    def __str__(self):
        return f"{self.label} – {self.unit} ({self.start:%d/%m/%Y}–{self.end:%d/%m/%Y})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reports:report-detail", args=[self.pk])

    @property
    def label(self) -> str:
        """Its number, or "Dự thảo" while it has none."""
        return self.number or str(ReportStage.DRAFT.label)

    @property
    def recipient_lines(self):
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @property
    def signer_lines(self) -> tuple[str, ...]:
        return signature_lines(self.signing, self.signer_authority, self.signer_title)

    @property
    def is_draft(self) -> bool:
        return self.stage == ReportStage.DRAFT

    @property
    def may_be_corrected(self) -> bool:
        """Issued and not yet corrected by another report (one correction at a time)."""
        return not self.corrections.exists()

    @property
    def replaced_by(self):
        """The issued report that replaces this one, if any."""
        return self.corrections.exclude(stage=ReportStage.DRAFT).order_by("issued_at").first()

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.READY, ReportStatus.FAILED)

    @property
    def has_pdf(self) -> bool:
        return self.status == ReportStatus.READY and bool(self.file)

    @property
    def pdf_failed(self) -> bool:
        return self.status == ReportStatus.FAILED


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
