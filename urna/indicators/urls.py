from django.urls import path

from urna.indicators import views

app_name = "indicators"

urlpatterns = [path("", views.indicators_page, name="index")]
