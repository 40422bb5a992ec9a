"""One opinion: its page with the timeline, and a small page for each change of its status."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import allow
from config.parsing import as_id

from ..access import DETAIL_READERS, HANDLERS, RECORDERS, ROUTERS, may_correct
from ..forms import (
    AnswerForm,
    DeadlineForm,
    DuplicateForm,
    ForwardForm,
    NoteForm,
    OpinionCorrectionForm,
    ReasonForm,
    ResolveForm,
)
from ..models import AWAITING_AGENCY, Opinion, OpinionStatus
from ..selectors import opinion_for


@allow(*DETAIL_READERS)
@require_safe
def opinion_detail(request, pk):
    opinion = opinion_for(request.user, pk)
    role = request.user.role
    context = {
        "opinion": opinion,
        "events": opinion.events.select_related("by", "agency"),
        "duplicates": opinion.duplicates.all(),
        "statuses": OpinionStatus,
        "awaiting_agency": opinion.status in AWAITING_AGENCY,
        "can_record": role in RECORDERS,
        "can_handle": role in HANDLERS,
        "can_route": role in ROUTERS,
        "can_correct": may_correct(request.user, opinion),
    }
    return render(request, "feedback/opinion_detail.html", context)


def _action(request, pk, *, form_class, title, perform, success, initial=None, for_opinion=False):
    """A small form for one change; the model method checks the workflow and says what is wrong."""
    opinion = opinion_for(request.user, pk)
    if for_opinion:  # the form is built from the opinion itself
        form = form_class(request.POST or None, opinion=opinion)
    else:
        form = form_class(request.POST or None, initial=initial or {})
    events = opinion.events.count()
    seen = request.POST.get("seen", "")
    if request.method == "POST" and as_id(seen) is not None and as_id(seen) != events:
        # Someone else acted on the opinion after this user opened the form: nothing is saved.
        form.is_valid()
        form.add_error(
            None,
            _(
                "Someone else changed this opinion after you opened this page, so nothing was "
                "saved. Check what they did below, then decide again."
            ),
        )
        context = {"form": form, "opinion": opinion, "title": title, "seen": events,
                   "conflict": opinion.events.select_related("by")[as_id(seen):]}  # fmt: skip
        return render(request, "feedback/opinion_action.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            perform(opinion, form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect(opinion)
    context = {"form": form, "opinion": opinion, "title": title, "seen": events}
    return render(request, "feedback/opinion_action.html", context)


@allow(*RECORDERS)
def opinion_answer(request, pk):
    return _action(
        request, pk, form_class=AnswerForm, title=_("Answered at the session"),
        success=_("The answer given at the session is recorded."),
        perform=lambda opinion, data: opinion.answer_at_session(
            answer=data["session_answer"], answered_by=data["answered_by"], by=request.user
        ),
    )  # fmt: skip


@allow(*RECORDERS)
def opinion_forward(request, pk):
    return _action(
        request, pk, form_class=ForwardForm, title=_("Forward to an agency"),
        success=_("The opinion is forwarded."),
        perform=lambda opinion, data: opinion.forward_to(
            data["agency"], deadline=data["deadline"], by=request.user, note=data["note"]
        ),
    )  # fmt: skip


@allow(*HANDLERS)
def opinion_progress(request, pk):
    return _action(
        request, pk, form_class=NoteForm, title=_("Record progress"),
        success=_("Progress recorded."),
        perform=lambda opinion, data: opinion.record_progress(note=data["note"], by=request.user),
    )  # fmt: skip


@allow(*HANDLERS)
def opinion_resolve(request, pk):
    return _action(
        request, pk, form_class=ResolveForm, title=_("Record the answer"),
        success=_("The opinion is resolved."),
        perform=lambda opinion, data: opinion.resolve(
            answer=data["answer"], document_number=data["answer_document_number"],
            document_date=data["answer_document_date"], by=request.user,
        ),
    )  # fmt: skip


@allow(*HANDLERS)
def opinion_unresolvable(request, pk):
    return _action(
        request, pk, form_class=ReasonForm, title=_("Cannot be resolved"),
        success=_("The opinion is closed as one that cannot be resolved."),
        perform=lambda opinion, data: opinion.mark_unresolvable(
            reason=data["reason"], by=request.user
        ),
    )  # fmt: skip


@allow(*RECORDERS)
def opinion_reopen(request, pk):
    return _action(
        request, pk, form_class=ReasonForm, title=_("Reopen"),
        success=_("The opinion is open again."),
        perform=lambda opinion, data: opinion.reopen(reason=data["reason"], by=request.user),
    )  # fmt: skip


@allow(*RECORDERS)
def opinion_duplicate(request, pk):
    def perform(opinion, data):
        original = Opinion.objects.visible_to(request.user).filter(pk=data["duplicate_of"]).first()
        if original is None:
            raise ValidationError(
                {"duplicate_of": _("No opinion with this number among those you can see.")}
            )
        opinion.mark_duplicate(of=original, by=request.user)

    return _action(
        request, pk, form_class=DuplicateForm, title=_("Mark as a duplicate"),
        success=_("The opinion is marked as a duplicate and linked to the original."),
        perform=perform,
    )  # fmt: skip


@allow(*ROUTERS)
def opinion_deadline(request, pk):
    return _action(
        request, pk, form_class=DeadlineForm, title=_("Change the deadline"),
        success=_("The deadline is changed."),
        perform=lambda opinion, data: opinion.change_deadline(
            deadline=data["deadline"], reason=data["reason"], by=request.user
        ),
    )  # fmt: skip


@allow(*RECORDERS)
def opinion_correct(request, pk):
    if not may_correct(request.user, opinion_for(request.user, pk)):
        raise PermissionDenied
    return _action(
        request, pk, form_class=OpinionCorrectionForm, title=_("Correct the opinion"),
        success=_("The opinion is corrected."), for_opinion=True,
        perform=lambda opinion, data: opinion.correct(by=request.user, **data),
    )  # fmt: skip
