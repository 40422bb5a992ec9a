from django.contrib import admin

from .models import Field


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "answer_days", "is_active")
    list_editable = ("order", "answer_days", "is_active")
    search_fields = ("name",)
