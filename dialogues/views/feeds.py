"""The private calendar feed (iCalendar, RFC 5545) that phones and desktop calendars subscribe to.

Calendar apps fetch the feed without a session cookie, so its address carries a secret token
instead of a login. The feed shows exactly what `Session.objects.visible_to(user)` shows its
owner; regenerating the token cuts off every copy of the old address.
"""

import datetime
import re

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import allow
from config.text import exportable

from ..access import READERS
from ..models import CalendarFeed, Session, SessionStatus

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")

PRODID = "-//Ban Dan van//Tiep xuc doi thoai truc tiep//VI"
FEED_TIME_ZONE = "Asia/Ho_Chi_Minh"
# Older sessions only slow down every phone's refresh; the app keeps the full history.
FEED_DAYS_BACK = 365
EVENT_STATUS = {
    SessionStatus.PLANNED: "CONFIRMED",
    SessionStatus.HELD: "CONFIRMED",
    # A postponed session waits for its new date to be confirmed.
    SessionStatus.POSTPONED: "TENTATIVE",
    SessionStatus.CANCELLED: "CANCELLED",
}


def feed_url(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("dialogues:session-feed", args=[feed.token]))


@allow(*READERS)
@require_safe
def feed_settings(request):
    feed = CalendarFeed.for_user(request.user)
    url = feed_url(request, feed)
    context = {
        "feed": feed,
        "feed_url": url,
        # webcal:// opens the subscribe dialog of Apple Calendar and Outlook directly.
        "webcal_url": "webcal://" + url.split("://", 1)[1],
        "days_back": FEED_DAYS_BACK,
    }
    return render(request, "dialogues/feed_settings.html", context)


# Personal: it changes only the user's own address, so leaders may do it too.
@allow(*READERS, readers_may_post=True)
@require_POST
def feed_regenerate(request):
    CalendarFeed.for_user(request.user).regenerate()
    messages.success(
        request,
        _(
            "Your calendar has a new address. The old one no longer works: "
            "subscribe again with the new one on each phone or computer."
        ),
    )
    return redirect("dialogues:feed-settings")


@login_not_required
@require_safe
def session_feed(request, token):
    # Tokens are URL-safe base64; anything else (a NUL byte, say) names no feed.
    if not TOKEN_PATTERN.fullmatch(token):
        raise Http404
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user__unit"), token=token, user__is_active=True
    )
    user = feed.user
    since = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() - datetime.timedelta(days=FEED_DAYS_BACK), datetime.time.min
        )
    )
    sessions = (
        Session.objects.visible_to(user)
        .filter(starts_at__gte=since)
        .for_list()
        .annotate(postponement_count=Count("postponements"))
        .order_by("starts_at", "pk")
    )
    calendar = build_calendar(request, user=user, sessions=sessions)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="hoi-nghi-doi-thoai.ics"'
    response["Cache-Control"] = "private, max-age=300"
    # The address is a secret: keep it out of search engines should it ever leak.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def build_calendar(request, *, user, sessions) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if user.unit_id:
        name = _("Dialogue sessions – %(unit)s") % {"unit": user.unit.full_name}
    else:
        name = _("Dialogue sessions")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", FEED_TIME_ZONE)
    stamp = timezone.now().astimezone(datetime.UTC)
    for session in sessions:
        calendar.add_component(session_event(request, session, stamp=stamp))
    return calendar


def session_event(request, session: Session, *, stamp) -> icalendar.Event:
    """One VEVENT; times in UTC, so no VTIMEZONE is needed and every client agrees."""
    event = icalendar.Event()
    event.add("uid", f"session-{session.pk}@tiepxuc")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    event.add("dtend", session.ends_at.astimezone(datetime.UTC))
    cancelled = session.status == SessionStatus.CANCELLED
    # Some phone apps ignore STATUS; the title then still tells that it will not take place.
    summary = _("Cancelled: %(topic)s") % {"topic": session.topic} if cancelled else session.topic
    # RFC 5545 text holds no control characters: drop any stored before forms refused them.
    event.add("summary", exportable(summary))
    event.add("location", exportable(session.venue))
    event.add("description", exportable(session_description(session)))
    event.add("url", request.build_absolute_uri(session.get_absolute_url()))
    event.add("last-modified", session.updated_at.astimezone(datetime.UTC))
    event.add("sequence", session.postponement_count)
    event.add("status", EVENT_STATUS[session.status])
    return event


def session_description(session: Session) -> str:
    kind = str(session.get_kind_display())
    if session.scope_label:
        kind = f"{kind} ({session.scope_label})"
    lines = [
        _("Kind: %(kind)s") % {"kind": kind},
        _("Form: %(mode)s") % {"mode": session.get_mode_display()},
        _("Host unit: %(unit)s") % {"unit": session.host_unit.full_name},
    ]
    if session.participation:
        lines.append(_("How to take part: %(how)s") % {"how": session.participation})
    attending = ", ".join(unit.full_name for unit in session.attending_units.all())
    if attending:
        lines.append(_("Residents of: %(units)s") % {"units": attending})
    chairs = ", ".join(
        f"{chair.person.full_name} ({chair.position.name})" for chair in session.chairs.all()
    )
    if chairs:
        lines.append(_("Chaired by: %(chairs)s") % {"chairs": chairs})
    lines.append(_("Status: %(status)s") % {"status": session.get_status_display()})
    if session.cancel_reason:
        lines.append(_("Reason for cancelling: %(reason)s") % {"reason": session.cancel_reason})
    lines.append(_("Plan: %(plan)s") % {"plan": session.plan.number})
    return "\n".join(lines)
