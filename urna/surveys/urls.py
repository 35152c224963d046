"""Mounted at ``encuestas/`` by the site's URL map: the public pages and, under ``equipo/``,
the staff pages (the surveys tool)."""

from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.surveys import staff_views, views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("responder/<str:token>/", views.survey_answer, name="answer"),
    *tool_patterns(
        "surveys:staff_list",
        [
            path("equipo/", staff_views.staff_list, name="staff_list"),
            path("equipo/nueva/", staff_views.staff_import, name="staff_import"),
            path("equipo/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
            path("equipo/<int:pk>/textos/", staff_views.staff_labels, name="staff_labels"),
            path("equipo/<int:pk>/margenes/", staff_views.staff_margins, name="staff_margins"),
            path("equipo/<int:pk>/cuotas/", staff_views.staff_quotas, name="staff_quotas"),
            path("equipo/<int:pk>/invitar/", staff_views.staff_invite, name="staff_invite"),
            path("equipo/<int:pk>/xlsform.xlsx", staff_views.staff_xlsform, name="staff_xlsform"),
            path(
                "equipo/<int:pk>/entrevista/",
                staff_views.interview_start,
                name="interview_start",
            ),
            path("equipo/entrevista/<str:token>/", staff_views.interview, name="interview"),
            path("equipo/<int:pk>/<slug:action>/", staff_views.staff_action, name="staff_action"),
        ],
    ),
    path("<slug:slug>/", views.survey_start, name="start"),
    path("<slug:slug>/resultados/", views.survey_results, name="results"),
    path(
        "<slug:slug>/descargas/<slug:what>.<str:fmt>",
        views.survey_export,
        name="export",
    ),
]
