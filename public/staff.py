"""Staff decide what is public: a session's announcement, its results, each opinion's text."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import allow
from dialogues.models import SessionStatus
from dialogues.selectors import session_for
from feedback.models import Opinion

from . import services
from .access import PUBLISHERS
from .http import new_generation
from .links import session_public_url
from .models import OpinionPublication, SessionPublication


def _page(request, session, *, texts=None, errors=None, status=200):
    publication = SessionPublication.objects.filter(session=session).first()
    opinions = list(session.opinions.select_related("field").order_by("created_at", "pk"))
    published = {row.opinion_id: row for row in OpinionPublication.objects.filter(session=session)}
    texts, errors = texts or {}, errors or {}
    rows = []
    for opinion in opinions:
        row = published.get(opinion.pk)
        rows.append({
            "opinion": opinion,
            "publication": row,
            "text": texts.get(opinion.pk, row.text if row else services.default_text(opinion)),
            "error": errors.get(opinion.pk),
        })  # fmt: skip
    context = {
        "session": session,
        "publication": publication,
        "seen": publication.version if publication else 0,
        "rows": rows,
        "is_held": session.status == SessionStatus.HELD,
        "public_url": session_public_url(session),
    }
    return render(request, "public/staff_publication.html", context, status=status)


@allow(*PUBLISHERS)
@require_safe
def publication(request, pk):
    return _page(request, session_for(request.user, pk, to_change=True))


def _done(request, session, message):
    new_generation()
    messages.success(request, message)
    return redirect("public:session-publication", pk=session.pk)


def _stale(request, session, error):
    messages.error(request, error.messages[0])
    return redirect("public:session-publication", pk=session.pk)


@allow(*PUBLISHERS)
@require_POST
def announce(request, pk):
    session = session_for(request.user, pk, to_change=True)
    try:
        services.session_announce(session=session, by=request.user, seen=request.POST.get("seen"))
    except services.StalePage as error:
        return _stale(request, session, error)
    return _done(request, session, _("The announcement is public."))


@allow(*PUBLISHERS)
@require_POST
def withdraw_announcement(request, pk):
    session = session_for(request.user, pk, to_change=True)
    try:
        services.session_withdraw_announcement(
            session=session, by=request.user, seen=request.POST.get("seen")
        )
    except services.StalePage as error:
        return _stale(request, session, error)
    return _done(request, session, _("The announcement is no longer public."))


@allow(*PUBLISHERS)
@require_POST
def publish_results(request, pk):
    """Publishes the ticked opinions, or all of them ("all"), with the texts as edited."""
    session = session_for(request.user, pk, to_change=True)
    opinions = session.opinions.select_related("field").order_by("created_at", "pk")
    everything = "all" in request.POST
    ticked = set(request.POST.getlist("publish"))
    texts_typed = {
        opinion.pk: request.POST.get(f"text-{opinion.pk}", "")[:4000] for opinion in opinions
    }
    chosen = {
        opinion: texts_typed[opinion.pk]
        for opinion in opinions
        if everything or str(opinion.pk) in ticked
    }
    if not chosen and opinions:
        messages.error(request, _("Tick the opinions to publish, or publish them all."))
        return _page(request, session, texts=texts_typed, status=400)
    try:
        services.session_publish_results(
            session=session, texts=chosen, by=request.user, seen=request.POST.get("seen")
        )
    except services.StalePage as error:
        return _stale(request, session, error)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            errors = {pk: e[0].messages[0] for pk, e in error.error_dict.items()}
            messages.error(request, _("Nothing was published: correct the texts marked below."))
            return _page(request, session, texts=texts_typed, errors=errors, status=400)
        messages.error(request, error.messages[0])
        return redirect("public:session-publication", pk=session.pk)
    return _done(request, session, _("The results are public."))


@allow(*PUBLISHERS)
@require_POST
def withdraw_results(request, pk):
    session = session_for(request.user, pk, to_change=True)
    try:
        services.session_withdraw_results(
            session=session, by=request.user, seen=request.POST.get("seen")
        )
    except services.StalePage as error:
        return _stale(request, session, error)
    return _done(request, session, _("The results are no longer public."))


@allow(*PUBLISHERS)
@require_POST
def withdraw_opinion(request, pk):
    opinion = get_object_or_404(Opinion.objects.visible_to(request.user), pk=pk)
    session = session_for(request.user, opinion.session_id, to_change=True)
    try:
        services.opinion_withdraw(opinion=opinion, by=request.user, seen=request.POST.get("seen"))
    except services.StalePage as error:
        return _stale(request, session, error)
    return _done(request, session, _("The opinion is no longer public."))


@allow(*PUBLISHERS)
@require_safe
def results_pdf(request, pk):
    """Thông báo kết quả hội nghị đối thoại: the published results, for the notice board."""
    from reports.pdf import session_results_pdf

    session = session_for(request.user, pk, to_change=True)
    pdf = session_results_pdf(session=session)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ket-qua-{session.pk}.pdf"'
    return response
