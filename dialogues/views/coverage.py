"""A plan's coverage: held against required, per unit and quarter, from the sessions."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.access import allow

from ..access import READERS
from ..coverage import plan_coverage as compute_coverage
from ..forms_plans import CoverageFilterForm
from ..selectors import plan_for


@allow(*READERS)
@require_safe
def plan_coverage(request, pk):
    plan = plan_for(request.user, pk)
    coverage = compute_coverage(plan, user=request.user)
    form = CoverageFilterForm(request.GET or None)
    only_missing = form.is_valid() and form.cleaned_data["missing"]
    rows = [row for row in coverage.rows if not (only_missing and row.covered)]
    context = {"plan": plan, "coverage": coverage, "rows": rows, "form": form}
    return render(request, "dialogues/plan_coverage.html", context)
