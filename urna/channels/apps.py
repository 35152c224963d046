from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "urna.channels"
    label = "channels"
