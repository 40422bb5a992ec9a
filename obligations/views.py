"""The compliance page: each rule in force for a unit's scope and a period, who is behind."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.access import allow
from config.parsing import as_id
from reports.access import READERS

from .compliance import compliance
from .forms import ComplianceForm

# Units listed under each rule on the overview; the rule's own page lists them all, by pages.
UNITS_SHOWN = 10
UNITS_PER_PAGE = 25


@allow(*READERS)
@require_safe
def compliance_page(request):
    today = timezone.localdate()
    form = ComplianceForm(request.GET, user=request.user, today=today)
    context = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        result = compliance(unit=data["unit"], start=data["start"], end=data["end"], today=today)
        lines = result.lines
        chosen = as_id(request.GET.get("rule"))
        focus = next((line for line in lines if line.rule.pk == chosen), None)
        context.update(result=result, lines=lines, label=data["label"], units_shown=UNITS_SHOWN)
        if focus is not None and focus.is_quota:
            # Behind first, then still open, then met; each in the tree's order.
            rows = focus.units_behind + focus.units_open + focus.units_met
            context.update(
                focus=focus,
                page=Paginator(rows, UNITS_PER_PAGE).get_page(request.GET.get("page")),
            )
    return render(request, "obligations/compliance.html", context)
