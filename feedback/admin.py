from django.contrib import admin

from .models import Field, Holiday


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "answer_days", "is_active")
    list_editable = ("order", "answer_days", "is_active")
    search_fields = ("name",)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("day", "name", "is_working_day")
    list_filter = ("is_working_day",)
    date_hierarchy = "day"
    search_fields = ("name",)
