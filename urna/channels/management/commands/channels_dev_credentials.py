"""Print the development value of each unset provider credential, and the callback URLs."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from urna.channels.devcredentials import DEV_ENVIRONMENTS, at_token, unset_lines


class Command(BaseCommand):
    help = "Print development provider credentials (when unset) and the webhook URLs."

    def handle(self, *args, **options):
        if settings.URNA_ENV in DEV_ENVIRONMENTS:
            for line in unset_lines():
                self.stdout.write(line)
        base = settings.PUBLIC_BASE_URL or "http://127.0.0.1:8000"
        token = at_token() or "<set AFRICASTALKING_API_KEY>"
        for name, query in [
            ("channels:ussd", f"?token={token}"),
            ("channels:at_sms", f"?token={token}"),
            ("channels:at_delivery", f"?token={token}"),
            ("channels:twilio_sms", ""),
            ("channels:twilio_status", ""),
            ("channels:meta", ""),
        ]:
            self.stdout.write(f"{name}: {base}{reverse(name)}{query}")
