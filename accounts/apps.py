from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        from auditlog.registry import auditlog

        from . import audit, middleware  # noqa: F401 - connect the sign-in signals
        from .models import User

        # Where a user works: a reorganisation moves users, and the audit log says so.
        auditlog.register(User, include_fields=["unit", "agency", "role", "is_active"])
