"""The opinions of one session, and the fast entry of many of them in one form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import allow
from accounts.stash import keeps_post_across_login, take_stashed_post
from communes.scope import changeable
from config.parsing import as_id
from dialogues.models import SessionStatus
from dialogues.selectors import session_for

from ..access import READERS, RECORDERS, may_correct
from ..forms import MAX_ROWS, AcknowledgeForm, OpinionRowFormSet
from ..models import Opinion
from ..services import acknowledge_all, awaiting_acknowledgement, opinion_record
from ..workflow import OPINION_WORKFLOW

ROWS_ADDED = 5
OPINIONS_PER_PAGE = 50


@allow(*READERS)
@keeps_post_across_login
def session_opinions(request, pk):
    session = session_for(request.user, pk)
    can_record = (
        request.user.role in RECORDERS
        and session.status == SessionStatus.HELD
        and changeable(request.user, session.host_unit)
    )
    formset = None
    stashed = take_stashed_post(request) if can_record and request.method == "GET" else None
    if stashed is not None:
        # Typed before the login expired: back on the page as typed, saved only when asked.
        formset = _as_typed(stashed, session)
        messages.info(
            request,
            _("The opinions you typed before signing in again are back. Check them and save."),
        )
    elif can_record:
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
        .select_related("field", "hamlet", "agency", "unit")
        .order_by("pk")
    )
    page = Paginator(opinions, OPINIONS_PER_PAGE).get_page(request.GET.get("page"))
    for opinion in page.object_list:
        opinion.can_correct = may_correct(request.user, opinion)
    row_errors = _row_errors(formset) if formset is not None and formset.is_bound else []
    context = {
        "session": session,
        "page": page,
        "formset": formset,
        "can_record": can_record,
        "row_errors": row_errors,
        "rows_to_fix": len({error["number"] for error in row_errors}),
    }
    return render(request, "feedback/session_opinions.html", context)


def _row_errors(formset):
    """Each error of each row, with the field to jump to: the summary above the form."""
    errors = []
    for number, form in enumerate(formset.forms, start=1):
        if not form._errors:  # rows shown as typed (more rows, restored) are not checked
            continue
        for name, messages_ in form.errors.items():
            target = form[name].auto_id if name in form.fields else f"opinion-{number}"
            errors.extend(
                {"number": number, "target": target, "message": message} for message in messages_
            )
    return errors


def _with_more_rows(data, session):
    data = data.copy()
    total = data.get("op-TOTAL_FORMS", "")
    total = min(as_id(total) or 0, MAX_ROWS)
    data["op-TOTAL_FORMS"] = str(min(total + ROWS_ADDED, MAX_ROWS))
    return _as_typed(data, session)


def _as_typed(data, session):
    formset = OpinionRowFormSet(data, session=session, prefix="op")
    # The typed rows are shown as typed, without errors: they are checked when the user saves.
    for form in formset.forms:
        form._errors = ErrorDict()
    formset._non_form_errors = formset.error_class()
    return formset


def _not_open_message():
    return _("Opinions can be recorded once the session is recorded as held.")


@allow(*OPINION_WORKFLOW.roles("acknowledge"))
def session_acknowledge(request, pk):
    """The authors of all the session's opinions told at once (one letter for the list)."""
    session = session_for(request.user, pk, to_change=True)
    opinions = Opinion.objects.visible_to(request.user).filter(session=session)
    form = AcknowledgeForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["day"]
        try:
            count = acknowledge_all(opinions=opinions, day=day, by=request.user)
        except ValidationError as error:
            # The day is checked against the session (not in the future, not before it).
            form.add_error("day" if hasattr(error, "error_dict") else None, error.messages)
        else:
            if count:
                messages.success(
                    request,
                    ngettext(
                        "Recorded: the author of %(count)d opinion was told in writing.",
                        "Recorded: the authors of %(count)d opinions were told in writing.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                messages.info(request, _("Every author of the session's opinions was told."))
            return redirect(session)
    context = {
        "session": session,
        "form": form,
        "waiting": awaiting_acknowledgement(opinions).count(),
    }
    return render(request, "feedback/session_acknowledge.html", context)
