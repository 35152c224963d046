from django.apps import AppConfig


class QueriesConfig(AppConfig):
    name = "urna.queries"
    label = "queries"
