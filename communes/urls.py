from django.urls import path

from . import views

app_name = "communes"

urlpatterns = [
    path("", views.unit_tree, name="unit-tree"),
    path("<int:pk>/", views.unit_detail, name="unit-detail"),
]
