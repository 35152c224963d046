from django.contrib.auth.views import (
    LogoutView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
)
from django.urls import path

from urna.accounts import views

app_name = "accounts"

urlpatterns = [
    path("entrar/", views.login_view, name="login"),
    path("salir/", LogoutView.as_view(next_page="/"), name="logout"),
    path("registro/", views.signup_view, name="signup"),
    path("mis-datos/", views.my_data_view, name="my_data"),
    path("tokens-api/", views.api_tokens_view, name="api_tokens"),
    path("tokens-api/<int:pk>/revocar/", views.api_token_revoke_view, name="api_token_revoke"),
    # The link staff receive when invited (``urna.network``): they set their own password.
    path(
        "clave/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(
            template_name="accounts/password_set.html",
            success_url="/cuenta/clave/lista/",
        ),
        name="password_set",
    ),
    path(
        "clave/lista/",
        PasswordResetCompleteView.as_view(template_name="accounts/password_set_done.html"),
        name="password_set_done",
    ),
]
