from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "urna.contacts"
    label = "contacts"
