"""Africa's Talking: incoming SMS and delivery reports.

Africa's Talking does not sign its callbacks; the callback URLs registered in its dashboard carry
a secret ``?token=`` (derived from the API key, see ``devcredentials``), compared in constant time.
"""

from django.http import HttpRequest, HttpResponse

from urna.channels.models import Provider
from urna.channels.providers.africastalking.provider import AFRICASTALKING
from urna.channels.webhooks import BadRequest, Delivery, Payload, Received, webhook


def _ok() -> HttpResponse:
    return HttpResponse(status=200)


@webhook(AFRICASTALKING, answer=_ok)
def at_sms(request: HttpRequest, raw: str) -> Payload:
    message_id = request.POST.get("id", "")
    sender = request.POST.get("from", "")
    if not message_id or not sender:
        raise BadRequest
    message = Received(
        provider=Provider.AFRICASTALKING,
        provider_message_id=message_id,
        sender=sender,
        recipient=request.POST.get("to", ""),
        body=request.POST.get("text", ""),
        payload=raw,
        headers={"linkId": request.POST.get("linkId", ""), "date": request.POST.get("date", "")},
    )
    return Payload(messages=[message])


@webhook(AFRICASTALKING, answer=_ok)
def at_delivery(request: HttpRequest, raw: str) -> Payload:
    message_id = request.POST.get("id", "")
    status = request.POST.get("status", "")
    if not message_id or not status:
        raise BadRequest
    delivery = Delivery(
        backend=Provider.AFRICASTALKING,
        provider_message_id=message_id,
        status=status,
        detail=request.POST.get("failureReason", ""),
    )
    return Payload(deliveries=[delivery])
