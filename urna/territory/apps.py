from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "urna.territory"
    label = "territory"
