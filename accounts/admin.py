from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "role", "unit", "agency", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("unit", "agency")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("unit", "agency")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ("role", "unit", "agency", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ("role", "unit", "agency")}),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Administrators read the audit log; nobody adds, changes or deletes it."""

    list_display = ("at", "kind", "username", "address", "detail")
    list_filter = ("kind",)
    search_fields = ("username", "address", "detail")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
