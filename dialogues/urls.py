from django.urls import path

from .views import calendar, coverage, exports, feeds, plans, sessions

app_name = "dialogues"

urlpatterns = [
    # Plans, related documents and targets
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/new/", plans.plan_create, name="plan-create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", plans.plan_update, name="plan-update"),
    path("plans/<int:pk>/attachment/", plans.plan_attachment, name="plan-attachment"),
    path("plans/<int:pk>/targets/", plans.target_add, name="target-add"),
    path("plans/<int:pk>/targets/bulk/", plans.target_bulk_add, name="target-bulk-add"),
    path("targets/<int:pk>/delete/", plans.target_delete, name="target-delete"),
    path("plans/<int:pk>/coverage/", coverage.plan_coverage, name="plan-coverage"),
    path("documents/", plans.document_list, name="document-list"),
    path("documents/new/", plans.document_create, name="document-create"),
    path("documents/<int:pk>/edit/", plans.document_update, name="document-update"),
    # Sessions
    path("sessions/", sessions.session_list, name="session-list"),
    path("sessions/new/", sessions.session_create, name="session-create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", sessions.session_update, name="session-update"),
    path("sessions/<int:pk>/held/", sessions.session_mark_held, name="session-mark-held"),
    path("sessions/<int:pk>/record/", sessions.session_record, name="session-record"),
    path("sessions/<int:pk>/postpone/", sessions.session_postpone, name="session-postpone"),
    path("sessions/<int:pk>/reschedule/", sessions.session_reschedule, name="session-reschedule"),
    path("sessions/<int:pk>/publish/", sessions.session_publish, name="session-publish"),
    path("sessions/<int:pk>/cancel/", sessions.session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/minutes/", sessions.session_minutes_file, name="session-minutes-file"),
    path("sessions/<int:pk>/notice/", exports.session_notice, name="session-notice"),
    path("sessions/calendar/", calendar.session_calendar, name="session-calendar"),
    path("sessions/export.xlsx", exports.session_export_xlsx, name="session-export-xlsx"),
    path("sessions/export.csv", exports.session_export_csv, name="session-export-csv"),
    path("calendar/", feeds.feed_settings, name="feed-settings"),
    path("calendar/regenerate/", feeds.feed_regenerate, name="feed-regenerate"),
    path("calendar/<str:token>.ics", feeds.session_feed, name="session-feed"),
]
