"""Included under ``ejercicios/`` beside the exercises' own URLs (which never match these)."""

from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.deliberation import staff_views, views

app_name = "deliberation"

urlpatterns = [
    *tool_patterns(
        "exercises:staff_list",
        [path("gestion/<slug:slug>/deliberacion/", staff_views.manage, name="staff_manage")],
    ),
    path("<slug:slug>/deliberacion/", views.detail, name="detail"),
    path("<slug:slug>/deliberacion/votar/", views.vote, name="vote"),
    path("<slug:slug>/deliberacion/proponer/", views.propose, name="propose"),
]
