"""Mounted at ``l/`` by the site's URL map: ``path("l/", include("urna.messaging.urls"))``."""

from django.urls import path

from urna.messaging.views import link_redirect

app_name = "messaging"

urlpatterns = [path("<str:token>/", link_redirect, name="link")]
