"""Mounted at ``encuentros/`` by the site's URL map."""

from django.urls import path

from urna.meetings import staff_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("cancelar/", views.cancel, name="cancel"),
    path("gestion/", staff_views.meeting_list, name="staff_list"),
    path("gestion/nuevo/", staff_views.meeting_create, name="staff_create"),
    path("gestion/<slug:slug>/", staff_views.meeting_manage, name="staff_manage"),
    path("gestion/<slug:slug>/publicar/", staff_views.meeting_publish, name="staff_publish"),
    path("gestion/<slug:slug>/cancelar/", staff_views.meeting_cancel, name="staff_cancel"),
    path("gestion/<slug:slug>/asistencia/", staff_views.attendance, name="staff_attendance"),
    path("gestion/<slug:slug>/acta/", staff_views.minutes, name="staff_minutes"),
    path("gestion/<slug:slug>/aportes/", staff_views.contribution_enter, name="staff_contribution"),
    path("<slug:slug>/", views.meeting_detail, name="detail"),
    path("<slug:slug>/inscripcion/<str:code>/", views.registration, name="registration"),
]
