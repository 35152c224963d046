from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.insights import views

app_name = "insights"

urlpatterns = [
    # Moderation alerts open to the exercise's moderators too, without the analysis tool: the
    # view checks either action itself (a 403 for staff with neither).
    path("<slug:slug>/alertas/", views.flags, name="flags"),
    *tool_patterns(
        "insights:list",
        [
            path("", views.exercise_list, name="list"),
            path("<slug:slug>/", views.workspace, name="workspace"),
            path("<slug:slug>/ejecutar/", views.run, name="run"),
            path("<slug:slug>/progreso/", views.progress, name="progress"),
            path("<slug:slug>/mover/", views.move, name="move"),
            path("<slug:slug>/sin-clasificar/", views.unclassified, name="unclassified"),
            path("<slug:slug>/graficos/", views.charts, name="charts"),
            path("<slug:slug>/temas/<int:pk>/", views.theme_detail, name="theme"),
            path("<slug:slug>/temas/<int:pk>/nombre/", views.theme_rename, name="theme_rename"),
            path("<slug:slug>/temas/<int:pk>/hallazgo/", views.theme_finding, name="theme_finding"),
            path("<slug:slug>/temas/<int:pk>/fusionar/", views.theme_merge, name="theme_merge"),
            path("<slug:slug>/temas/<int:pk>/dividir/", views.theme_split, name="theme_split"),
            path("<slug:slug>/temas/<int:pk>/citas/", views.theme_pin, name="theme_pin"),
            path("<slug:slug>/grupos/<int:pk>/", views.group_detail, name="group"),
        ],
    ),
]
