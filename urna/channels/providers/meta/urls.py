from django.urls import path

from urna.channels.providers.meta.views import meta_webhook

urlpatterns = [path("meta/", meta_webhook, name="meta")]
