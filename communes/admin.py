from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .forms import ReorganisationForm
from .models import AdministrativeUnit, Agency, Hamlet, OfficeHolder, Person, Position, Succession
from .services import ReorganisationRefused, reorganisation_apply


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
    change_list_template = "admin/communes/administrativeunit/change_list.html"

    def get_urls(self):
        reorganise = self.admin_site.admin_view(self.reorganise_view)
        return [
            path("reorganise/", reorganise, name="communes_administrativeunit_reorganise"),
            *super().get_urls(),
        ]

    def reorganise_view(self, request):
        """Apply a reorganisation: the files are checked and previewed (a dry run through the
        same service as the command), then applied only when the administrator confirms."""
        if not self.has_change_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = ReorganisationForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Apply a reorganisation"),
            "opts": self.model._meta,
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            confirmed = "confirm" in request.POST
            try:
                result = reorganisation_apply(
                    mapping=data["mapping_text"], agencies=data["agencies_text"],
                    decision=data["decision"], effective_on=data["effective_on"],
                    dry_run=not confirmed,
                )  # fmt: skip
            except ReorganisationRefused as refused:
                context["problems"] = refused.problems
            else:
                if confirmed:
                    messages.success(
                        request, _("The reorganisation is applied: %(count)d changes.")
                        % {"count": len(result.changes)},
                    )  # fmt: skip
                    return redirect(reverse("admin:communes_administrativeunit_changelist"))
                context["result"] = result
                context["confirm_form"] = ReorganisationForm(
                    initial={
                        "decision": data["decision"], "effective_on": data["effective_on"],
                        "mapping_text": data["mapping_text"],
                        "agencies_text": data["agencies_text"],
                    }
                )  # fmt: skip
        return TemplateResponse(request, "admin/communes/reorganise.html", context)


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    """Read only: successions are made by a reorganisation, never typed in."""

    list_display = ("predecessor", "successor", "share", "decision", "effective_on")
    list_filter = ("effective_on", "share")
    list_select_related = ("predecessor", "successor")
    search_fields = ("predecessor__name", "successor__name", "decision")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
