"""The opinions of one session, and the fast entry of many of them in one form."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import allow
from communes.scope import changeable
from config.parsing import as_id
from dialogues.models import SessionStatus
from dialogues.selectors import session_for

from ..access import READERS, RECORDERS
from ..forms import MAX_ROWS, OpinionRowFormSet
from ..models import Opinion
from ..services import opinion_record

ROWS_ADDED = 5
OPINIONS_PER_PAGE = 50


@allow(*READERS)
def session_opinions(request, pk):
    session = session_for(request.user, pk)
    can_record = (
        request.user.role in RECORDERS
        and session.status == SessionStatus.HELD
        and changeable(request.user, session.host_unit)
    )
    formset = None
    if can_record:
        if request.method == "POST":
            formset = OpinionRowFormSet(request.POST, session=session, prefix="op")
            if "add_rows" in request.POST:
                # Without JavaScript, more rows come from the server; what was typed stays.
                formset = _with_more_rows(request.POST, session)
            elif formset.is_valid():
                rows = [form.cleaned_data for form in formset if form.has_changed()]
                if rows:
                    with transaction.atomic():
                        for data in rows:
                            opinion_record(session=session, by=request.user, data=data)
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d opinion recorded.", "%(count)d opinions recorded.", len(rows)
                        )
                        % {"count": len(rows)},
                    )
                return redirect("feedback:session-opinions", pk=session.pk)
        else:
            formset = OpinionRowFormSet(session=session, prefix="op")
    elif request.method == "POST":
        messages.error(request, _not_open_message())
        return redirect("feedback:session-opinions", pk=session.pk)
    opinions = (
        Opinion.objects.visible_to(request.user)
        .filter(session=session)
        .select_related("field", "hamlet", "agency")
        .order_by("pk")
    )
    page = Paginator(opinions, OPINIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"session": session, "page": page, "formset": formset, "can_record": can_record}
    return render(request, "feedback/session_opinions.html", context)


def _with_more_rows(data, session):
    data = data.copy()
    total = data.get("op-TOTAL_FORMS", "")
    total = min(as_id(total) or 0, MAX_ROWS)
    data["op-TOTAL_FORMS"] = str(min(total + ROWS_ADDED, MAX_ROWS))
    formset = OpinionRowFormSet(data, session=session, prefix="op")
    # The typed rows are shown as typed, without errors: they are checked when the user saves.
    for form in formset.forms:
        form._errors = ErrorDict()
    formset._non_form_errors = formset.error_class()
    return formset


def _not_open_message():
    return _("Opinions can be recorded once the session is recorded as held.")
