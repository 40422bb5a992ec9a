from django.contrib.auth import views as auth_views
from django.urls import path

from .access import EVERY_ROLE, allow
from .forms import LoginForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(form_class=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path(
        "logout/",
        allow(*EVERY_ROLE, readers_may_post=True)(auth_views.LogoutView.as_view()),
        name="logout",
    ),
    path(
        "password/",
        allow(*EVERY_ROLE, readers_may_post=True)(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/done/",
        allow(*EVERY_ROLE, readers_may_post=True)(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
]
