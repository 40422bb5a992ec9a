from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = _("Units and office holders")

    def ready(self):
        # A reorganisation changes these row by row, so every change is in the audit log.
        from auditlog.registry import auditlog

        from . import models, signals  # noqa: F401 - signals: the moved users' notice

        auditlog.register(models.AdministrativeUnit, exclude_fields=["path", "numchild"])
        auditlog.register(models.Succession)
        auditlog.register(models.Hamlet)
        auditlog.register(models.OfficeHolder)
        auditlog.register(models.Agency)
