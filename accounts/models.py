from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BOARD_STAFF = "board_staff", _("Board staff")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    AGENCY_RESPONDER = "agency_responder", _("Agency responder")
    LEADER = "leader", _("Leader")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that may change records within their scope; leaders only read.
WRITING_ROLES = frozenset({Role.BOARD_STAFF, Role.COMMUNE_OFFICER, Role.AGENCY_RESPONDER})


class User(AbstractUser):
    """A person who signs in: where they work (unit or agency) and what they do (role)."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "communes.AdministrativeUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The user sees this unit and every unit below it."),
    )
    agency = models.ForeignKey(
        "communes.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responders",
        help_text=_("For agency responders: the agency whose assigned opinions they handle."),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Set by a reorganisation that moved the user out of an ended unit; cleared once they are told.
    moved_from = models.ForeignKey(
        "communes.AdministrativeUnit",
        verbose_name=_("moved from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        if self.role == Role.AGENCY_RESPONDER and not self.agency_id:
            raise ValidationError({"agency": _("An agency responder must belong to an agency.")})
        if self.role in (Role.BOARD_STAFF, Role.COMMUNE_OFFICER, Role.LEADER) and not self.unit_id:
            raise ValidationError({"unit": _("This role needs a unit.")})

    def save(self, *args, **kwargs):
        # The Django admin is the administrators' tool; nobody else gets into it.
        self.is_staff = self.is_superuser or self.role == Role.ADMINISTRATOR
        super().save(*args, **kwargs)

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def can_write(self) -> bool:
        return self.is_active and self.role in WRITING_ROLES


class AuditKind(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Failed login")
    REFUSED = "refused", _("Access refused")


class AuditEvent(models.Model):
    """Who signed in or was refused, when, and from which address. Written, never edited."""

    kind = models.CharField(_("what"), max_length=16, choices=AuditKind.choices, db_index=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.CharField(_("from address"), max_length=45, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()} {self.username}"
