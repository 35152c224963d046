"""Replies by WhatsApp through the Cloud API (the ``whatsapp`` outbox backend)."""

import requests
from django.conf import settings

from urna.channels.devcredentials import credential
from urna.channels.providers.http import TIMEOUT, ProviderError, error_code
from urna.messaging.models import OutboundMessage

WHATSAPP_API = "https://graph.facebook.com/v21.0"


def payload(message: OutboundMessage) -> dict:
    """The Cloud API body: a text reply inside the 24-hour window the citizen opened, or, for a
    dispatch that names one (a campaign, an exercise's news: Urna writes first), an approved
    template with its language and body parameters in order."""
    extras = getattr(message, "extras", None) or {}
    to = message.to.lstrip("+")
    if extras.get("template"):
        template: dict = {
            "name": extras["template"],
            "language": {"code": extras.get("language") or "es"},
        }
        params = [str(p) for p in extras.get("params") or []]
        if params:
            template["components"] = [
                {"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}
            ]
        return {"messaging_product": "whatsapp", "to": to, "type": "template", "template": template}
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"preview_url": False, "body": message.body[:4096]},
    }


def whatsapp_send(message: OutboundMessage) -> str:
    """Send one message (text, or a template: ``payload``); returns its WhatsApp id (status
    webhooks report on it)."""
    token = credential("WHATSAPP_TOKEN")
    phone_number_id = settings.WHATSAPP_PHONE_NUMBER_ID
    if not token or not phone_number_id:
        raise ProviderError("WhatsApp is not configured (WHATSAPP_PHONE_NUMBER_ID)")
    response = requests.post(
        f"{WHATSAPP_API}/{phone_number_id}/messages",
        json=payload(message),
        headers={"Authorization": f"Bearer {token}"},
        timeout=TIMEOUT,
    )
    if response.status_code >= 400:
        raise ProviderError(f"WhatsApp HTTP {response.status_code}: {error_code(response)}")
    return str(response.json()["messages"][0]["id"])
