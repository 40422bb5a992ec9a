from django.db import models
from django.utils.translation import gettext_lazy as _


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
