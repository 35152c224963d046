from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "urna.entities"
    label = "entities"
