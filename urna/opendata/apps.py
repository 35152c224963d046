from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "urna.opendata"
    label = "opendata"
