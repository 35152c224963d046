from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "urna.messaging"
    label = "messaging"
