from django.contrib import admin

from .models import Letterhead


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    list_display = ("unit", "parent_body", "issuing_body", "place", "signer_name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
