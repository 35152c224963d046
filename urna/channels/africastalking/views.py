"""Africa's Talking: incoming SMS and delivery reports.

Africa's Talking does not sign its callbacks; the callback URLs registered in its dashboard carry
a secret ``?token=`` (derived from the API key, see ``devcredentials``), compared in constant time.
"""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from urna.channels.models import Provider
from urna.channels.signatures import africastalking_verify, reject
from urna.channels.webhooks import accept, too_large
from urna.core.middleware import signed_webhook

MAX_BODY = 32 * 1024


@signed_webhook
@csrf_exempt
@require_POST
def at_sms(request: HttpRequest) -> HttpResponse:
    if too_large(request, MAX_BODY):
        return HttpResponse(status=413)
    raw = request.body.decode("utf-8", "replace")  # read before the form parser consumes it
    reason = africastalking_verify(request)
    if reason:
        return reject(request, provider=Provider.AFRICASTALKING, reason=reason)
    message_id = request.POST.get("id", "")
    sender = request.POST.get("from", "")
    if not message_id or not sender:
        return HttpResponse("Bad request", status=400, content_type="text/plain")
    accept(
        provider=Provider.AFRICASTALKING,
        provider_message_id=message_id,
        sender=sender,
        recipient=request.POST.get("to", ""),
        body=request.POST.get("text", ""),
        payload=raw,
        headers={"linkId": request.POST.get("linkId", ""), "date": request.POST.get("date", "")},
    )
    return HttpResponse(status=200)


@signed_webhook
@csrf_exempt
@require_POST
def at_delivery(request: HttpRequest) -> HttpResponse:
    from urna.messaging.services import delivery_record

    if too_large(request, MAX_BODY):
        return HttpResponse(status=413)
    reason = africastalking_verify(request)
    if reason:
        return reject(request, provider=Provider.AFRICASTALKING, reason=reason)
    message_id = request.POST.get("id", "")
    status = request.POST.get("status", "")
    if not message_id or not status:
        return HttpResponse("Bad request", status=400, content_type="text/plain")
    delivery_record(
        backend="africastalking",
        provider_message_id=message_id,
        status=status,
        detail=request.POST.get("failureReason", ""),
    )
    return HttpResponse(status=200)
