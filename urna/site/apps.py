from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The pages that belong to no single domain: the home page, the receipt lookup, the health
    check and the staff office. The top of the layers: it may read from every app."""

    name = "urna.site"
    label = "site"
