from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "urna.deliberation"
    label = "deliberation"
    verbose_name = "Deliberación"
