from django.urls import path

from urna.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("r/", views.receipt_lookup, name="receipt_lookup"),
    path("r/<str:receipt>", views.receipt_status, name="receipt"),
    path("healthz", views.healthz, name="healthz"),
]
