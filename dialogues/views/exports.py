"""Work in progress: being written now."""

from django.http import HttpResponse

from accounts.access import READING_ROLES, allow


@allow(*READING_ROLES)
def session_export_csv(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def session_export_xlsx(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def session_notice(request, *args, **kwargs):
    return HttpResponse(status=501)
