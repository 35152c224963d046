"""Print the development value of each unset provider credential, and the callback URLs."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from urna.channels.devcredentials import DEV_ENVIRONMENTS, unset_lines
from urna.channels.registry import integration_urls, integrations


class Command(BaseCommand):
    help = "Print development provider credentials (when unset) and the webhook URLs."

    def handle(self, *args, **options):
        if settings.URNA_ENV in DEV_ENVIRONMENTS:
            for line in unset_lines():
                self.stdout.write(line)
        base = settings.PUBLIC_BASE_URL or "http://127.0.0.1:8000"
        for integration in integrations():
            query = integration.callback_query()
            for pattern in integration_urls(integration):
                name = f"channels:{pattern.name}"
                self.stdout.write(f"{name}: {base}{reverse(name)}{query}")
