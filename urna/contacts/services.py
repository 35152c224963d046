"""Contacts: created only with consent, opt-out, access and erasure (Ley 1581 de 2012).

A contact's address is also copied outside the ``Contact`` row: the raw channel messages it sent
(``channels``), the outbox (``messaging``), and the contributions and queries it is linked to.
Those apps register a ``PersonalDataHolder`` in their ``AppConfig.ready()``, so the citizen's
rights of access and suppression reach every copy without this app importing them.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.services import citizen_data_export, citizen_erase, phone_normalise
from urna.audit.services import audit_record
from urna.contacts.models import Contact
from urna.core import ratelimit
from urna.core.errors import InvalidInput, RateLimited

CONSENT_VERSION = "2026-01"


@dataclass(frozen=True)
class ContactDetails:
    """Contact details a citizen gave with a submission, from any channel."""

    phone: str = ""
    email: str = ""
    handle: str = ""
    name: str = ""
    consent: bool = False
    # Separate, explicit opt-in to the CRM's campaigns (never implied by a submission).
    campaigns: bool = False

    @property
    def empty(self) -> bool:
        return not (self.phone.strip() or self.email.strip() or self.handle.strip())


def contact_from_details(details: "ContactDetails | None", *, channel: str) -> "Contact | None":
    """The Contact for details given with a submission (None when none were given)."""
    if details is None or details.empty:
        return None
    return contact_get_or_create(
        phone=details.phone,
        email=details.email,
        handle=details.handle,
        name=details.name,
        consent=details.consent,
        campaigns=details.campaigns,
        channel=channel,
    )


def email_normalise(raw: str) -> str:
    email = raw.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(_("El correo electrónico no es válido."), field="email") from exc
    return email


def contact_get_or_create(
    *,
    phone: str = "",
    email: str = "",
    handle: str = "",
    name: str = "",
    consent: bool,
    channel: str,
    campaigns: bool = False,
) -> Contact | None:
    """The contact for a phone, email or social handle, created or updated with consent.

    Returns None when no contact detail was given. Raises InvalidInput when details were given
    without consent: Urna never stores a citizen's contact without their authorisation.
    """
    phone = phone_normalise(phone) if phone and phone.strip() else ""
    email = email_normalise(email) if email and email.strip() else ""
    handle = handle.strip()
    if not (phone or email or handle):
        return None
    if not consent:
        raise InvalidInput(
            _(
                "Para guardar su contacto debe autorizar el tratamiento de sus datos personales "
                "(Ley 1581 de 2012)."
            ),
            field="consent",
        )
    lookup = {"phone": phone} if phone else {"email": email} if email else {"handle": handle}
    now = timezone.now()
    for _attempt in range(2):
        contact = Contact.objects.filter(**lookup).first()
        if contact is not None:
            updates = {"consent_at": now, "consent_channel": channel}
            if campaigns:
                updates["campaign_consent_at"] = now
            updates["consent_version"] = CONSENT_VERSION
            if email and not contact.email and not Contact.objects.filter(email=email).exists():
                updates["email"] = email
            if name and not contact.name:
                updates["name"] = name[:150]
            Contact.objects.filter(pk=contact.pk).update(**updates)
            return contact
        try:
            with transaction.atomic():
                return Contact.objects.create(
                    phone=phone or None,
                    email=email or None,
                    handle=handle or None,
                    name=name[:150],
                    consent_at=now,
                    consent_channel=channel,
                    consent_version=CONSENT_VERSION,
                    campaign_consent_at=now if campaigns else None,
                )
        except IntegrityError:  # a concurrent request created it; read it on the next turn
            continue
    return Contact.objects.get(**lookup)


def contact_opt_out(*, contact: Contact, channel: str = "") -> Contact:
    """Stop campaigns to this contact. Answers to the citizen's own requests still go out."""
    if contact.opted_out_at is None:
        with transaction.atomic():
            Contact.objects.filter(pk=contact.pk).update(opted_out_at=timezone.now())
            audit_record(
                action="contact.opt_out", obj=contact, actor_label=f"citizen:{channel or 'web'}"
            )
        contact.refresh_from_db()
    return contact


@dataclass(frozen=True)
class PersonalDataHolder:
    """Where an app keeps a contact's personal data, and how to export and erase it.

    Both callables take the contact (None for a citizen who wrote in without leaving a
    contact) and its addresses in every form a provider writes them (``address_forms``).
    ``export`` returns JSON-ready rows; ``erase`` removes the personal data (keeping what a
    public record or the audit trail needs) and returns how many rows it touched. A holder of
    public records (contributions, queries) has no ``erase``: emptying the contact row is what
    unlinks them from the person.
    """

    label: str
    export: Callable[[Contact | None, list[str]], list[dict[str, Any]]]
    erase: Callable[[Contact | None, list[str]], int] | None = None
    # Retention: empty the personal data of copies no longer needed, made before this moment.
    expire: Callable[[datetime], int] | None = None
    # Records a citizen may file while logged in (queries, contributions): ``account_export``
    # gives an account's own rows; ``contact_links`` the (contact id, account id or None) pairs
    # of the records that link a contact, of one account (``user=``) or of some contacts
    # (``contact_ids=``). See ``account_data_export``.
    account_export: Callable[[Any], list[dict[str, Any]]] | None = None
    contact_links: Callable[..., set[tuple[int, int | None]]] | None = None


PERSONAL_DATA_HOLDERS: dict[str, PersonalDataHolder] = {}


def register_personal_data(holder: PersonalDataHolder) -> None:
    PERSONAL_DATA_HOLDERS[holder.label] = holder


def address_forms(*addresses: str | None) -> list[str]:
    """Addresses as providers write them: a phone as '+57300…', '57300…' (WhatsApp Cloud) and
    'whatsapp:+57300…' (Twilio); an email; a social handle ('facebook:123')."""
    found: list[str] = []
    for address in filter(None, addresses):
        if address.startswith("+"):
            found += [address, address.removeprefix("+"), f"whatsapp:{address}"]
        else:
            found.append(address)
    return found


def address_match(field: str, addresses: list[str]) -> Q:
    """A filter on ``field`` for any of the addresses (emails compared without regard to case);
    matches nothing when there are none."""
    query = Q(**{f"{field}__in": [a for a in addresses if "@" not in a]})
    for email in (a for a in addresses if "@" in a):
        query |= Q(**{f"{field}__iexact": email})
    return query


def contact_addresses(contact: Contact) -> list[str]:
    return address_forms(contact.phone, contact.email, contact.handle)


def contact_export(*, contact: Contact) -> dict[str, Any]:
    """Everything Urna holds about a contact (the citizen's right of access)."""
    addresses = contact_addresses(contact)
    data: dict[str, Any] = {
        "phone": contact.phone,
        "email": contact.email,
        "name": contact.name,
        "handle": contact.handle,
        "consent_at": contact.consent_at.isoformat() if contact.consent_at else None,
        "consent_channel": contact.consent_channel,
        "consent_version": contact.consent_version,
        "campaign_consent_at": (
            contact.campaign_consent_at.isoformat() if contact.campaign_consent_at else None
        ),
        "opted_out_at": contact.opted_out_at.isoformat() if contact.opted_out_at else None,
        "created_at": contact.created_at.isoformat(),
    }
    for label, holder in sorted(PERSONAL_DATA_HOLDERS.items()):
        data[label] = holder.export(contact, addresses)
    return data


def _erase_copies(contact: Contact | None, addresses: list[str]) -> dict[str, int]:
    return {
        label: holder.erase(contact, addresses)
        for label, holder in sorted(PERSONAL_DATA_HOLDERS.items())
        if holder.erase is not None
    }


def contact_erase(*, contact: Contact, by: Any = None, channel: str = "web") -> Contact:
    """Delete a citizen's personal data (right of suppression), in the contact row and in every
    registered copy (raw messages, the outbox). Contributions and queries stay, without the
    link to the person: they are part of a public record. History keeps an empty row."""
    with transaction.atomic():
        touched = _erase_copies(contact, contact_addresses(contact))
        now = timezone.now()
        Contact.objects.filter(pk=contact.pk).update(
            phone=None,
            email=None,
            handle=None,
            name="",
            erased_at=now,
            opted_out_at=contact.opted_out_at or now,
        )
        audit_record(
            action="contact.erase",
            obj=contact,
            actor=by,
            actor_label="" if by is not None else f"citizen:{channel}",
            after={"rows": touched},
        )
    contact.refresh_from_db()
    return contact


# --- The rights of a citizen with an account ----------------------------------------------------
# The account holds what it filed (queries, contributions) and the contacts those filings link.
# Anyone may type any address on a form, so an account reaches a contact (every copy of it, to see
# or erase) only when no filing made without that account links it; the others are counted, and
# their owner proves them with a code at /datos-personales/.


def account_contacts(*, user: Any) -> tuple[list[Contact], int]:
    """The contacts that only this account's filings link, and how many others they link."""
    holders = [h for h in PERSONAL_DATA_HOLDERS.values() if h.contact_links is not None]
    linked = {contact for h in holders for contact, _ in h.contact_links(user=user)}
    shared = {
        contact
        for h in holders
        for contact, filer in h.contact_links(contact_ids=linked)
        if filer != user.pk
    }
    own = list(Contact.objects.filter(pk__in=linked - shared, erased_at__isnull=True))
    others = Contact.objects.filter(pk__in=linked & shared, erased_at__isnull=True).count()
    return own, others


def account_data_export(*, user: Any) -> dict[str, Any]:
    """Everything Urna holds about a citizen's account (the right of access): the account, what
    it filed, and the contacts only its filings link, with every copy of them."""
    data = citizen_data_export(user=user)
    for label, holder in sorted(PERSONAL_DATA_HOLDERS.items()):
        if holder.account_export is not None:
            data[label] = holder.account_export(user)
    own, others = account_contacts(user=user)
    data["contacts"] = [contact_export(contact=contact) for contact in own]
    data["contacts_not_shown"] = others
    return data


def account_data_erase(*, user: Any) -> None:
    """Delete a citizen's account and the contacts only its filings link (the right of
    suppression). What it filed stays, without the person: it is part of a public record."""
    with transaction.atomic():
        own, _others = account_contacts(user=user)
        citizen_erase(user=user)
        for contact in own:
            contact_erase(contact=contact, channel="web")


def address_erase(*, address: str, channel: str, trail: Any) -> dict[str, int]:
    """Erase what Urna holds for a normalised phone or email, asked from that address itself
    (an SMS from the phone). A citizen who only wrote in has raw messages but no contact row;
    ``trail`` is the object the audit entry hangs on then (the message that asked)."""
    contact = contact_for_address(address)
    if contact is not None:
        contact_erase(contact=contact, channel=channel)
        return {}
    with transaction.atomic():
        touched = _erase_copies(None, address_forms(address))
        audit_record(
            action="contact.erase",
            obj=trail,
            actor_label=f"citizen:{channel}",
            after={"rows": touched},
        )
    return touched


RETENTION_CHUNK = 2000


def in_chunks(queryset: Any, apply: Callable[[Any], int]) -> int:
    """Apply ``apply`` to the queryset's rows a chunk at a time, each chunk in its own short
    transaction (a year of SMS is millions of rows: one UPDATE would hold SQLite's write lock
    for the whole of it). ``apply`` must take the rows out of ``queryset``."""
    total = 0
    model = queryset.model
    while ids := list(queryset.order_by("pk").values_list("pk", flat=True)[:RETENTION_CHUNK]):
        with transaction.atomic():
            total += apply(model.objects.filter(pk__in=ids))
    return total


def retention_days() -> int:
    """Days a working copy of a citizen's address (a raw channel message, a sent message) is kept
    once it has done its job (``PERSONAL_DATA_RETENTION_DAYS``; 0 keeps them)."""
    return int(getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", 365))


def personal_data_expire(*, now: datetime | None = None) -> dict[str, int]:
    """Apply the retention period to every registered copy (Decreto 1377 de 2013: data kept only
    as long as its purpose needs). Returns the rows emptied per holder."""
    days = retention_days()
    if days <= 0:
        return {}
    before = (now or timezone.now()) - timedelta(days=days)
    return {
        label: holder.expire(before)
        for label, holder in sorted(PERSONAL_DATA_HOLDERS.items())
        if holder.expire is not None
    }


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


def contact_for_address(address: str) -> Contact | None:
    """The (not erased) contact for a normalised address."""
    lookup = {"email": address} if "@" in address else {"phone": address}
    return Contact.objects.filter(erased_at__isnull=True, **lookup).first()


def rights_code(address: str, nonce: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"contact-rights:{address}:{nonce}".encode(), hashlib.sha256
    ).digest()
    return f"{int.from_bytes(digest[:8]) % 1_000_000:06d}"


def rights_code_send(*, address: str, ip: str | None = None) -> str:
    """Send a one-time code to the address when Urna holds a contact for it, and return the
    nonce for the citizen's session. The answer is the same whether or not a contact exists,
    so the form does not reveal who took part."""
    if ip and not ratelimit.hit("contact-rights-ip", ip, RIGHTS_CODE_NETWORK_RATE):
        raise RateLimited(_("Se han pedido muchos códigos desde esta red. Espere una hora."))
    if not ratelimit.hit("contact-rights", address, RIGHTS_CODE_RATE):
        raise RateLimited(
            _("Ya le enviamos varios códigos. Espere una hora antes de pedir otro."),
        )
    nonce = secrets.token_urlsafe(16)
    contact = contact_for_address(address)
    if contact is not None:
        from urna.messaging.services import message_queue

        body = _(
            "Urna: su código para consultar o borrar sus datos personales es %(code)s. Vence en "
            "%(minutes)s minutos. Si usted no lo pidió, ignore este mensaje."
        ) % {"code": rights_code(address, nonce), "minutes": RIGHTS_CODE_MINUTES}
        message_queue(
            channel="email" if "@" in address else "sms",
            to=address,
            body=body,
            subject=_("Su código para consultar sus datos en Urna"),
            contact=contact,
        )
    return nonce


def rights_code_check(*, address: str, nonce: str, code: str) -> Contact | None:
    """The contact when the code is right for this address and nonce, else None.

    Each try is counted against the code (its nonce) before it is checked, in one atomic step
    of the rate-limit store: concurrent requests of one session cannot get more than
    ``RIGHTS_CODE_ATTEMPTS`` tries. Past them, RateLimited, even for the right code.
    """
    tries = f"{RIGHTS_CODE_ATTEMPTS}/{RIGHTS_CODE_MINUTES * 60}"
    if not ratelimit.hit("contact-rights-try", nonce, tries):
        raise RateLimited(_("El código venció o se agotaron los intentos. Pida otro."))
    expected = rights_code(address, nonce)
    if not hmac.compare_digest(expected, "".join((code or "").split())):
        return None
    return contact_for_address(address)


def mask(address: str) -> str:
    """'+573001234567' → '+57300•••4567' for logs and staff lists."""
    if not address:
        return ""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}•••@{domain}"
    return f"{address[:6]}•••{address[-4:]}" if len(address) > 10 else "•••"
