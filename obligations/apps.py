from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObligationsConfig(AppConfig):
    name = "obligations"
    verbose_name = _("Obligations")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Who changed a rule, and when: every page and report counts with it.
        auditlog.register(models.Obligation)
