"""Work in progress: being written now."""

from django.http import HttpResponse

from accounts.access import READING_ROLES, allow


@allow(*READING_ROLES)
def session_cancel(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def session_create(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def session_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def session_list(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def session_mark_held(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def session_minutes_file(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def session_postpone(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def session_record(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def session_reschedule(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def session_update(request, *args, **kwargs):
    return HttpResponse(status=501)
