from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("units/", include("communes.urls")),
    path("", include("dialogues.urls")),
    path("", include("feedback.urls")),
    path("reports/", include("reports.urls")),
    path("compliance/", include("obligations.urls")),
    path("accounts/", include("accounts.urls")),
    # What residents see, without a login (/cong-khai/), and where staff decide it.
    path("", include("public.urls")),
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
