from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.access import allow
from communes.scope import changeable
from config.concurrency import changed_since, lock
from config.history import history_count, history_entries
from config.parsing import as_id
from feedback.access import RECORDERS
from feedback.models import Opinion
from feedback.services import awaiting_acknowledgement
from feedback.workflow import OPINION_WORKFLOW
from obligations.rules import RuleBook, session_deadlines
from public.access import may_publish

from .. import services
from ..access import READERS, SESSION_EDITORS
from ..filters import SessionFilter
from ..forms import CancelForm, HeldForm, HostUnitForm, PostponeForm, PublishForm, SessionForm
from ..models import Session, SessionStatus
from ..selectors import session_for
from ..workflow import SESSION_WORKFLOW

SESSIONS_PER_PAGE = 25


@allow(*READERS)
@require_safe
def session_list(request):
    session_filter = SessionFilter(request.GET or None, user=request.user)
    sessions = session_filter.qs if session_filter.is_bound else session_filter.queryset
    if session_filter.is_bound and not session_filter.is_valid():
        sessions = Session.objects.none()
    page = Paginator(sessions.for_list().order_by("-starts_at", "-pk"), SESSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    book = RuleBook.load()  # the rules and holidays once for the page, not per row
    for session in page.object_list:
        session.deadlines = session_deadlines(book, session)
    context = {
        "filter": session_filter,
        "page": page,
        "can_schedule": request.user.role in SESSION_EDITORS,
    }
    return render(request, "dialogues/session_list.html", context)


@allow(*READERS)
@require_safe
def session_detail(request, pk):
    session = session_for(request.user, pk)
    chairs = session.chairs.select_related("person", "position")
    deadlines = session_deadlines(RuleBook.load(), session)
    opinions = Opinion.objects.visible_to(request.user).filter(session=session)
    may_acknowledge = (
        session.status == SessionStatus.HELD
        and request.user.role in OPINION_WORKFLOW["acknowledge"].roles
        and changeable(request.user, session.host_unit)
    )
    context = {
        "session": session,
        "chairs": chairs,
        "attending_units": session.attending_units.order_by("path"),
        "postponements": session.postponements.select_related("created_by"),
        "history": history_entries(session),
        "opinion_count": Opinion.objects.visible_to(request.user).filter(session=session).count(),
        # The buttons: what the workflow offers this role on this session now (nothing on
        # history seen through succession, which is read only).
        "actions": SESSION_WORKFLOW.offered(
            session,
            request.user.role if changeable(request.user, session.host_unit) else None,
        ),
        "can_record_opinions": request.user.role in RECORDERS
        and changeable(request.user, session.host_unit),
        "late_notice": _late_notice_days(session, deadlines.get("announce")),
        "deadlines": deadlines,
        "to_acknowledge": awaiting_acknowledgement(opinions).count() if may_acknowledge else 0,
        "statuses": SessionStatus,
        "can_publish": may_publish(request.user, session),
    }
    return render(request, "dialogues/session_detail.html", context)


def _late_notice_days(session, announce):
    """Days of notice given, when residents of a session still to come were notified after
    the deadline of the rule in force on its date (none: no warning)."""
    if announce is None or not announce.late or not session.is_open:
        return None
    return (session.start_date - session.notice_date).days


def _host_choices(user):
    return HostUnitForm(user=user).fields["host"].queryset


@allow(*SESSION_EDITORS)
def session_create(request):
    hosts = _host_choices(request.user)
    host_id = request.POST.get("host") or request.GET.get("host")
    if host_id is None and hosts.count() == 1:
        host_id = hosts.get().pk
    host = hosts.filter(pk=as_id(host_id)).first() if as_id(host_id) is not None else None
    if host is None:
        form = HostUnitForm(request.GET or None, user=request.user)
        return render(request, "dialogues/session_host.html", {"form": form})
    if request.method == "POST":
        form = SessionForm(request.POST, user=request.user, host=host)
        if form.is_valid():
            session = form.save()
            _saved_messages(request, form, _("The session has been scheduled."))
            return redirect(session)
    else:
        form = SessionForm(user=request.user, host=host, initial=_initial_plan(request, host))
    return render(request, "dialogues/session_form.html", {"form": form, "host": host})


def _initial_plan(request, host):
    plan = request.GET.get("plan")
    return {"plan": as_id(plan)} if as_id(plan) is not None else {}


@allow(*SESSION_WORKFLOW.roles("edit"))
def session_update(request, pk):
    session = session_for(request.user, pk, to_change=True)
    if not SESSION_WORKFLOW.allows(session.status, "edit"):
        messages.error(request, _("Only planned or postponed sessions can be edited."))
        return redirect(session)
    host = session.host_unit
    if request.method == "POST":
        with transaction.atomic():
            lock(session)  # a second save waits here, then sees the first one's history
            seen, current = request.POST.get("seen", ""), history_count(session)
            if changed_since(seen, current):
                return _refuse_stale(request, session, host, seen=as_id(seen), current=current)
            form = SessionForm(request.POST, instance=session, user=request.user, host=host)
            if form.is_valid():
                session = form.save()
                _saved_messages(request, form, _("The session has been saved."))
                return redirect(session)
    else:
        form = SessionForm(instance=session, user=request.user, host=host)
    return render(
        request, "dialogues/session_form.html", {"form": form, "host": host, "session": session}
    )


def _refuse_stale(request, session, host, *, seen, current):
    """Someone saved the session after this user opened it: keep their input, save nothing,
    show what the other person changed."""
    data = request.POST.copy()
    data["seen"] = str(current)  # saving again after reading the changes goes through
    form = SessionForm(data, instance=session, user=request.user, host=host)
    form.is_valid()
    form.add_error(None, _stale_message())
    context = {"form": form, "host": host, "session": session,
               "conflict": history_entries(session, since=seen)}  # fmt: skip
    return render(request, "dialogues/session_form.html", context)


def _saved_messages(request, form, text):
    messages.success(request, text)
    late = form.late_notice
    if late is not None:
        days, deadline = late
        messages.warning(
            request,
            _(
                "Residents were notified only %(days)s day(s) before the session; "
                "the rules in force ask for the announcement by %(deadline)s."
            )
            % {"days": days, "deadline": deadline.strftime("%d/%m/%Y")},
        )
    for other in form.overlaps:
        messages.warning(
            request,
            _("A chair is also booked into “%(topic)s” (%(host)s) at an overlapping time.")
            % {"topic": other.topic, "host": other.host_unit.name},
        )
    if count := form.unreadable_overlaps:
        messages.warning(
            request,
            ngettext(
                "A chair is also booked into %(count)s session of a unit outside yours at an "
                "overlapping time.",
                "A chair is also booked into %(count)s sessions of units outside yours at an "
                "overlapping time.",
                count,
            )
            % {"count": count},
        )


def _transition_page(request, pk, *, form_class, template, perform, success, initial=None):
    """Show a small form for a status change, and apply it through the service on POST.

    The page carries how much history the session had when it was opened (`seen`): if someone
    saved the session since, nothing is saved and the page shows what they changed.
    """
    session = session_for(request.user, pk, to_change=True)
    form = form_class(request.POST or None, request.FILES or None, initial=initial or {})
    context = {"form": form, "session": session}
    if request.method == "POST":
        with transaction.atomic():
            lock(session)  # a second save waits here, then checks the first one's result
            seen, current = request.POST.get("seen", ""), history_count(session)
            if changed_since(seen, current):
                form.is_valid()
                form.add_error(None, _stale_message())
                context["conflict"] = history_entries(session, since=as_id(seen))
            elif form.is_valid():
                try:
                    perform(session, form.cleaned_data)
                except ValidationError as error:
                    _attach_errors(form, error)
                else:
                    messages.success(request, success)
                    return redirect(session)
    return render(request, template, {**context, "seen": history_count(session)})


def _stale_message():
    return _(
        "Someone else saved this session after you opened it, so your changes were not "
        "saved. Check what they changed below, then save again."
    )


def _attach_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = {"new_starts_at": "day", "new_ends_at": "end_time"}.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


@allow(*SESSION_WORKFLOW.roles("held"))
def session_mark_held(request, pk):
    def perform(session, data):
        services.session_mark_held(session=session, by=request.user, **data)

    return _transition_page(
        request, pk, form_class=HeldForm, template="dialogues/session_held.html",
        perform=perform, success=_("The session is recorded as held."),
    )  # fmt: skip


@allow(*SESSION_WORKFLOW.roles("record"))
def session_record(request, pk):
    session = session_for(request.user, pk)
    initial = {
        "attendance_residents": session.attendance_residents,
        "attendance_cadres": session.attendance_cadres,
        "minutes_text": session.minutes_text,
    }

    def perform(session, data):
        services.session_update_record(session=session, **data)

    return _transition_page(
        request, pk, form_class=HeldForm, template="dialogues/session_held.html",
        perform=perform, success=_("Attendance and minutes saved."), initial=initial,
    )  # fmt: skip


@allow(*SESSION_WORKFLOW.roles("postpone"))
def session_postpone(request, pk):
    def perform(session, data):
        services.session_postpone(
            session=session,
            by=request.user,
            new_starts_at=data["new_starts_at"],
            new_ends_at=data["new_ends_at"],
            reason=data["reason"],
        )

    return _transition_page(
        request, pk, form_class=PostponeForm, template="dialogues/session_postpone.html",
        perform=perform, success=_("The session is postponed; the old date is kept on record."),
    )  # fmt: skip


@allow(*SESSION_WORKFLOW.roles("cancel"))
def session_cancel(request, pk):
    def perform(session, data):
        services.session_cancel(session=session, by=request.user, reason=data["reason"])

    return _transition_page(
        request, pk, form_class=CancelForm, template="dialogues/session_cancel.html",
        perform=perform, success=_("The session is cancelled."),
    )  # fmt: skip


@allow(*SESSION_WORKFLOW.roles("publish", "publish_correct"))
def session_publish(request, pk):
    """The day the results were made public (posted at the office, sent to the village heads,
    in the media); board staff correct a day already recorded."""
    session = session_for(request.user, pk, to_change=True)
    name = "publish_correct" if session.results_public else "publish"
    if request.user.role not in SESSION_WORKFLOW[name].roles:
        messages.error(request, _("The day is recorded; only board staff can correct it."))
        return redirect(session)
    if not SESSION_WORKFLOW.allows(session.status, name):
        messages.error(request, _("Results are made public once the session is held."))
        return redirect(session)

    def perform(session, data):
        services.session_publish_results(session=session, by=request.user, day=data["day"])

    initial = {"day": session.results_published_on or timezone.localdate()}
    return _transition_page(
        request, pk, form_class=PublishForm, template="dialogues/session_publish.html",
        perform=perform, success=_("The day the results were made public is recorded."),
        initial=initial,
    )  # fmt: skip


@allow(*SESSION_WORKFLOW.roles("reschedule"))
@require_POST
def session_reschedule(request, pk):
    session = session_for(request.user, pk, to_change=True)
    try:
        with transaction.atomic():
            services.session_reschedule(session=lock(session), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session is planned again at its new date."))
    return redirect(session)


@allow(*READERS)
@require_safe
def session_minutes_file(request, pk):
    session = session_for(request.user, pk)
    if not session.minutes_file:
        raise Http404
    return FileResponse(
        session.minutes_file.open("rb"),
        as_attachment=True,
        filename=session.minutes_file.name.rsplit("/", 1)[-1],
    )
