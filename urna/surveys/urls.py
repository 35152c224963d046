"""Mounted at ``encuestas/`` by the site's URL map."""

from django.urls import path

from urna.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("responder/<str:token>/", views.survey_answer, name="answer"),
    path("<slug:slug>/", views.survey_start, name="start"),
    path("<slug:slug>/resultados/", views.survey_results, name="results"),
]
