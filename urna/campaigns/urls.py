"""Mounted at ``campanas/`` by the site's URL map."""

from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.campaigns import views

app_name = "campaigns"

# Every page is inside the campaigns tool.
urlpatterns = tool_patterns(
    "campaigns:list",
    [
        path("", views.campaign_list, name="list"),
        path("nueva/", views.campaign_create, name="create"),
        path("<int:pk>/", views.campaign_detail, name="detail"),
        path("<int:pk>/editar/", views.campaign_edit, name="edit"),
        path("<int:pk>/metricas/", views.campaign_metrics, name="metrics"),
        path("<int:pk>/prueba/", views.campaign_test_send, name="test_send"),
        path("<int:pk>/<slug:action>/", views.campaign_action, name="action"),
        path("segmentos/nuevo/", views.segment_create, name="segment_create"),
        path("segmentos/conteo/", views.segment_count, name="segment_count"),
        path("segmentos/<int:pk>/", views.segment_edit, name="segment_edit"),
    ],
)
