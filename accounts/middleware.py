import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record

LOGIN_AT = "login_at"
SEEN_AT = "seen_at"
# How often a busy session is written back to push its idle expiry further.
TOUCH_EVERY = datetime.timedelta(minutes=1)


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    now = timezone.now().isoformat()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_ABSOLUTE_HOURS since login, however busy it has been, and
    keeps an active session alive: the idle limit (SESSION_COOKIE_AGE) restarts whenever the
    session is written, which this does at most once a minute rather than on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now()
            started = _parse(request.session.get(LOGIN_AT)) or now
            if now - started > datetime.timedelta(hours=settings.SESSION_ABSOLUTE_HOURS):
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                if request.method == "POST":
                    # Goes on as anonymous: the login check sends it to the login page, after
                    # the stash (accounts.stash) has kept what was typed, if the page asks.
                    return self.get_response(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            seen = _parse(request.session.get(SEEN_AT))
            if seen is None or now - seen > TOUCH_EVERY:
                request.session.setdefault(LOGIN_AT, now.isoformat())
                request.session[SEEN_AT] = now.isoformat()
        return self.get_response(request)


def _parse(value):
    return datetime.datetime.fromisoformat(value) if value else None


class AuditRefusalMiddleware:
    """Writes every refused access (a view raising PermissionDenied) to the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            audit_record(request, kind="refused", detail=f"{request.method} {request.path}")
        return None
