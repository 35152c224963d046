from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "urna.indicators"
    label = "indicators"
