"""The site's URL map with the tracked links mounted where urna/urls.py mounts them."""

from django.urls import include, path

from urna.urls import urlpatterns as site

urlpatterns = [path("l/", include("urna.messaging.urls")), *site]
