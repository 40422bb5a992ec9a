from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import AdministrativeUnit, Agency, Hamlet, OfficeHolder, Person, Position


class HamletInline(admin.TabularInline):
    model = Hamlet
    extra = 0


class OfficeHolderInline(admin.TabularInline):
    model = OfficeHolder
    extra = 0
    autocomplete_fields = ("person", "position")


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(TreeAdmin):
    form = movenodeform_factory(AdministrativeUnit)
    list_display = ("name", "kind", "code", "is_active", "ended_on")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    inlines = (HamletInline, OfficeHolderInline)


@admin.register(Hamlet)
class HamletAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "commune", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("commune",)
    search_fields = ("name", "commune__name")
    autocomplete_fields = ("commune",)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "order", "is_head")
    list_editable = ("order", "is_head")
    search_fields = ("name",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    search_fields = ("full_name",)
    list_display = ("full_name", "phone", "email")


@admin.register(OfficeHolder)
class OfficeHolderAdmin(admin.ModelAdmin):
    list_display = ("person", "position", "unit", "start_date", "end_date")
    list_filter = ("position",)
    list_select_related = ("person", "position", "unit")
    search_fields = ("person__full_name", "unit__name")
    autocomplete_fields = ("person", "position", "unit")
    date_hierarchy = "start_date"


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "unit", "email", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("unit",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("unit",)
