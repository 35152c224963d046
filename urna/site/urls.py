from django.urls import path

from urna.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("r/", views.receipt_lookup, name="receipt_lookup"),
    path("r/<str:receipt>", views.receipt_status, name="receipt"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("accesibilidad/", views.accessibility_statement, name="accessibility"),
    path("politica-de-datos/", views.data_policy, name="data_policy"),
]
