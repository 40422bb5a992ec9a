from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Opinions")

    def ready(self):
        # Every change is also in the audit log, with who made it and from which address.
        from auditlog.registry import auditlog

        from . import models

        # Not the person's data: the audit log is read by more people than may see it, and it
        # would keep what an erasure removes (feedback/personal.py).
        auditlog.register(
            models.Opinion,
            exclude_fields=["raised_by", "phone", "address", "search_text", "person_text"],
        )
