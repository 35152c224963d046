from django.urls import path

from urna.channels.ussd.views import ussd_callback

urlpatterns = [path("ussd/", ussd_callback, name="ussd")]
