from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.queries import views

app_name = "queries"

urlpatterns = [
    path("nueva/", views.query_new, name="new"),
    path("r/<str:receipt>/completar/", views.query_complete, name="complete"),
    path("respuestas/", views.qa_list, name="qa_list"),
    path("respuestas/<int:pk>/", views.qa_detail, name="qa_detail"),
    # The manager's inbox and the pages it opens (triage and the SLA board are tools of their own).
    *tool_patterns(
        "queries:staff_inbox",
        [
            path("gestion/", views.inbox, name="staff_inbox"),
            path("gestion/clasificacion/", views.triage, name="staff_triage"),
            path("gestion/indicadores/", views.sla_board, name="staff_sla"),
            path("gestion/plantillas/", views.templates, name="staff_templates"),
            path("gestion/adjuntos/<int:pk>/", views.attachment_download, name="staff_attachment"),
            path("gestion/<int:pk>/", views.query_detail, name="staff_detail"),
            path("gestion/<int:pk>/<slug:action>/", views.query_action, name="staff_action"),
        ],
    ),
]
