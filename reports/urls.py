from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("new/", views.report_create, name="report-create"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("<int:pk>/issue/", views.report_issue_view, name="report-issue"),
    path("<int:pk>/signed/", views.report_attach, name="report-attach"),
    path("<int:pk>/signed-copy/", views.report_signed_copy, name="report-signed-copy"),
    path("<int:pk>/correct/", views.report_correct_view, name="report-correct"),
    path("<int:pk>/download/", views.report_download, name="report-download"),
    path("<int:pk>/download.docx", views.report_download_docx, name="report-download-docx"),
    path("<int:pk>/retry/", views.report_retry_view, name="report-retry"),
    path("letterhead/", views.letterhead_mine, name="letterhead-mine"),
    path("letterhead/<int:unit_pk>/", views.letterhead_edit, name="letterhead"),
    path("sessions/<int:pk>/minutes.pdf", views.session_minutes, name="session-minutes-pdf"),
    path("sessions/<int:pk>/notice.pdf", views.session_notice, name="session-notice-pdf"),
]
