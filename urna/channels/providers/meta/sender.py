"""Replies by WhatsApp through the Cloud API (the ``whatsapp`` outbox backend)."""

import requests
from django.conf import settings

from urna.channels.devcredentials import credential
from urna.channels.providers.http import TIMEOUT, ProviderError, error_code
from urna.messaging.models import OutboundMessage

WHATSAPP_API = "https://graph.facebook.com/v21.0"


def whatsapp_send(message: OutboundMessage) -> str:
    """Send one text message; returns its WhatsApp id (status webhooks report on it)."""
    token = credential("WHATSAPP_TOKEN")
    phone_number_id = settings.WHATSAPP_PHONE_NUMBER_ID
    if not token or not phone_number_id:
        raise ProviderError("WhatsApp is not configured (WHATSAPP_PHONE_NUMBER_ID)")
    response = requests.post(
        f"{WHATSAPP_API}/{phone_number_id}/messages",
        json={
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.to.lstrip("+"),
            "type": "text",
            "text": {"preview_url": False, "body": message.body[:4096]},
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=TIMEOUT,
    )
    if response.status_code >= 400:
        raise ProviderError(f"WhatsApp HTTP {response.status_code}: {error_code(response)}")
    return str(response.json()["messages"][0]["id"])
