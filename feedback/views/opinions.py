"""One opinion: its page with the timeline, and a small page for each change of its status."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import allow
from communes.scope import changeable
from config.concurrency import changed_since, lock
from config.parsing import as_id
from obligations.rules import RuleBook, acknowledge_deadline

from ..access import DETAIL_READERS, RECORDERS, may_correct
from ..forms import (
    AcknowledgeForm,
    AnswerForm,
    DeadlineForm,
    DuplicateForm,
    ForwardForm,
    NoteForm,
    OpinionCorrectionForm,
    PurposeForm,
    ReasonForm,
    ResolveForm,
)
from ..models import AccessAction, Opinion
from ..personal import log_access, may_ask_personal, may_see_personal
from ..selectors import opinion_for
from ..workflow import OPINION_WORKFLOW


@allow(*DETAIL_READERS)
@require_safe
def opinion_detail(request, pk):
    opinion = opinion_for(request.user, pk)
    return render(request, "feedback/opinion_detail.html", _detail_context(request, opinion))


def _detail_context(request, opinion, **extra):
    # History seen through succession is read only: no action is offered on it.
    role = request.user.role if changeable(request.user, opinion.unit) else None
    return {
        "opinion": opinion,
        # The buttons: what the workflow offers this role in this state.
        "actions": OPINION_WORKFLOW.offered(opinion, role),
        "events": opinion.events.select_related("by", "agency"),
        # Links both ways only to opinions the reader may open.
        "original": Opinion.objects.visible_to(request.user)
        .filter(pk=opinion.duplicate_of_id)
        .first()
        if opinion.duplicate_of_id
        else None,
        "duplicates": Opinion.objects.visible_to(request.user).filter(duplicate_of=opinion),
        "can_correct": role is not None and may_correct(request.user, opinion),
        "acknowledge": acknowledge_deadline(RuleBook.load(), opinion),
        **extra,
    }


@allow(*DETAIL_READERS, readers_may_post=True)
@require_POST
def opinion_personal(request, pk):
    """A leader or an administrator asks to see the person's data, saying why: the page shows
    them once (not kept: a reload asks again) and the access is logged. It changes no record."""
    opinion = opinion_for(request.user, pk)
    if not may_ask_personal(request.user, opinion):
        raise PermissionDenied
    form = PurposeForm(request.POST)
    if not form.is_valid():
        context = _detail_context(
            request, opinion, purpose=request.POST.get("purpose", ""),
            purpose_error=" ".join(form.errors.get("purpose", [])),
        )  # fmt: skip
        return render(request, "feedback/opinion_detail.html", context)
    if not may_see_personal(request.user, opinion):
        log_access(
            user=request.user, action=AccessAction.VIEW, purpose=form.cleaned_data["purpose"],
            opinion_ids=[opinion.pk],
        )  # fmt: skip
    context = _detail_context(request, opinion, personal_asked=True)
    response = render(request, "feedback/opinion_detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _action(request, pk, *, form_class, title, perform, success, initial=None, of_opinion=False):
    """A small form for one change; the model method checks the workflow and says what is wrong.

    Every action passes here: on POST the opinion's row is locked for the transaction that checks
    and writes, so of two actions at the same instant the second waits, then finds the first one's
    timeline entry (or the new status) and is told, with what it typed kept on the page.
    `of_opinion`: the form is built from the opinion (it is passed as `opinion=`).
    """
    opinion = opinion_for(request.user, pk, to_change=True)
    kwargs = {"opinion": opinion} if of_opinion else {}
    if initial or not of_opinion:
        kwargs["initial"] = initial or {}
    form = form_class(request.POST or None, **kwargs)
    if request.method != "POST":
        return _action_page(request, opinion, form, title)
    with transaction.atomic():
        lock(opinion)
        seen, events = request.POST.get("seen", ""), opinion.events.count()
        if changed_since(seen, events):
            # Someone else acted on the opinion after this user opened the form: nothing is saved.
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone else changed this opinion after you opened this page, so nothing "
                    "was saved. Check what they did below, then decide again."
                ),
            )
            conflict = opinion.events.select_related("by")[as_id(seen) :]
            return _action_page(request, opinion, form, title, conflict=conflict)
        if form.is_valid():
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
    return _action_page(request, opinion, form, title)


def _action_page(request, opinion, form, title, *, conflict=None):
    context = {"form": form, "opinion": opinion, "title": title, "conflict": conflict,
               "seen": opinion.events.count()}  # fmt: skip
    return render(request, "feedback/opinion_action.html", context)


@allow(*OPINION_WORKFLOW.roles("answer"))
def opinion_answer(request, pk):
    return _action(
        request, pk, form_class=AnswerForm, title=_("Answered at the session"),
        success=_("The answer given at the session is recorded."),
        perform=lambda opinion, data: opinion.answer_at_session(
            answer=data["session_answer"], answered_by=data["answered_by"], by=request.user
        ),
    )  # fmt: skip


@allow(*OPINION_WORKFLOW.roles("forward", "reforward"))
def opinion_forward(request, pk):
    return _action(
        request, pk, form_class=ForwardForm, title=_("Forward to an agency"),
        success=_("The opinion is forwarded."), of_opinion=True,
        perform=lambda opinion, data: opinion.forward_to(
            data["agency"], deadline=data["deadline"], by=request.user, note=data["note"]
        ),
    )  # fmt: skip


@allow(*OPINION_WORKFLOW.roles("progress"))
def opinion_progress(request, pk):
    return _action(
        request, pk, form_class=NoteForm, title=_("Record progress"),
        success=_("Progress recorded."),
        perform=lambda opinion, data: opinion.record_progress(note=data["note"], by=request.user),
    )  # fmt: skip


@allow(*OPINION_WORKFLOW.roles("resolve"))
def opinion_resolve(request, pk):
    return _action(
        request, pk, form_class=ResolveForm, title=_("Record the answer"),
        success=_("The opinion is resolved."),
        perform=lambda opinion, data: opinion.resolve(
            answer=data["answer"], document_number=data["answer_document_number"],
            document_date=data["answer_document_date"], by=request.user,
        ),
    )  # fmt: skip


@allow(*OPINION_WORKFLOW.roles("unresolvable"))
def opinion_unresolvable(request, pk):
    return _action(
        request, pk, form_class=ReasonForm, title=_("Cannot be resolved"),
        success=_("The opinion is closed as one that cannot be resolved."),
        perform=lambda opinion, data: opinion.mark_unresolvable(
            reason=data["reason"], by=request.user
        ),
    )  # fmt: skip


@allow(*OPINION_WORKFLOW.roles("reopen"))
def opinion_reopen(request, pk):
    return _action(
        request, pk, form_class=ReasonForm, title=_("Reopen"),
        success=_("The opinion is open again."),
        perform=lambda opinion, data: opinion.reopen(reason=data["reason"], by=request.user),
    )  # fmt: skip


@allow(*OPINION_WORKFLOW.roles("duplicate"))
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


@allow(*OPINION_WORKFLOW.roles("deadline"))
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
    if not may_correct(request.user, opinion_for(request.user, pk, to_change=True)):
        raise PermissionDenied
    return _action(
        request, pk, form_class=OpinionCorrectionForm, title=_("Correct the opinion"),
        success=_("The opinion is corrected."), of_opinion=True,
        perform=lambda opinion, data: opinion.correct(by=request.user, **data),
    )  # fmt: skip


@allow(*OPINION_WORKFLOW.roles("acknowledge"))
def opinion_acknowledge(request, pk):
    return _action(
        request, pk, form_class=AcknowledgeForm, title=_("Author told in writing"),
        success=_("Recorded: the author was told in writing."),
        initial={"day": timezone.localdate()},
        perform=lambda opinion, data: opinion.acknowledge(day=data["day"], by=request.user),
    )  # fmt: skip
