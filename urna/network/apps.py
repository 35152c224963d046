from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "urna.network"
    label = "network"
    verbose_name = "Red de respuesta"
