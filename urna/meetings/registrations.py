"""Citizens' registrations to a meeting: a seat while there are seats, then the waiting line;
a cancellation hands the seat to the first in line.

Two people taking the last seat at once: the registration locks the meeting's row first
(``select_for_update``; on SQLite every transaction begins IMMEDIATE and so holds the write lock
from its start), counts the confirmed seats and writes, so one takes the seat and the other
waits in line. The contact is stored the way every form stores it (``contact_get_or_create``:
only with the citizen's consent, one person one contact), with consent to hear back about this
participation on the channel chosen (purpose "answers": the reminder passes that gate).
"""

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from urna.audit.services import audit_record, client_ip
from urna.contacts.consent import bit as consent_bit
from urna.contacts.models import ConsentChannel, ConsentEvent, Contact, Purpose
from urna.contacts.services import consent_grant, contact_get_or_create
from urna.core import ratelimit
from urna.core.errors import Conflict, InvalidInput, NotFound, RateLimited
from urna.core.links import absolute_url
from urna.core.network import client_network
from urna.core.receipts import receipt_new, receipt_normalise
from urna.meetings.models import Meeting, Registration
from urna.messaging.models import OutboundMessage
from urna.messaging.services import message_queue

CODE_PREFIX = "EN"
# Registrations one network may make per window: generous for a town hall's shared internet.
NETWORK_RATE = "60/3600"


def _channel(*, phone: str, email: str, whatsapp: bool) -> str:
    if phone and whatsapp:
        return ConsentChannel.WHATSAPP
    if email:
        return ConsentChannel.EMAIL
    return ConsentChannel.SMS


def address_of(contact: Contact | None, channel: str) -> str:
    """The contact's address for ``channel`` ("" when erased or missing)."""
    if contact is None or contact.erased_at is not None:
        return ""
    return (contact.email if channel == ConsentChannel.EMAIL else contact.phone) or ""


def registrant_tell_once(
    registration: Registration, *, claim: QuerySet, stamp: dict[str, Any], subject: str, body: str
) -> str | None:
    """Tell ``registration``'s registrant once, on the channel they chose, through the consent
    gate (purpose "answers", which the registration granted on that channel). ``claim`` (the
    registration's row while not yet told) is stamped with ``stamp`` by a conditional UPDATE in
    the same transaction as the message is queued, so a job run twice, or by two workers, queues
    it once. Returns "queued", "suppressed" (the gate held it back) or None (told already, or
    no address left)."""
    with transaction.atomic():
        claimed = claim.update(**stamp)
        to = address_of(registration.contact, registration.channel)
        if not claimed or not to:
            return None
        message = message_queue(
            channel=registration.channel,
            to=to,
            subject=subject,
            body=body,
            contact=registration.contact,
            related=registration,
            purpose=Purpose.ANSWERS,
        )
    return "suppressed" if message.status == OutboundMessage.Status.SUPPRESSED else "queued"


def when_where(meeting: Meeting) -> str:
    """'jueves, 10 de diciembre de 2026, 09:00 · Calle 5 #3-20, Manizales' for messages, in
    the active language's date format."""
    start = timezone.localtime(meeting.starts_at)
    day = formats.date_format(start, "l")
    when = f"{day}, {formats.date_format(start, 'DATETIME_FORMAT')}"
    if meeting.mode == Meeting.Mode.ONLINE:
        return f"{when} · {_('en línea')}: {meeting.video_url}"
    place = meeting.address
    if meeting.municipality_id:
        place = f"{place}, {meeting.municipality.display_name}"
    return f"{when} · {place}"


def registration_url(registration: Registration) -> str:
    return absolute_url(
        reverse(
            "meetings:registration",
            kwargs={"slug": registration.meeting.slug, "code": registration.code},
        )
    )


def _tell(registration: Registration, subject: str, lead: str) -> None:
    """A message the citizen asked for (their registration, their seat): transactional."""
    to = address_of(registration.contact, registration.channel)
    if not to:
        return
    meeting = registration.meeting
    body = _("%(lead)s\n%(title)s\n%(when)s\nCódigo: %(code)s\nVer o cancelar: %(url)s") % {
        "lead": lead,
        "title": meeting.title,
        "when": when_where(meeting),
        "code": registration.code,
        "url": registration_url(registration),
    }
    message_queue(
        channel=registration.channel,
        to=to,
        subject=subject,
        body=body,
        contact=registration.contact,
        related=registration,
    )


def _contact(
    *, name: str, phone: str, email: str, whatsapp: bool, consent: bool, via: str
) -> Contact:
    if not (phone.strip() or email.strip()):
        raise InvalidInput(
            _("Escriba un celular o un correo para confirmarle la inscripción."), field="phone"
        )
    contact = contact_get_or_create(
        phone=phone, email=email, name=name, consent=consent, channel=via
    )
    if contact is None:  # only a concurrent erasure of the same person gets here
        raise Conflict(_("No pudimos guardar su contacto. Inténtelo de nuevo."))
    if whatsapp and contact.phone:
        wanted = consent_bit(Purpose.ANSWERS, ConsentChannel.WHATSAPP)
        if wanted & ~contact.consents:
            contact = consent_grant(
                contact=contact,
                scope=wanted,
                via=ConsentEvent.Via.API if via == "api" else ConsentEvent.Via.WEB,
                channel=via,
                evidence="inscripción a un encuentro",
                actor_label=f"citizen:{via}",
            )
    return contact


def registration_create(
    *,
    meeting: Meeting,
    phone: str = "",
    email: str = "",
    name: str = "",
    whatsapp: bool = False,
    consent: bool,
    idempotency_key: str | None = None,
    via: str = "web",
    request: Any = None,
) -> Registration:
    """Register a citizen: a seat while the meeting has one, else a place in its waiting line.
    Raises InvalidInput (no contact, no consent), Conflict (registration closed, already
    registered with that contact) or RateLimited. The same ``idempotency_key`` again (a
    request retried) returns the first registration and changes nothing."""
    if request is not None and not ratelimit.hit(
        "meeting_register", client_network(request), NETWORK_RATE
    ):
        raise RateLimited(_("Demasiadas inscripciones desde su red. Inténtelo más tarde."))
    with transaction.atomic():
        # Every registration of this meeting waits here for the one before it.
        locked = Meeting.objects.select_for_update(of=("self",)).select_related("municipality")
        meeting = locked.get(pk=meeting.pk)
        if idempotency_key:
            earlier = Registration.objects.filter(
                meeting=meeting, idempotency_key=idempotency_key
            ).first()
            if earlier is not None:
                return earlier
        if not meeting.accepts_registrations:
            raise Conflict(_("Las inscripciones a este encuentro están cerradas."))
        contact = _contact(
            name=name, phone=phone, email=email, whatsapp=whatsapp, consent=consent, via=via
        )
        live = Registration.objects.filter(meeting=meeting, contact=contact).exclude(
            status=Registration.Status.CANCELLED
        )
        if live.exists():
            raise Conflict(
                _(
                    "Ese celular o correo ya está inscrito en este encuentro: busque el código "
                    "en el mensaje de confirmación."
                ),
                code="already_registered",
            )
        taken = Registration.objects.filter(
            meeting=meeting, status=Registration.Status.CONFIRMED
        ).count()
        seat = meeting.capacity is None or taken < meeting.capacity
        registration = Registration.objects.create(
            meeting=meeting,
            code=receipt_new(CODE_PREFIX),
            name=name.strip()[:150],
            contact=contact,
            channel=_channel(phone=contact.phone or "", email=email.strip(), whatsapp=whatsapp),
            status=Registration.Status.CONFIRMED if seat else Registration.Status.WAITING,
            idempotency_key=idempotency_key or None,
        )
        audit_record(
            action="meeting.register",
            obj=registration,
            actor_label=f"citizen:{via}",
            entity=meeting.entity,
            after={"meeting": meeting.pk, "status": registration.status},
            ip=client_ip(request),
        )
        if seat:
            _tell(registration, _("Inscripción confirmada"), _("Tiene un cupo en:"))
        else:
            _tell(
                registration,
                _("Lista de espera"),
                _("Está en la lista de espera; le avisaremos si se libera un cupo en:"),
            )
    return registration


def registration_get(*, code: str, slug: str | None = None) -> Registration:
    found = Registration.objects.select_related("meeting__municipality", "contact").filter(
        code=receipt_normalise(code or "")
    )
    if slug is not None:
        found = found.filter(meeting__slug=slug)
    registration = found.first()
    if registration is None:
        raise NotFound(_("No encontramos una inscripción con ese código."), field="code")
    return registration


def waiting_position(registration: Registration) -> int | None:
    """1 for the first in line; None when the registration is not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    ahead = Registration.objects.filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk),
        meeting_id=registration.meeting_id,
        status=Registration.Status.WAITING,
    ).count()
    return ahead + 1


def registration_cancel(*, code: str, via: str = "web", request: Any = None) -> Registration:
    """Cancel a registration by its code. A confirmed seat goes to the first in line, who is
    told at once. Cancelling twice changes nothing."""
    with transaction.atomic():
        registration = registration_get(code=code)
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        registration = Registration.objects.select_related("contact").get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return registration
        if meeting.starts_at <= timezone.now():
            raise Conflict(_("El encuentro ya empezó: la inscripción no se puede cancelar."))
        had_seat = registration.status == Registration.Status.CONFIRMED
        before = registration.status
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        audit_record(
            action="meeting.registration_cancel",
            obj=registration,
            actor_label=f"citizen:{via}",
            entity=meeting.entity,
            before={"status": before},
            after={"status": registration.status},
            ip=client_ip(request),
        )
        if had_seat:
            _promote_next(meeting)
    return registration


def _promote_next(meeting: Meeting) -> Registration | None:
    """Give a free seat to the first in the waiting line (inside the caller's lock)."""
    taken = Registration.objects.filter(
        meeting=meeting, status=Registration.Status.CONFIRMED
    ).count()
    if meeting.capacity is not None and taken >= meeting.capacity:
        return None
    first = (
        Registration.objects.filter(meeting=meeting, status=Registration.Status.WAITING)
        .select_related("contact", "meeting__municipality")
        .order_by("created_at", "id")
        .first()
    )
    if first is None:
        return None
    first.status = Registration.Status.CONFIRMED
    first.promoted_at = timezone.now()
    first.save(update_fields=["status", "promoted_at"])
    audit_record(
        action="meeting.registration_promote",
        obj=first,
        actor_label="system:meetings",
        entity=meeting.entity,
        before={"status": Registration.Status.WAITING},
        after={"status": first.status},
    )
    _tell(first, _("Se liberó un cupo"), _("Se liberó un cupo y ahora es suyo en:"))
    return first
