from django.urls import path

from urna.accounts.staff_tools import tool_patterns
from urna.channels import registry
from urna.channels.console.views import console_entry, console_start
from urna.channels.views import inbound_list, inbound_retry_view, social_links

app_name = "channels"

urlpatterns = [
    # Each registered provider's webhooks (its folder's urls.py): /ussd/, /sms/…, /meta/.
    *registry.urlpatterns(),
    *tool_patterns(
        "channels:console",
        [
            path("consola/", console_start, name="console"),
            path("consola/<int:pk>/", console_entry, name="console_entry"),
        ],
    ),
    path("gestion/mensajes/", inbound_list, name="inbound_list"),
    path("gestion/mensajes/<int:pk>/reintentar/", inbound_retry_view, name="inbound_retry"),
    path("gestion/publicaciones/", social_links, name="social_links"),
]
