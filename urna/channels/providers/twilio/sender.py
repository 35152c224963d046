"""Replies by SMS through Twilio Programmable Messaging (the ``twilio`` outbox backend)."""

import requests
from django.conf import settings
from django.urls import reverse

from urna.channels.devcredentials import credential
from urna.channels.providers.http import TIMEOUT, ProviderError, error_code
from urna.messaging.models import OutboundMessage


def _status_url() -> str:
    if not settings.PUBLIC_BASE_URL:
        return ""
    return settings.PUBLIC_BASE_URL + reverse("channels:twilio_status")


def twilio_send(message: OutboundMessage) -> str:
    """Send one SMS; returns Twilio's message sid (its status callback reports on it)."""
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
        raise ProviderError(f"Twilio HTTP {response.status_code}: {error_code(response)}")
    return str(response.json()["sid"])
