from django.urls import path

from urna.ops import metrics

app_name = "ops"

urlpatterns = [path("metrics", metrics.metrics, name="metrics")]
