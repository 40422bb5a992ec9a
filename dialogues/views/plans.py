"""Plans, the documents they refer to, and their targets.

Everyone who reads plans sees those of their unit, of the units below and of the units above
(a commune officer reads the district's plan). Only board staff change them, and only plans
and documents of their own unit or below: a district cannot edit the province's plan.
"""

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import allow
from communes.models import AdministrativeUnit, UnitLevel
from config.concurrency import changed_since, lock
from config.history import history_count, history_entries
from config.parsing import as_id

from ..access import PLAN_EDITORS, READERS, SESSION_EDITORS
from ..forms_plans import (
    BulkTargetForm,
    DocumentForm,
    DocumentSearchForm,
    PlanForm,
    PlanSearchForm,
    TargetForm,
)
from ..models import Document, Plan, PlanTarget, Session, SessionStatus
from ..selectors import plan_for

PLANS_PER_PAGE = 20
DOCUMENTS_PER_PAGE = 20
SESSIONS_ON_PLAN_PAGE = 20
HISTORY_ON_PLAN_PAGE = 30


def may_edit(user, unit) -> bool:
    """Board staff change plans and documents of their own unit and below, not those above."""
    return (
        user.role in PLAN_EDITORS
        and user.unit_id is not None
        and (user.sees_everything or unit.is_within(user.unit))
    )


def _editable(user, obj):
    if not may_edit(user, obj.unit):
        raise PermissionDenied
    return obj


# Plans


@allow(*READERS)
@require_safe
def plan_list(request):
    form = PlanSearchForm(request.GET or None)
    plans = form.filter(Plan.objects.visible_to(request.user)).select_related("unit")
    page = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    # Session counts only from the sessions the user may see, in one grouped query.
    counts = {
        row["plan"]: row
        for row in Session.objects.visible_to(request.user)
        .filter(plan__in=[plan.pk for plan in page.object_list])
        .values("plan")
        .annotate(
            held=Count("pk", filter=Q(status=SessionStatus.HELD)),
            planned=Count("pk", filter=~Q(status=SessionStatus.CANCELLED)),
        )
    }
    for plan in page.object_list:
        row = counts.get(plan.pk, {})
        plan.sessions_held, plan.sessions_planned = row.get("held", 0), row.get("planned", 0)
    context = {
        "page": page,
        "form": form,
        "can_create": request.user.role in PLAN_EDITORS,
    }
    return render(request, "dialogues/plan_list.html", context)


@allow(*READERS)
@require_safe
def plan_detail(request, pk):
    return _render_plan_detail(request, plan_for(request.user, pk))


def _render_plan_detail(request, plan, *, target_form=None, bulk_form=None):
    user = request.user
    can_edit = may_edit(user, plan.unit)
    targets = (
        PlanTarget.objects.visible_to(user)
        .filter(plan=plan)
        .select_related("unit")
        # Levels from the top: the province's targets, the district's, then the communes'.
        .order_by("unit__depth", "unit__path", "period_start")
    )
    by_level = {level: [] for level in UnitLevel.values}
    for target in targets:
        by_level[target.level].append(target)
    sessions = Session.objects.visible_to(user).filter(plan=plan)
    context = {
        "plan": plan,
        "can_edit": can_edit,
        "can_schedule": user.role in SESSION_EDITORS,
        "documents": Document.objects.visible_to(user)
        .filter(plans=plan)
        .select_related("doc_type"),
        "target_groups": [
            (UnitLevel(level).label, rows) for level, rows in by_level.items() if rows
        ],
        "sessions": sessions.select_related("host_unit").order_by("starts_at")[
            :SESSIONS_ON_PLAN_PAGE
        ],
        "session_count": sessions.count(),
        "history": _history(plan, user=user),
    }
    if can_edit:
        context["target_form"] = target_form or TargetForm(plan=plan, user=user)
        context["bulk_form"] = bulk_form or BulkTargetForm(plan=plan, user=user)
    return render(request, "dialogues/plan_detail.html", context)


def _history(plan, *, user):
    """The plan's changes, newest first: who, when, and each field's old and new value; and
    the targets deleted from it, which leave the target table without a trace."""
    records = list(
        plan.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_ON_PLAN_PAGE + 1
        ]
    )
    entries = _plan_entries(records, user=user)
    deleted = (
        PlanTarget.history.filter(plan_id=plan.pk, history_type="-")
        .select_related("history_user", "unit")
        .order_by("-history_date", "-history_id")[:HISTORY_ON_PLAN_PAGE]
    )
    for record in deleted:
        by = record.history_user
        target = record.instance
        target.unit = record.unit  # loaded with the record: no query per entry
        entries.append(
            {
                "record": record,
                "who": (by.get_full_name() or by.username) if by else None,
                "deleted_target": target,
                "changes": [],
            }
        )
    entries.sort(key=lambda entry: entry["record"].history_date, reverse=True)
    return entries[:HISTORY_ON_PLAN_PAGE]


def _plan_entries(records, *, user):
    entries = []
    for record, previous in zip(records, [*records[1:], None], strict=True):
        if previous is None:
            if len(records) > HISTORY_ON_PLAN_PAGE:
                break  # the record before it is not loaded: it shows on a longer page
            entries.append({"record": record, "created": True, "changes": []})
            continue
        changes = record.diff_against(previous).changes
        if changes:
            entries.append({"record": record, "created": False, "changes": changes})
    _describe_changes(entries, user=user)
    return entries


def _describe_changes(entries, *, user):
    """Turn raw history values (ids, dates, file names) into what a reader recognises.

    Documents the reader cannot see are counted, not named, as on the plan's page itself."""
    unit_ids, document_ids = set(), set()
    for entry in entries:
        for change in entry["changes"]:
            if change.field == "unit":
                unit_ids.update(v for v in (change.old, change.new) if v)
            elif change.field == "documents":
                for rows in (change.old, change.new):
                    document_ids.update(row["document"] for row in rows)
    units = {u.pk: u.full_name for u in AdministrativeUnit.objects.filter(pk__in=unit_ids)}
    numbers = dict(
        Document.objects.visible_to(user).filter(pk__in=document_ids).values_list("pk", "number")
    )

    def documents(rows):
        shown = [numbers[row["document"]] for row in rows if row["document"] in numbers]
        hidden = len(rows) - len(shown)
        if hidden:
            shown.append(
                ngettext(
                    "%(count)s document outside your units",
                    "%(count)s documents outside your units",
                    hidden,
                )
                % {"count": hidden}
            )
        return ", ".join(shown) or "–"

    def show(field, value):
        if field == "unit":
            return units.get(value, "–")
        if field == "documents":
            return documents(value)
        if hasattr(value, "strftime"):
            return value.strftime("%d/%m/%Y")
        if field == "attachment":
            return os.path.basename(str(value)) or "–"
        text = str(value or "").strip()
        return text if len(text) <= 200 else text[:200] + "…"

    for entry in entries:
        user = entry["record"].history_user
        entry["who"] = (user.get_full_name() or user.username) if user else None
        entry["changes"] = [
            {
                "label": Plan._meta.get_field(change.field).verbose_name,
                "old": show(change.field, change.old),
                "new": show(change.field, change.new),
            }
            for change in entry["changes"]
        ]


@allow(*PLAN_EDITORS)
@require_http_methods(["GET", "HEAD", "POST"])
def plan_create(request):
    form = PlanForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        plan = form.save(commit=False)
        plan.created_by = request.user
        plan.save()
        form.save_m2m()
        messages.success(request, _("Plan %(number)s saved.") % {"number": plan.number})
        return redirect(plan)
    return render(request, "dialogues/plan_form.html", {"form": form})


@allow(*PLAN_EDITORS)
@require_http_methods(["GET", "HEAD", "POST"])
def plan_update(request, pk):
    plan = _editable(request.user, plan_for(request.user, pk))
    if request.method != "POST":
        form = PlanForm(instance=plan, user=request.user)
        return render(request, "dialogues/plan_form.html", {"form": form, "plan": plan})
    context = {"plan": plan}
    with transaction.atomic():
        lock(plan)  # a second save waits here, then sees the first one's history
        seen, current = request.POST.get("seen", ""), history_count(plan)
        if changed_since(seen, current):
            # Someone saved the plan after this user opened it: keep their input, save nothing.
            data = request.POST.copy()
            data["seen"] = str(current)  # saving again after reading the changes goes through
            form = PlanForm(data, request.FILES, instance=plan, user=request.user)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone else saved this plan after you opened it, so your changes were not "
                    "saved. Check what they changed below, then save again."
                ),
            )
            context["conflict"] = history_entries(plan, since=as_id(seen))
        else:
            form = PlanForm(request.POST, request.FILES, instance=plan, user=request.user)
            if form.is_valid():
                form.save()
                messages.success(request, _("Plan %(number)s saved.") % {"number": plan.number})
                return redirect(plan)
    return render(request, "dialogues/plan_form.html", {**context, "form": form})


@allow(*READERS)
@require_safe
def plan_attachment(request, pk):
    """The scanned plan, only for those who may read the plan: media is never public."""
    plan = plan_for(request.user, pk)
    if not plan.attachment:
        raise Http404
    try:
        handle = plan.attachment.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    extension = os.path.splitext(plan.attachment.name)[1].lower()
    filename = plan.number.replace("/", "-") + extension
    return FileResponse(handle, as_attachment=True, filename=filename)


# Targets


def _plan_for_targets(request, pk):
    return _editable(request.user, plan_for(request.user, pk))


@allow(*PLAN_EDITORS)
@require_POST
def target_add(request, pk):
    plan = _plan_for_targets(request, pk)
    form = TargetForm(request.POST, plan=plan, user=request.user)
    if not form.is_valid():
        return _render_plan_detail(request, plan, target_form=form)
    target, created = form.save()
    if created:
        message = _("Target added: %(target)s.")
    else:
        message = _(
            "That target existed already; its number of sessions is now updated: %(target)s."
        )
    messages.success(request, message % {"target": target})
    return redirect(reverse("dialogues:plan-detail", args=[plan.pk]) + "#targets")


@allow(*PLAN_EDITORS)
@require_POST
def target_bulk_add(request, pk):
    plan = _plan_for_targets(request, pk)
    form = BulkTargetForm(request.POST, plan=plan, user=request.user)
    if not form.is_valid():
        return _render_plan_detail(request, plan, bulk_form=form)
    created, updated, unchanged = form.save(by=request.user)
    messages.success(
        request,
        _("%(created)s targets created, %(updated)s updated, %(unchanged)s already set.")
        % {"created": created, "updated": updated, "unchanged": unchanged},
    )
    return redirect(reverse("dialogues:plan-detail", args=[plan.pk]) + "#targets")


@allow(*PLAN_EDITORS)
@require_http_methods(["GET", "HEAD", "POST"])
def target_delete(request, pk):
    """Asks first (a page of its own, no JavaScript needed); the deletion is in the plan's
    history."""
    target = get_object_or_404(
        PlanTarget.objects.visible_to(request.user).select_related("plan__unit", "unit"), pk=pk
    )
    plan = _editable(request.user, target.plan)
    if request.method != "POST":
        return render(request, "dialogues/target_delete.html", {"target": target, "plan": plan})
    target.delete()
    messages.success(request, _("Target deleted: %(target)s.") % {"target": target})
    return redirect(reverse("dialogues:plan-detail", args=[plan.pk]) + "#targets")


# Documents


@allow(*READERS)
@require_safe
def document_list(request):
    form = DocumentSearchForm(request.GET or None)
    documents = form.filter(Document.objects.visible_to(request.user)).select_related(
        "doc_type", "unit"
    )
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    for document in page.object_list:
        document.can_edit = may_edit(request.user, document.unit)
    context = {
        "page": page,
        "form": form,
        "can_create": request.user.role in PLAN_EDITORS,
    }
    return render(request, "dialogues/document_list.html", context)


@allow(*PLAN_EDITORS)
@require_http_methods(["GET", "HEAD", "POST"])
def document_create(request):
    form = DocumentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        document = form.save()
        messages.success(request, _("Document %(number)s saved.") % {"number": document.number})
        return redirect("dialogues:document-list")
    return render(request, "dialogues/document_form.html", {"form": form})


@allow(*PLAN_EDITORS)
@require_http_methods(["GET", "HEAD", "POST"])
def document_update(request, pk):
    document = _editable(
        request.user,
        get_object_or_404(Document.objects.visible_to(request.user).select_related("unit"), pk=pk),
    )
    form = DocumentForm(request.POST or None, instance=document, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Document %(number)s saved.") % {"number": document.number})
        return redirect("dialogues:document-list")
    return render(request, "dialogues/document_form.html", {"form": form, "document": document})
