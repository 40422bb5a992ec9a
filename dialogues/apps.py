from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Plans and sessions")

    def ready(self):
        # Every change is also in the audit log, with who made it and from which address.
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Plan)
        auditlog.register(models.PlanTarget)
        auditlog.register(models.Document)
        auditlog.register(models.Session)
