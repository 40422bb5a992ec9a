from django.urls import path

from .views import entry, imports, lists, opinions, queue, routing

app_name = "feedback"

urlpatterns = [
    path("opinions/", lists.opinion_list, name="opinion-list"),
    path("opinions/export.xlsx", lists.opinion_export_xlsx, name="opinion-export-xlsx"),
    path("opinions/to-route/", routing.opinions_to_route, name="opinions-to-route"),
    path("opinions/<int:pk>/", opinions.opinion_detail, name="opinion-detail"),
    path("opinions/<int:pk>/personal/", opinions.opinion_personal, name="opinion-personal"),
    path("opinions/<int:pk>/answer/", opinions.opinion_answer, name="opinion-answer"),
    path("opinions/<int:pk>/forward/", opinions.opinion_forward, name="opinion-forward"),
    path("opinions/<int:pk>/progress/", opinions.opinion_progress, name="opinion-progress"),
    path("opinions/<int:pk>/resolve/", opinions.opinion_resolve, name="opinion-resolve"),
    path(
        "opinions/<int:pk>/unresolvable/",
        opinions.opinion_unresolvable,
        name="opinion-unresolvable",
    ),
    path("opinions/<int:pk>/reopen/", opinions.opinion_reopen, name="opinion-reopen"),
    path("opinions/<int:pk>/duplicate/", opinions.opinion_duplicate, name="opinion-duplicate"),
    path("opinions/<int:pk>/deadline/", opinions.opinion_deadline, name="opinion-deadline"),
    path("opinions/<int:pk>/correct/", opinions.opinion_correct, name="opinion-correct"),
    path(
        "opinions/<int:pk>/acknowledge/",
        opinions.opinion_acknowledge,
        name="opinion-acknowledge",
    ),
    path(
        "sessions/<int:pk>/opinions/acknowledge/",
        entry.session_acknowledge,
        name="session-acknowledge",
    ),
    path("sessions/<int:pk>/opinions/", entry.session_opinions, name="session-opinions"),
    path("sessions/<int:pk>/opinions/import/", imports.opinion_import, name="opinion-import"),
    path(
        "opinions/import-template.xlsx",
        imports.opinion_import_template,
        name="opinion-import-template",
    ),
    path("queue/", queue.agency_queue, name="agency-queue"),
]
