"""Work in progress: being written now."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse

from accounts.access import READING_ROLES, allow


@allow(*READING_ROLES)
def feed_regenerate(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def feed_settings(request, *args, **kwargs):
    return HttpResponse(status=501)


@login_not_required
def session_feed(request, *args, **kwargs):
    return HttpResponse(status=501)
