from django.urls import path

from urna.channels.providers.twilio.views import twilio_sms, twilio_status

urlpatterns = [
    path("sms/twilio/", twilio_sms, name="twilio_sms"),
    path("sms/twilio/estado/", twilio_status, name="twilio_status"),
]
