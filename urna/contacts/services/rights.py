"""The rights of a citizen without an account: a one-time code sent to the phone or email proves
the address is theirs."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.utils.translation import gettext as _

from urna.accounts.services import phone_normalise
from urna.contacts.models import (
    Contact,
)
from urna.contacts.selectors import contact_for_address
from urna.contacts.services.people import email_normalise
from urna.core import ratelimit
from urna.core.errors import InvalidInput, RateLimited
from urna.messaging.services import message_queue

# --- The rights of a citizen without an account ------------------------------------------------
# A one-time code sent to the phone or email proves the address is theirs. Nothing is stored
# server-side: the code is an HMAC of the address and a random nonce kept in the citizen's session.

RIGHTS_CODE_MINUTES = 15
RIGHTS_CODE_ATTEMPTS = 5
RIGHTS_CODE_RATE = "3/3600"  # codes sent to one address in an hour (each SMS costs money)
# Codes asked from one network address in an hour: generous (carrier NAT, a community internet
# point), but it stops one machine from pumping SMS to a list of numbers.
RIGHTS_CODE_NETWORK_RATE = "30/3600"


def address_normalise(raw: str) -> str:
    """A phone (E.164) or an email typed by a citizen, normalised; InvalidInput otherwise."""
    raw = (raw or "").strip()
    if not raw:
        raise InvalidInput(_("Escriba su celular o su correo electrónico."), field="address")
    try:
        return email_normalise(raw) if "@" in raw else phone_normalise(raw)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="address") from exc


def rights_code(address: str, nonce: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"contact-rights:{address}:{nonce}".encode(), hashlib.sha256
    ).digest()
    return f"{int.from_bytes(digest[:8]) % 1_000_000:06d}"


def rights_code_send(
    *, address: str, ip: str | None = None, purpose: str = "rights", always: bool = False
) -> str:
    """Send a one-time code to the address when Urna holds a contact for it (or ``always``:
    a citizen subscribing or following an exercise proves a new address), and return the
    nonce for the citizen's session. The answer is the same whether or not a contact exists,
    so the form does not reveal who took part."""
    if ip and not ratelimit.hit("contact-rights-ip", ip, RIGHTS_CODE_NETWORK_RATE):
        raise RateLimited(
            _("Se han pedido muchos códigos desde esta red. Espere una hora."), field="address"
        )
    if not ratelimit.hit("contact-rights", address, RIGHTS_CODE_RATE):
        raise RateLimited(
            _("Ya le enviamos varios códigos. Espere una hora antes de pedir otro."),
            field="address",
        )
    nonce = secrets.token_urlsafe(16)
    contact = contact_for_address(address)
    if contact is not None or always:
        if purpose == "rights":
            text = _(
                "Urna: su código para consultar o borrar sus datos personales es %(code)s. Vence "
                "en %(minutes)s minutos. Si usted no lo pidió, ignore este mensaje."
            )
        else:
            text = _(
                "Urna: su código para confirmar su celular o correo es %(code)s. Vence en "
                "%(minutes)s minutos. Si usted no lo pidió, ignore este mensaje."
            )
        body = text % {"code": rights_code(address, nonce), "minutes": RIGHTS_CODE_MINUTES}
        message_queue(
            channel="email" if "@" in address else "sms",
            to=address,
            body=body,
            subject=_("Su código para consultar sus datos en Urna")
            if purpose == "rights"
            else _("Su código de confirmación de Urna"),
            contact=contact,
        )
    return nonce


def rights_code_check(*, address: str, nonce: str, code: str) -> Contact | None:
    """The contact when the code is right for this address and nonce, else None.

    Each try is counted against the code (its nonce) before it is checked, in one atomic step
    of the rate-limit store: concurrent requests of one session cannot get more than
    ``RIGHTS_CODE_ATTEMPTS`` tries. Past them, RateLimited, even for the right code.
    """
    if not address_code_valid(address=address, nonce=nonce, code=code):
        return None
    return contact_for_address(address)


def address_code_valid(*, address: str, nonce: str, code: str) -> bool:
    """Whether ``code`` is the one sent to ``address`` for ``nonce``; every try counts against
    the nonce first (RateLimited past ``RIGHTS_CODE_ATTEMPTS``)."""
    tries = f"{RIGHTS_CODE_ATTEMPTS}/{RIGHTS_CODE_MINUTES * 60}"
    if not ratelimit.hit("contact-rights-try", nonce, tries):
        raise RateLimited(_("El código venció o se agotaron los intentos. Pida otro."))
    expected = rights_code(address, nonce)
    return hmac.compare_digest(expected, "".join((code or "").split()))
