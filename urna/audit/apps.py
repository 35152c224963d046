from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "urna.audit"
    label = "audit"
