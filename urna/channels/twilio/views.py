"""Twilio Programmable Messaging: incoming SMS and message status callbacks.

Both are signed with ``X-Twilio-Signature`` (HMAC-SHA1 of the URL and the sorted POST
parameters, keyed by the auth token). Replies are not sent in the TwiML answer but through the
outbox, so that they are recorded, retried and followed by status callbacks like any message.
"""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from urna.channels.models import Provider
from urna.channels.signatures import reject, request_url, twilio_verify
from urna.channels.webhooks import accept, too_large
from urna.core.middleware import signed_webhook

MAX_BODY = 32 * 1024
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _twiml() -> HttpResponse:
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@signed_webhook
@csrf_exempt
@require_POST
def twilio_sms(request: HttpRequest) -> HttpResponse:
    if too_large(request, MAX_BODY):
        return HttpResponse(status=413)
    raw = request.body.decode("utf-8", "replace")  # read before the form parser consumes it
    reason = twilio_verify(request)
    if reason:
        return reject(request, provider=Provider.TWILIO, reason=reason)
    sid = request.POST.get("MessageSid") or request.POST.get("SmsSid") or ""
    sender = request.POST.get("From", "")
    if not sid or not sender:
        return HttpResponse("Bad request", status=400, content_type="text/plain")
    accept(
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
    return _twiml()


@signed_webhook
@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    from urna.messaging.services import delivery_record

    if too_large(request, MAX_BODY):
        return HttpResponse(status=413)
    reason = twilio_verify(request)
    if reason:
        return reject(request, provider=Provider.TWILIO, reason=reason)
    sid = request.POST.get("MessageSid", "")
    status = request.POST.get("MessageStatus", "")
    if not sid or not status:
        return HttpResponse("Bad request", status=400, content_type="text/plain")
    detail = request.POST.get("ErrorCode", "")
    delivery_record(
        backend="twilio",
        provider_message_id=sid,
        status=status,
        detail=f"ErrorCode {detail}" if detail else "",
    )
    return HttpResponse(status=204)
