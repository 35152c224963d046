from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.reports import informe_views, views

app_name = "reports"

STAFF_INFORME = "gestion/<slug:slug>/informe-observaciones"
INFORME = "<slug:slug>/informe-observaciones"

urlpatterns = [
    path("", views.index, name="index"),
    path("anual/<int:year>/", views.annual, name="annual"),
    *tool_patterns(
        "reports:staff_list",
        [
            path("gestion/", views.staff_list, name="staff_list"),
            path("gestion/<slug:slug>/", views.takeaways_edit, name="takeaways"),
        ],
    ),
    # The draft informe is a page of the exercise (linked from its results matrix): whoever
    # manages the exercise reads it, with or without the reports tool.
    *tool_patterns(
        "exercises:staff_list",
        [
            path(f"{STAFF_INFORME}/", informe_views.staff_informe, name="informe_staff"),
            path(f"{STAFF_INFORME}.pdf", informe_views.staff_informe_pdf, name="informe_staff_pdf"),
            path(f"{STAFF_INFORME}.csv", informe_views.staff_informe_csv, name="informe_staff_csv"),
            path(
                f"{STAFF_INFORME}/generar/",
                informe_views.staff_informe_build,
                name="informe_build",
            ),
            path(
                f"{STAFF_INFORME}/progreso/",
                informe_views.staff_informe_progress,
                name="informe_progress",
            ),
        ],
    ),
    path("<slug:slug>/", views.exercise_report, name="exercise"),
    path("<slug:slug>/informe.pdf", views.exercise_pdf, name="exercise_pdf"),
    path(f"{INFORME}/", informe_views.informe, name="informe"),
    path(f"{INFORME}.pdf", informe_views.informe_pdf, name="informe_pdf"),
    path(f"{INFORME}.csv", informe_views.informe_csv, name="informe_csv"),
]
