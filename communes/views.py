from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.access import READING_ROLES, allow

from .forms import OnDateForm, UnitTreeFilterForm
from .models import AdministrativeUnit

UNITS_PER_PAGE = 50


@allow(*READING_ROLES)
@require_safe
def unit_tree(request):
    """The units within the user's scope, depth-first, one indented line per unit."""
    units = AdministrativeUnit.objects.visible_to(request.user)
    form = UnitTreeFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            units = units.filter(Q(name__icontains=data["q"]) | Q(code__iexact=data["q"]))
        if data["kind"]:
            units = units.filter(kind=data["kind"])
        if not data["include_inactive"]:
            units = units.active()
    else:
        units = units.active()
    units = units.annotate(hamlet_count=Count("hamlets")).order_by("path")
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    top_depth = request.user.unit.depth if request.user.unit_id else 1
    for unit in page.object_list:
        unit.indent = min(max(unit.depth - top_depth, 0), 5)
    return render(request, "communes/unit_tree.html", {"page": page, "form": form})


@allow(*READING_ROLES)
@require_safe
def unit_detail(request, pk):
    unit = get_object_or_404(AdministrativeUnit.objects.visible_to(request.user), pk=pk)
    form = OnDateForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["on"]:
        day = form.cleaned_data["on"]
    user = request.user
    context = {
        "unit": unit,
        "form": form,
        "day": day,
        "office_holders": unit.office_holders_on(day),
        "hamlets": unit.hamlets.filter(is_active=True).order_by("name"),
        # Ancestors above the user's own unit are context, shown without links.
        "ancestors": [
            (a, user.sees_everything or a.is_within(user.unit))
            for a in AdministrativeUnit.objects.get_ancestors(unit)
        ],
        "children": AdministrativeUnit.objects.get_children(unit).filter(is_active=True),
        "successions": list(unit.successions.select_related("successor")),
        "predecessions": list(unit.predecessions.select_related("predecessor")),
    }
    return render(request, "communes/unit_detail.html", context)
