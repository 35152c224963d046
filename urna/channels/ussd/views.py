"""``POST /channels/ussd/`` — Africa's Talking's USSD callback.

Form fields ``sessionId``, ``serviceCode``, ``phoneNumber``, ``networkCode``, ``text``; the
answer is ``text/plain`` starting with ``CON `` (the session goes on) or ``END ``. Africa's
Talking does not sign callbacks, so the callback URL carries ``?token=`` (see the README).
"""

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from urna.channels.models import InboundMessage, Provider
from urna.channels.providers.africastalking.signature import africastalking_verify
from urna.channels.services import inbound_process, inbound_store
from urna.channels.ussd.menu import Screen, fit, walk
from urna.channels.ussd.provider import USSD
from urna.channels.webhooks import reject
from urna.core.middleware import signed_webhook

MAX_TEXT = 1000
Status = InboundMessage.Status


def _plain(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def step_id(session_id: str, text: str) -> str:
    """One step of a session: its id plus the inputs so far (a retry repeats both)."""
    return f"{session_id[:120]}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


@signed_webhook
@csrf_exempt
@require_POST
def ussd_callback(request: HttpRequest) -> HttpResponse:
    if int(request.META.get("CONTENT_LENGTH") or 0) > USSD.max_body:
        return _plain("END " + _("Solicitud demasiado larga."), status=413)
    raw = request.body.decode("utf-8", "replace")  # read before the form parser consumes it
    reason = africastalking_verify(request)
    if reason:
        return reject(request, provider=Provider.USSD, reason=reason)
    session_id = request.POST.get("sessionId", "").strip()
    phone = request.POST.get("phoneNumber", "").strip()
    text = request.POST.get("text", "")
    if not session_id or not phone or len(text) > MAX_TEXT:
        return _plain(Screen(fit(_("Solicitud no valida."), []), end=True).response, status=400)
    fields = {
        "provider": Provider.USSD,
        "provider_message_id": step_id(session_id, text),
        "sender": phone,
        "recipient": request.POST.get("serviceCode", "")[:254],
        "body": text,
        "payload": raw,
    }
    screen = walk(text)
    if screen.action is None:
        # Moving through the menu changes nothing: the step is stored with its screen at once.
        message, _created = inbound_store(
            **fields,
            status=Status.PROCESSED,
            result=InboundMessage.Result.MENU,
            reply=screen.response,
        )
    else:
        message, _created = inbound_store(**fields)
    if message.status == Status.RECEIVED:
        inbound_process(message_id=message.pk)
        message.refresh_from_db(fields=["status", "reply"])
    if message.status == Status.FAILED or not message.reply:
        return _plain(
            Screen(
                fit(_("Recibimos su mensaje y lo procesaremos. Intente mas tarde."), []), end=True
            ).response
        )
    return _plain(message.reply)
