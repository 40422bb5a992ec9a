"""Work in progress: being written now."""

from django.http import HttpResponse

from accounts.access import READING_ROLES, allow


@allow(*READING_ROLES)
def document_create(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def document_list(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def document_update(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def plan_attachment(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def plan_create(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def plan_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def plan_list(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def plan_update(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def target_add(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def target_bulk_add(request, *args, **kwargs):
    return HttpResponse(status=501)


@allow(*READING_ROLES)
def target_delete(request, *args, **kwargs):
    return HttpResponse(status=501)
