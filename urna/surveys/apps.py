from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "urna.surveys"
    label = "surveys"
    verbose_name = "Encuestas"
