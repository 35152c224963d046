from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "urna.results"
    label = "results"
    verbose_name = "Matriz de resultados"
