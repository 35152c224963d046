"""Mounted at ``redes-oficiales/`` by the site's URL map: the public directory and, under
``equipo/``, the staff pages (the official accounts tool)."""

from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.socialaccounts import staff_views, views

app_name = "socialaccounts"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("verificar/", views.check, name="check"),
    path("<int:pk>/", views.account, name="account"),
    *tool_patterns(
        "socialaccounts:staff_list",
        [
            path("equipo/", staff_views.staff_list, name="staff_list"),
            path("equipo/nueva/", staff_views.staff_create, name="staff_create"),
            path("equipo/<int:pk>/", staff_views.staff_edit, name="staff_edit"),
            path("equipo/<int:pk>/cifra/", staff_views.staff_figure, name="staff_figure"),
            path("equipo/importar/", staff_views.staff_import, name="staff_import"),
            path(
                "equipo/importaciones/<int:pk>/",
                staff_views.import_detail,
                name="import_detail",
            ),
            path(
                "equipo/importaciones/<int:pk>/rechazos.csv",
                staff_views.import_rejections,
                name="import_rejections",
            ),
            path("equipo/consejos/", staff_views.advice, name="advice"),
        ],
    ),
]
