"""One person, one contact: creating a contact only with consent, merging two that are one person,
erasing one (the right of suppression)."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.services import phone_normalise
from urna.audit.services import audit_record
from urna.contacts.consent import bits as consent_bits
from urna.contacts.models import (
    ConsentChannel,
    ConsentEvent,
    Contact,
    ContactInterest,
    Purpose,
    Source,
)
from urna.contacts.selectors import contact_addresses, contact_for_address
from urna.contacts.services.consents import CONSENT_VERSION, consent_grant
from urna.core.errors import InvalidInput
from urna.core.personal_data import address_forms, holders_erase


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


def contact_from_details(
    details: "ContactDetails | None", *, channel: str, activity: str = ""
) -> "Contact | None":
    """The Contact for details given with a submission (None when none were given)."""
    if details is None or details.empty:
        return None
    return contact_get_or_create(
        activity=activity,
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


def _submission_channels(channel: str, phone: str, email: str) -> list[str]:
    """The channels a submission's consent covers: the one the citizen wrote by when Urna can
    answer there, else the addresses they typed (a web form with an email and a phone)."""
    if channel in (ConsentChannel.SMS, ConsentChannel.WHATSAPP) and phone:
        return [channel]
    if channel == "ussd" and phone:
        return [ConsentChannel.SMS]
    channels = []
    if email:
        channels.append(ConsentChannel.EMAIL)
    if phone:
        channels.append(ConsentChannel.SMS)
    return channels


def _source_for(channel: str, activity: str) -> tuple[str, str]:
    if activity == "contribution":
        return Source.EXERCISE, channel
    if activity == "query":
        return Source.QUERY, channel
    if channel in ("web",):
        return Source.FORM, channel
    if channel == "api":
        return Source.API, channel
    return Source.CHANNEL, channel


def contact_get_or_create(
    *,
    phone: str = "",
    email: str = "",
    handle: str = "",
    name: str = "",
    consent: bool,
    channel: str,
    campaigns: bool = False,
    activity: str = "",
    answers: bool = True,
) -> Contact | None:
    """The contact for a phone, email or social handle, created or updated with consent.

    One person, one contact: a phone and an email that belong to two rows merge them. Consent
    given with a submission covers answers on the channel used (and campaigns there, when the
    citizen ticked that separately). ``activity`` ("contribution", "query") stamps the
    contact's last activity; ``answers=False`` records only the authorisation to hold the data
    (an operator or a partner system states the purposes itself). Returns None when no contact
    detail was given. Raises InvalidInput when details were given without consent: Urna never
    stores a citizen's contact without their authorisation.
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
    channels = _submission_channels(channel, phone, email)
    wanted = consent_bits([Purpose.ANSWERS], channels) if answers else 0
    if campaigns:
        wanted |= consent_bits([Purpose.CAMPAIGNS], channels)
    contact = _contact_save(
        phone=phone, email=email, handle=handle, name=name, channel=channel, activity=activity
    )
    if contact is not None and wanted & ~contact.consents:
        consent_grant(
            contact=contact,
            scope=wanted,
            via=ConsentEvent.Via.SUBMISSION,
            channel=channel,
            evidence=activity or "formulario",
            actor_label=f"citizen:{channel}",
        )
    return contact


def _contact_save(
    *, phone: str, email: str, handle: str, name: str, channel: str, activity: str
) -> Contact | None:
    """Update the live contact these addresses name, or create it (a concurrent request that
    creates it first is read back)."""
    now = timezone.now()
    stamp = {}
    if activity == "contribution":
        stamp["last_contribution_at"] = now
    elif activity == "query":
        stamp["last_query_at"] = now
    contact = None
    for _attempt in range(2):
        contact = _contact_matching(phone=phone, email=email, handle=handle)
        if contact is not None:
            updates = {"consent_at": now, "consent_channel": channel, **stamp}
            updates["consent_version"] = CONSENT_VERSION
            if email and not contact.email:
                updates["email"] = email
            if phone and not contact.phone:
                updates["phone"] = phone
            if name and not contact.name:
                updates["name"] = name[:150]
            Contact.objects.filter(pk=contact.pk).update(**updates)
            break
        source, detail = _source_for(channel, activity)
        try:
            with transaction.atomic():
                contact = Contact.objects.create(
                    phone=phone or None,
                    email=email or None,
                    handle=handle or None,
                    name=name[:150],
                    consent_at=now,
                    consent_channel=channel,
                    consent_version=CONSENT_VERSION,
                    source=source,
                    source_detail=detail[:80],
                    **stamp,
                )
            break
        except IntegrityError:  # a concurrent request created it; read it on the next turn
            contact = None
            continue
    if contact is None:  # only a concurrent erasure gets here
        contact = _contact_matching(phone=phone, email=email, handle=handle)
    return contact


def _contact_matching(*, phone: str, email: str, handle: str) -> Contact | None:
    """The live contact for these addresses; when the phone and the email belong to two
    contacts, they are one person: the email's contact is merged into the phone's."""
    by_phone = Contact.objects.live().filter(phone=phone).first() if phone else None
    by_email = Contact.objects.live().filter(email=email).first() if email else None
    if by_phone is not None and by_email is not None and by_phone.pk != by_email.pk:
        return contact_merge(keep=by_phone, other=by_email)
    found = by_phone or by_email
    if found is None and handle:
        found = Contact.objects.live().filter(handle=handle).first()
    return found


def contact_merge(*, keep: Contact, other: Contact, by: Any = None) -> Contact:
    """Make ``other`` part of ``keep`` (one person found twice): every row that points to
    ``other`` in any app (contributions, queries, the outbox, consent history, interests,
    follows) moves to ``keep``; addresses ``keep`` lacks and consents are carried over; ``other``
    stays, empty, with ``merged_into`` set, so that a link to it still leads somewhere."""
    if keep.pk == other.pk:
        return keep
    with transaction.atomic():
        keep = Contact.objects.select_for_update().get(pk=keep.pk)
        other = Contact.objects.select_for_update().get(pk=other.pk)
        moved = {}
        relations = [
            field
            for field in Contact._meta.get_fields(include_hidden=True)
            if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
        ]
        for relation in relations:
            if relation.related_model is Contact:
                continue
            moved[relation.related_model._meta.label_lower] = _move_rows(relation, other, keep)
        carried = {
            field: getattr(other, field)
            for field in ("phone", "email", "handle", "name", "department_id", "municipality_id")
            if getattr(other, field) and not getattr(keep, field)
        }
        for field in ("last_contribution_at", "last_query_at"):
            mine, theirs = getattr(keep, field), getattr(other, field)
            if theirs and (mine is None or theirs > mine):
                carried[field] = theirs
        Contact.objects.filter(pk=other.pk).update(
            phone=None, email=None, handle=None, merged_into=keep, consents=0
        )
        Contact.objects.filter(pk=keep.pk).update(
            consents=F("consents").bitor(other.consents), **carried
        )
        Contact.objects.filter(merged_into=other).update(merged_into=keep)
        audit_record(
            action="contact.merge",
            obj=keep,
            actor=by,
            actor_label="" if by is not None else "system:dedup",
            after={"merged": other.pk, "moved": {k: v for k, v in moved.items() if v}},
        )
    keep.refresh_from_db()
    return keep


def _move_rows(relation: Any, other: Contact, keep: Contact) -> int:
    """Point ``relation``'s rows from ``other`` to ``keep``; a row that would repeat one ``keep``
    already has (a unique constraint: following the same exercise twice) is dropped instead."""
    model, field = relation.related_model, relation.field.name
    rows = model._default_manager.filter(**{field: other})
    try:
        with transaction.atomic():
            return rows.update(**{field: keep})
    except IntegrityError:
        pass
    count = 0
    for row in rows.iterator():
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=row.pk).update(**{field: keep})
                count += 1
        except IntegrityError:
            model._default_manager.filter(pk=row.pk).delete()
    return count


def contact_erase(*, contact: Contact, by: Any = None, channel: str = "web") -> Contact:
    """Delete a citizen's personal data (right of suppression), in the contact row and in every
    registered copy (raw messages, the outbox). Contributions and queries stay, without the
    link to the person: they are part of a public record. History keeps an empty row."""
    with transaction.atomic():
        touched = holders_erase(contact, contact_addresses(contact))
        now = timezone.now()
        Contact.objects.filter(pk=contact.pk).update(
            phone=None, email=None, handle=None, name="", erased_at=now, consents=0
        )
        ConsentEvent.objects.filter(contact=contact).update(evidence="")
        ContactInterest.objects.filter(contact=contact).delete()
        audit_record(
            action="contact.erase",
            obj=contact,
            actor=by,
            actor_label="" if by is not None else f"citizen:{channel}",
            after={"rows": touched},
        )
    contact.refresh_from_db()
    return contact


def address_erase(*, address: str, channel: str, trail: Any) -> dict[str, int]:
    """Erase what Urna holds for a normalised phone or email, asked from that address itself
    (an SMS from the phone). A citizen who only wrote in has raw messages but no contact row;
    ``trail`` is the object the audit entry hangs on then (the message that asked)."""
    contact = contact_for_address(address)
    if contact is not None:
        contact_erase(contact=contact, channel=channel)
        return {}
    with transaction.atomic():
        touched = holders_erase(None, address_forms(address))
        audit_record(
            action="contact.erase",
            obj=trail,
            actor_label=f"citizen:{channel}",
            after={"rows": touched},
        )
    return touched
