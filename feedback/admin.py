from django.contrib import admin

from .models import Field, Holiday, PersonalDataAccess


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


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The log is read, never written or changed by hand."""

    list_display = ("at", "username", "action", "count", "purpose")
    list_filter = ("action",)
    search_fields = ("username", "purpose")
    date_hierarchy = "at"
    readonly_fields = ("at", "user", "username", "action", "purpose", "opinion_ids", "count")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
