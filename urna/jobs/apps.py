from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "urna.jobs"
    label = "jobs"
