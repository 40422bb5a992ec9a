"""The public pages: no login, only what staff published (public/selectors.py), cached.

Anything unpublished is "not found", exactly as an address that never existed: the same 404,
no count, no id (public addresses carry a random `public_id`, never a row's number).
"""

import csv
import io
import json

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from config.dates import on_or_after
from config.exports import attachment, neutralise
from dialogues.models import SessionStatus
from feedback.models import Field, OpinionStatus

from .http import public_render, public_view
from .models import ANNOUNCED, RESULTS_PUBLIC
from .presenters import COLUMNS, opinion_row
from .selectors import PUBLIC_ID, listed_units, page_unit, unit_opinions, unit_sessions

OPINIONS_PER_PAGE = 20
SESSIONS_SHOWN = 20
# A query longer than this finds nothing anyway; it is cut, not refused.
QUERY_MAX = 100


class ResultsFilter(forms.Form):
    """Search and filters of a unit's results: read only, sent with GET."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=QUERY_MAX)
    field = forms.ModelChoiceField(
        label=gettext_lazy("Field"), queryset=Field.objects.all(), required=False,
        empty_label=gettext_lazy("All fields"), widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False,
        choices=[("", gettext_lazy("All statuses")), *OpinionStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip

    def __init__(self, data, **kwargs):
        data = data.copy()
        data["q"] = data.get("q", "")[:QUERY_MAX]
        super().__init__(data, **kwargs)

    def apply(self, publications):
        if not self.is_valid():
            return publications.none()
        data = self.cleaned_data
        if data["q"]:
            publications = publications.search(data["q"])
        if data["field"]:
            publications = publications.filter(opinion__field=data["field"])
        if data["status"]:
            publications = publications.filter(opinion__status=data["status"])
        return publications


def _rows(publications):
    return publications.select_related(
        "opinion__field", "opinion__agency", "session__publication"
    ).order_by("-session__starts_at", "published_at", "pk")


def _unit_or_redirect(request, code):
    unit = page_unit(code)
    if unit.is_active:
        return unit, None
    # An ended unit's address leads to the page of the unit that took it over.
    heir = unit.heir()
    if not heir.is_active or heir.pk == unit.pk:
        raise Http404
    return None, redirect("public:unit", code=heir.code, permanent=True)


@public_view
def unit_list(request):
    return public_render(request, "public/unit_list.html", {"provinces": listed_units()})


@public_view
def unit_page(request, code):
    unit, moved = _unit_or_redirect(request, code)
    if moved:
        return moved
    sessions = unit_sessions(unit)
    announced = (
        sessions.filter(ANNOUNCED, on_or_after("starts_at", timezone.localdate()))
        .exclude(status=SessionStatus.HELD)
        .select_related("publication")
        .order_by("starts_at")[:SESSIONS_SHOWN]
    )
    with_results = (
        sessions.filter(RESULTS_PUBLIC)
        .select_related("publication")
        .annotate(shown=Count("published_opinions", filter=_live_in_session()))
        .order_by("-starts_at")[:SESSIONS_SHOWN]
    )
    results_filter = ResultsFilter(request.GET)
    publications = results_filter.apply(unit_opinions(unit))
    page = Paginator(_rows(publications), OPINIONS_PER_PAGE).get_page(request.GET.get("page"))
    if not (announced or with_results or unit_opinions(unit).exists()):
        raise Http404
    context = {
        "unit": unit,
        "announced": announced,
        "with_results": with_results,
        "filter": results_filter,
        "page": page,
        "rows": [opinion_row(publication) for publication in page],
        "filtered": any(request.GET.get(name) for name in ("q", "field", "status")),
        "page_url": request.build_absolute_uri(reverse("public:unit", args=[unit.code])),
    }
    return public_render(request, "public/unit_page.html", context)


def _live_in_session() -> Q:
    return Q(published_opinions__published_at__isnull=False, published_opinions__withdrawn_at=None)


def public_session(code, public_id):
    if not PUBLIC_ID.fullmatch(public_id):
        raise Http404
    unit = page_unit(code)
    return get_object_or_404(
        unit_sessions(unit).select_related("publication", "host_unit"),
        publication__public_id=public_id,
    ), unit


@public_view
def session_page(request, code, public_id):
    session, unit = public_session(code, public_id)
    publication = session.publication
    rows = []
    if publication.results_are_public and session.status == "held":
        published = _rows(session.published_opinions.public())
        rows = [opinion_row(row) for row in published]
    context = {
        "unit": unit,
        "session": session,
        "publication": publication,
        "chairs": session.chairs.select_related("position", "unit").order_by("position__order"),
        "show_announcement": publication.is_announced,
        "show_results": publication.results_are_public and session.status == "held",
        "rows": rows,
        "page_url": request.build_absolute_uri(
            reverse("public:session", args=[unit.code, publication.public_id])
        ),
    }
    return public_render(request, "public/session_page.html", context)


def _data_rows(request, code):
    unit, moved = _unit_or_redirect(request, code)
    if moved:
        raise Http404
    if not unit_sessions(unit).exists():
        raise Http404  # a unit with nothing public has no files either
    return unit, [opinion_row(row) for row in _rows(unit_opinions(unit))]


@public_view
def unit_csv(request, code):
    unit, rows = _data_rows(request, code)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {key: "" if value is None else neutralise(value) for key, value in row.items()}
        )
    # The byte order mark tells Excel the file is UTF-8, so diacritics open intact.
    return attachment(
        ("\ufeff" + out.getvalue()).encode(), content_type="text/csv; charset=utf-8",
        filename=f"ket-qua-doi-thoai-{unit.code}.csv",
    )  # fmt: skip


@public_view
def unit_json(request, code):
    unit, rows = _data_rows(request, code)
    body = {
        "unit": {"code": unit.code, "name": unit.full_name},
        "columns": COLUMNS,
        "results": rows,
    }
    return HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )


@public_view
def open_data(request):
    """What the columns of the CSV and JSON files hold."""
    columns = [
        ("id", _("The published opinion's public identifier (stable).")),
        ("session", _("The public identifier of the session it was raised at.")),
        ("session_date", _("The day of the session (YYYY-MM-DD).")),
        ("field", _("The field it concerns.")),
        ("text", _("What was raised, as published (no names, phones or addresses).")),
        ("status", _("Its status, in the language of the request.")),
        ("status_code", _("Its status as a code: %(codes)s.") % {
            "codes": ", ".join(code for code, _label in OpinionStatus.choices)}),
        ("answer", _("The answer given, or why it cannot be resolved; empty while handled.")),
        ("handled_by", _("While it is being handled: the agency handling it.")),
        ("due", _("While it is being handled: the day its answer is due (YYYY-MM-DD).")),
        ("published_on", _("The day it was published (YYYY-MM-DD).")),
    ]  # fmt: skip
    assert [name for name, _text in columns] == COLUMNS  # the page documents every column
    return public_render(request, "public/open_data.html", {"columns": columns})


@login_not_required
@require_safe
def language(request, code):
    """The language switch of the public pages: a link, not a form (they have no form that
    posts); it keeps the choice in the same cookie as the app's own switch."""
    supported = {language for language, _name in settings.LANGUAGES}
    next_url = request.GET.get("next", "")
    if not next_url.startswith("/cong-khai/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = reverse("public:unit-list")
    response = redirect(next_url)
    if code in supported:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response
