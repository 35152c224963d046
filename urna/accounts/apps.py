from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "urna.accounts"
    label = "accounts"
