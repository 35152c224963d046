from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.contacts import import_views, staff_views, views

app_name = "contacts"

urlpatterns = [
    path("", views.rights_start, name="rights_start"),
    path("codigo/", views.rights_code_view, name="rights_code"),
    path("mis-datos/", views.rights_view, name="rights"),
    path("baja/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("recibir-informacion/", views.subscribe_start, name="subscribe"),
    path("recibir-informacion/codigo/", views.subscribe_code, name="subscribe_code"),
    path("operador/consentimiento/", staff_views.operator_consent, name="operator_consent"),
    *tool_patterns(
        "contacts:imports",
        [
            path("importaciones/", import_views.import_list, name="imports"),
            path("importaciones/<int:pk>/", import_views.import_detail, name="import_detail"),
            path(
                "importaciones/<int:pk>/columnas/",
                import_views.import_columns,
                name="import_columns",
            ),
            path(
                "importaciones/<int:pk>/autorizacion/",
                import_views.import_consent,
                name="import_consent",
            ),
            path(
                "importaciones/<int:pk>/rechazos.csv",
                import_views.import_rejections,
                name="import_rejections",
            ),
        ],
    ),
]
