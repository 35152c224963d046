from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "urna.core"
    label = "core"
