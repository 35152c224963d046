from django.urls import path

from urna.channels.africastalking.views import at_delivery, at_sms
from urna.channels.console.views import console_entry, console_start
from urna.channels.meta.views import meta_webhook
from urna.channels.twilio.views import twilio_sms, twilio_status
from urna.channels.ussd.views import ussd_callback
from urna.channels.views import inbound_list, inbound_retry_view, social_links

app_name = "channels"

urlpatterns = [
    path("ussd/", ussd_callback, name="ussd"),
    path("sms/twilio/", twilio_sms, name="twilio_sms"),
    path("sms/twilio/estado/", twilio_status, name="twilio_status"),
    path("sms/africastalking/", at_sms, name="at_sms"),
    path("sms/africastalking/entrega/", at_delivery, name="at_delivery"),
    path("meta/", meta_webhook, name="meta"),
    path("consola/", console_start, name="console"),
    path("consola/<int:pk>/", console_entry, name="console_entry"),
    path("gestion/mensajes/", inbound_list, name="inbound_list"),
    path("gestion/mensajes/<int:pk>/reintentar/", inbound_retry_view, name="inbound_retry"),
    path("gestion/publicaciones/", social_links, name="social_links"),
]
