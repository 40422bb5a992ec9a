from django.db import models
from django.utils.translation import gettext_lazy as _


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
