from django.urls import path

from . import views

app_name = "obligations"

urlpatterns = [
    path("", views.compliance_page, name="compliance"),
]
