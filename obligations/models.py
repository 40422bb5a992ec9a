"""The duties the dialogues answer to, as data (issue 12): who, what, how often, how soon.

Kết luận 215-KL/TW (23/11/2025), the 2025 law on local government and whatever replaces them are
rows of `Obligation`, managed in the admin with their legal basis as printed text. No number of
days or sessions is written in code: pages, reminders and reports read the rules in force.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import UnitLevel
from dialogues.models import SessionKind


class Measure(models.TextChoices):
    PER_MONTH = "per_month", _("At least N days a month")
    PER_YEAR = "per_year", _("At least N a year")
    ANNOUNCE_BEFORE = "announce_before", _("Announced at least N days before")
    PUBLISH_AFTER = "publish_after", _("Results made public within N days after")
    ACKNOWLEDGE_AFTER = "acknowledge_after", _("Each author told within N days after")


# Quotas are counted in a period; the others are deadlines of one session or one opinion.
QUOTAS = (Measure.PER_MONTH, Measure.PER_YEAR)
DEADLINES = (Measure.ANNOUNCE_BEFORE, Measure.PUBLISH_AFTER, Measure.ACKNOWLEDGE_AFTER)


class ObligationQuerySet(models.QuerySet):
    def in_force(self, day: datetime.date):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class Obligation(models.Model):
    """One rule: for units of a level (and, for a quota, the holder of an office), a kind of
    activity, how often or how soon."""

    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("For example: Người đứng đầu cấp ủy cấp xã tiếp công dân định kỳ"),
    )
    legal_basis = models.TextField(
        _("legal basis"),
        help_text=_("As printed in reports, e.g. Kết luận số 215-KL/TW ngày 23/11/2025"),
    )
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    position = models.ForeignKey(
        "communes.Position",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="obligations",
        null=True,
        blank=True,
        help_text=_("The office whose holder must do it (a quota); empty: the unit."),
    )
    session_kind = models.CharField(
        _("kind of activity"),
        max_length=16,
        choices=SessionKind.choices,
        blank=True,
        help_text=_("Empty: every kind."),
    )
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    working_days = models.BooleanField(
        _("in working days"),
        default=False,
        help_text=_("Count days as working days (weekends and public holidays do not count)."),
    )
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="obligation_period_order",
            ),
            models.CheckConstraint(condition=Q(number__gt=0), name="obligation_number_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_quota(self) -> bool:
        return self.measure in QUOTAS

    def applies_to_kind(self, kind: str) -> bool:
        return not self.session_kind or self.session_kind == kind
