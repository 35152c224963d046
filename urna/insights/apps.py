from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "urna.insights"
    label = "insights"
