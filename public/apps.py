from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public pages")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Who published or withdrew what, and when, in the audit log with every other change.
        auditlog.register(models.SessionPublication, exclude_fields=["version"])
        auditlog.register(models.OpinionPublication, exclude_fields=["search_text"])
