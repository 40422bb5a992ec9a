from django.contrib import admin

from .models import Obligation


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = (
        "title", "level", "position", "session_kind", "measure", "number", "working_days",
        "valid_from", "valid_to",
    )  # fmt: skip
    list_editable = ("number",)
    list_filter = ("level", "measure", "session_kind")
    search_fields = ("title", "legal_basis")
