from django.contrib.auth.views import LogoutView
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
]
