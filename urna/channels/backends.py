"""Provider outbox backends: Twilio, Africa's Talking, WhatsApp Cloud API.

Each takes an ``OutboundMessage``, calls the provider's real HTTP API with ``requests`` and
returns the provider's message id (which its delivery-status webhook later reports on). Any
error raises, so the outbox job retries with backoff. ``ChannelsConfig.ready`` imports this
module at startup, which registers them in ``urna.messaging.backends.BACKENDS``.
"""

import requests
from django.conf import settings

from urna.channels.devcredentials import credential
from urna.messaging.backends import register
from urna.messaging.models import OutboundMessage

TIMEOUT = (5, 20)
WHATSAPP_API = "https://graph.facebook.com/v21.0"


class ProviderError(RuntimeError):
    pass


def _status_url() -> str:
    from django.urls import reverse

    if not settings.PUBLIC_BASE_URL:
        return ""
    return settings.PUBLIC_BASE_URL + reverse("channels:twilio_status")


@register("twilio")
def twilio_backend(message: OutboundMessage) -> str:
    sid = settings.TWILIO_ACCOUNT_SID
    token = credential("TWILIO_AUTH_TOKEN")
    if not sid or not token or not settings.TWILIO_FROM_NUMBER:
        raise ProviderError("Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_FROM_NUMBER)")
    data = {"To": message.to, "From": settings.TWILIO_FROM_NUMBER, "Body": message.body}
    callback = _status_url()
    if callback:
        data["StatusCallback"] = callback
    response = requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json",
        data=data,
        auth=(sid, token),
        timeout=TIMEOUT,
    )
    if response.status_code >= 400:
        raise ProviderError(f"Twilio HTTP {response.status_code}: {_error_of(response)}")
    return str(response.json()["sid"])


@register("africastalking")
def africastalking_backend(message: OutboundMessage) -> str:
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
    # 100 Processed, 101 Sent, 102 Queued; anything else is a refusal (e.g. 403 InvalidPhone).
    if int(first.get("statusCode", 0)) not in {100, 101, 102}:
        raise ProviderError(f"Africa's Talking refused: {first.get('status', '')}")
    return str(first["messageId"])


@register("whatsapp")
def whatsapp_backend(message: OutboundMessage) -> str:
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
        raise ProviderError(f"WhatsApp HTTP {response.status_code}: {_error_of(response)}")
    return str(response.json()["messages"][0]["id"])


def _error_of(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    # Only the provider's error code: its message may quote the citizen's number.
    error = body.get("error") if isinstance(body.get("error"), dict) else body
    return f"code {error.get('code', '?')}" if isinstance(error, dict) else ""
