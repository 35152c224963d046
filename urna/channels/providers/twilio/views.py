"""Twilio Programmable Messaging: incoming SMS and message status callbacks.

Both are signed with ``X-Twilio-Signature`` (HMAC-SHA1 of the URL and the sorted POST
parameters, keyed by the auth token). Replies are not sent in the TwiML answer but through the
outbox, so that they are recorded, retried and followed by status callbacks like any message.
"""

from django.http import HttpRequest, HttpResponse

from urna.channels.models import Provider
from urna.channels.providers.twilio.provider import TWILIO
from urna.channels.providers.twilio.signature import request_url
from urna.channels.webhooks import BadRequest, Delivery, Payload, Received, webhook

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _twiml() -> HttpResponse:
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


def _no_content() -> HttpResponse:
    return HttpResponse(status=204)


@webhook(TWILIO, answer=_twiml)
def twilio_sms(request: HttpRequest, raw: str) -> Payload:
    sid = request.POST.get("MessageSid") or request.POST.get("SmsSid") or ""
    sender = request.POST.get("From", "")
    if not sid or not sender:
        raise BadRequest
    message = Received(
        provider=Provider.TWILIO,
        provider_message_id=sid,
        sender=sender,
        recipient=request.POST.get("To", ""),
        body=request.POST.get("Body", ""),
        payload=raw,
        headers={
            "X-Twilio-Signature": request.headers.get("X-Twilio-Signature", ""),
            "url": request_url(request),
        },
    )
    return Payload(messages=[message])


@webhook(TWILIO, answer=_no_content)
def twilio_status(request: HttpRequest, raw: str) -> Payload:
    sid = request.POST.get("MessageSid", "")
    status = request.POST.get("MessageStatus", "")
    if not sid or not status:
        raise BadRequest
    detail = request.POST.get("ErrorCode", "")
    delivery = Delivery(
        backend=Provider.TWILIO,
        provider_message_id=sid,
        status=status,
        detail=f"ErrorCode {detail}" if detail else "",
    )
    return Payload(deliveries=[delivery])
