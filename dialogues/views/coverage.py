"""Work in progress: being written now."""

from django.http import HttpResponse

from accounts.access import READING_ROLES, allow


@allow(*READING_ROLES)
def plan_coverage(request, *args, **kwargs):
    return HttpResponse(status=501)
