from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "urna.reports"
    label = "reports"
