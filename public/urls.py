from django.urls import path

from . import feeds, staff, views

app_name = "public"

# Short addresses that stay: a unit's page is its official code (/cong-khai/33801/).
urlpatterns = [
    path("cong-khai/", views.unit_list, name="unit-list"),
    path("cong-khai/du-lieu-mo/", views.open_data, name="open-data"),
    path("cong-khai/ngon-ngu/<str:code>/", views.language, name="language"),
    path("cong-khai/<str:code>/", views.unit_page, name="unit"),
    path("cong-khai/<str:code>/tin.atom", feeds.unit_feed, name="unit-feed"),
    path("cong-khai/<str:code>/ket-qua.csv", views.unit_csv, name="unit-csv"),
    path("cong-khai/<str:code>/ket-qua.json", views.unit_json, name="unit-json"),
    path("cong-khai/<str:code>/<str:public_id>/", views.session_page, name="session"),
    # Staff: what of a session is public.
    path("sessions/<int:pk>/publication/", staff.publication, name="session-publication"),
    path("sessions/<int:pk>/publication/announce/", staff.announce, name="session-announce"),
    path("sessions/<int:pk>/publication/withdraw-announcement/", staff.withdraw_announcement,
         name="session-withdraw-announcement"),
    path("sessions/<int:pk>/publication/results/", staff.publish_results,
         name="session-publish-results"),
    path("sessions/<int:pk>/publication/withdraw-results/", staff.withdraw_results,
         name="session-withdraw-results"),
    path("opinions/<int:pk>/publication/withdraw/", staff.withdraw_opinion,
         name="opinion-withdraw"),
    path("reports/sessions/<int:pk>/results.pdf", staff.results_pdf, name="session-results-pdf"),
]  # fmt: skip
