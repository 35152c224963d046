"""Replies by SMS through Africa's Talking (the ``africastalking`` outbox backend)."""

import requests

from urna.channels.devcredentials import credential
from urna.channels.providers.http import TIMEOUT, ProviderError
from urna.messaging.models import OutboundMessage

# 100 Processed, 101 Sent, 102 Queued; anything else is a refusal (e.g. 403 InvalidPhone).
ACCEPTED = {100, 101, 102}


def africastalking_send(message: OutboundMessage) -> str:
    """Send one SMS; returns Africa's Talking's message id (its delivery report names it)."""
    username = credential("AFRICASTALKING_USERNAME")
    api_key = credential("AFRICASTALKING_API_KEY")
    if not username or not api_key:
        raise ProviderError("Africa's Talking is not configured")
    host = "api.sandbox.africastalking.com" if username == "sandbox" else "api.africastalking.com"
    response = requests.post(
        f"https://{host}/version1/messaging",
        data={"username": username, "to": message.to, "message": message.body},
        headers={"apiKey": api_key, "Accept": "application/json"},
        timeout=TIMEOUT,
    )
    if response.status_code >= 400:
        raise ProviderError(f"Africa's Talking HTTP {response.status_code}")
    recipients = response.json().get("SMSMessageData", {}).get("Recipients") or []
    if not recipients:
        raise ProviderError("Africa's Talking accepted no recipient")
    first = recipients[0]
    if int(first.get("statusCode", 0)) not in ACCEPTED:
        raise ProviderError(f"Africa's Talking refused: {first.get('status', '')}")
    return str(first["messageId"])
