from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "urna.campaigns"
    label = "campaigns"
    verbose_name = "Campañas"
