from django.apps import AppConfig


class SocialAccountsConfig(AppConfig):
    name = "urna.socialaccounts"
    label = "socialaccounts"
    verbose_name = "Redes sociales oficiales"
