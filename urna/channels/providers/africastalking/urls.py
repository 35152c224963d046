from django.urls import path

from urna.channels.providers.africastalking.views import at_delivery, at_sms

urlpatterns = [
    path("sms/africastalking/", at_sms, name="at_sms"),
    path("sms/africastalking/entrega/", at_delivery, name="at_delivery"),
]
