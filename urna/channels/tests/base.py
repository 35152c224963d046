"""The shared webhook test base: signed requests as each provider sends them, fixture payloads,
and an open-exercise world to talk to."""

import json
from pathlib import Path
from urllib.parse import urlencode

from urna.channels.devcredentials import africastalking_callback_token
from urna.channels.models import InboundMessage
from urna.channels.providers.meta.signature import meta_signature
from urna.channels.providers.twilio.signature import twilio_signature
from urna.channels.services import inbound_process_pending

PROVIDERS = Path(__file__).resolve().parent.parent / "providers"
TWILIO_TOKEN = "test-twilio-auth-token"
META_SECRET = "test-meta-app-secret"
META_VERIFY = "test-verify-token"
AT_KEY = "test-at-api-key"
AT_TOKEN = africastalking_callback_token(AT_KEY)
PHONE = "+573001234567"


def fixture(provider: str, name: str) -> dict:
    return json.loads((PROVIDERS / provider / "fixtures" / name).read_text(encoding="utf-8"))


def twilio_post(
    client,
    path: str,
    data: dict,
    *,
    token: str = TWILIO_TOKEN,
    signature=None,
    host: str = "testserver",
    scheme: str = "http",
    **extra,
):
    url = f"{scheme}://{host}{path}"
    if signature is None:
        signature = twilio_signature(url, list(data.items()), token)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    return client.post(
        path,
        urlencode(data),
        content_type="application/x-www-form-urlencoded",
        HTTP_HOST=host,
        secure=scheme == "https",
        **headers,
        **extra,
    )


def meta_post(client, payload, *, secret: str = META_SECRET, signature=None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    if signature is None:
        signature = meta_signature(body, secret)
    headers = {"HTTP_X_HUB_SIGNATURE_256": signature} if signature else {}
    return client.post("/channels/meta/", body, content_type="application/json", **headers)


def at_post(client, path: str, data: dict, *, token: str | None = AT_TOKEN):
    query = f"?token={token}" if token is not None else ""
    return client.post(
        f"{path}{query}", urlencode(data), content_type="application/x-www-form-urlencoded"
    )


def ussd(client, text: str, *, session: str = "ATUid_test1", phone: str = PHONE, token=AT_TOKEN):
    return at_post(
        client,
        "/channels/ussd/",
        {
            "sessionId": session,
            "serviceCode": "*384*2026#",
            "phoneNumber": phone,
            "networkCode": "73201",
            "text": text,
        },
        token=token,
    )


class Phone:
    """A citizen's phone writing by SMS (Twilio) or WhatsApp (Meta) through the real webhooks:
    ``send`` posts the provider's payload, processes it and returns Urna's reply."""

    def __init__(self, client, channel: str, prefix: str = "test"):
        self.client, self.channel, self.prefix, self.n = client, channel, prefix, 0

    def send(self, body: str) -> str:
        self.n += 1
        if self.channel == "sms":
            sid = f"SM{self.n:032d}"
            data = {**fixture("twilio", "inbound_sms.json"), "Body": body, "MessageSid": sid}
            assert twilio_post(self.client, "/channels/sms/twilio/", data).status_code == 200
        else:
            sid = f"wamid.{self.prefix}{self.n}"
            payload = fixture("meta", "whatsapp_text.json")
            message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
            message["text"]["body"], message["id"] = body, sid
            assert meta_post(self.client, payload).status_code == 200
        inbound_process_pending()
        return InboundMessage.objects.get(provider_message_id=sid).reply
