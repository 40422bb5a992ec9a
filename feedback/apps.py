from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Opinions")

    def ready(self):
        # Every change is also in the audit log, with who made it and from which address.
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Opinion)
