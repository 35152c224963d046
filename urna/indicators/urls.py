from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.indicators import staff_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.indicators_page, name="index"),
    path("tablas/<slug:name>.<str:fmt>", views.table_export, name="table_export"),
    path("gestion/", staff_views.staff_dashboard, name="staff_dashboard"),
    # The platform team's goals and manual figures.
    *tool_patterns(
        "indicators:goals",
        [
            path("gestion/manuales/", staff_views.manual_list, name="manual_list"),
            path(
                "gestion/manuales/nuevo/",
                staff_views.manual_indicator_edit,
                name="manual_indicator_new",
            ),
            path(
                "gestion/manuales/<slug:key>/",
                staff_views.manual_indicator_edit,
                name="manual_indicator_edit",
            ),
            path(
                "gestion/manuales/<slug:key>/borrar/",
                staff_views.manual_indicator_delete,
                name="manual_indicator_delete",
            ),
            path(
                "gestion/datos/<int:pk>/", staff_views.manual_value_edit, name="manual_value_edit"
            ),
            path(
                "gestion/datos/<int:pk>/borrar/",
                staff_views.manual_value_delete,
                name="manual_value_delete",
            ),
            path("gestion/metas/", staff_views.goals, name="goals"),
            path("gestion/metas/<int:pk>/borrar/", staff_views.goal_delete, name="goal_delete"),
        ],
    ),
]
