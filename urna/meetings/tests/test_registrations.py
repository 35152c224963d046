"""Registration: a seat, the waiting line, cancelling by code, the last seat taken by one."""

import pytest

from urna.audit.models import AuditEntry
from urna.contacts.consent import pairs
from urna.contacts.models import Contact
from urna.core.errors import Conflict, InvalidInput
from urna.meetings.models import Registration
from urna.meetings.registrations import registration_cancel, registration_create
from urna.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db


def register(meeting, n, **extra):
    return registration_create(
        meeting=meeting, phone=f"300 000 00{n:02d}", consent=True, name=f"Persona {n}", **extra
    )


def test_registering_on_the_page_gives_a_seat_a_code_and_a_confirmation(client, make_meeting):
    meeting = make_meeting(capacity=5)

    page = client.get(f"/encuentros/{meeting.slug}/")
    response = client.post(
        f"/encuentros/{meeting.slug}/",
        {"name": "Ana", "email": "Ana@Example.org", "consent": "on"},
    )

    assert page.status_code == 200 and "Inscribirme" in page.content.decode()
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/encuentros/{meeting.slug}/inscripcion/{registration.code}/"
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.code.startswith("EN-") and registration.channel == "email"
    contact = Contact.objects.get()
    assert contact.email == "ana@example.org"
    assert set(pairs(contact.consents)) == {("answers", "email")}
    message = OutboundMessage.objects.get()
    assert (message.channel, message.to, message.kind) == (
        "email",
        "ana@example.org",
        "transactional",
    )
    link = f"/encuentros/{meeting.slug}/inscripcion/{registration.code}/"
    assert registration.code in message.body and f"http://127.0.0.1:8000{link}" in message.body
    shown = client.get(response["Location"]).content.decode()
    assert registration.code in shown and "Tiene un cupo confirmado." in shown
    entry = AuditEntry.objects.get(action="meeting.register")
    assert entry.after == {"meeting": meeting.pk, "status": "confirmed"}
    assert "ana" not in str(entry.after).lower()


def test_without_consent_or_contact_nothing_is_stored_and_the_error_says_why(client, make_meeting):
    meeting = make_meeting()

    no_consent = client.post(f"/encuentros/{meeting.slug}/", {"phone": "3001234567"})
    no_contact = client.post(f"/encuentros/{meeting.slug}/", {"name": "Ana", "consent": "on"})

    assert no_consent.status_code == 422 and "Ley 1581" in no_consent.content.decode()
    assert no_contact.status_code == 422
    assert "Escriba un celular o un correo" in no_contact.content.decode()
    assert not Registration.objects.exists() and not Contact.objects.exists()
    with pytest.raises(InvalidInput):
        registration_create(meeting=meeting, phone="3001234567", consent=False)


def test_past_the_capacity_people_wait_in_line_and_a_cancellation_promotes_the_first(
    make_meeting, outbox
):
    meeting = make_meeting(capacity=2)
    first, second, third, fourth = (register(meeting, n) for n in range(4))

    assert [r.status for r in (first, second, third, fourth)] == [
        "confirmed",
        "confirmed",
        "waiting",
        "waiting",
    ]
    cancelled = registration_cancel(code=second.code.lower())

    third.refresh_from_db()
    fourth.refresh_from_db()
    assert cancelled.status == "cancelled"
    assert third.status == "confirmed" and third.promoted_at is not None
    assert fourth.status == "waiting"
    told = OutboundMessage.objects.filter(related_id=str(third.pk)).order_by("id")
    assert [m.subject for m in told] == ["Lista de espera", "Se liberó un cupo"]
    assert registration_cancel(code=second.code).status == "cancelled"  # twice: nothing moves
    fourth.refresh_from_db()
    assert fourth.status == "waiting"
    assert AuditEntry.objects.filter(action="meeting.registration_promote").count() == 1


def test_cancelling_a_waiting_place_promotes_nobody(make_meeting):
    meeting = make_meeting(capacity=1)
    seat, line = register(meeting, 1), register(meeting, 2)

    registration_cancel(code=line.code)

    seat.refresh_from_db()
    assert (
        seat.status == "confirmed"
        and not Registration.objects.filter(promoted_at__isnull=False).exists()
    )


def test_cancelling_by_code_on_the_page_and_an_unknown_code(client, make_meeting):
    meeting = make_meeting(capacity=1)
    seat, line = register(meeting, 1), register(meeting, 2)

    form = client.get("/encuentros/cancelar/")
    done = client.post("/encuentros/cancelar/", {"code": seat.code})
    unknown = client.post("/encuentros/cancelar/", {"code": "EN-2026-0000000"})
    line_page = client.get(f"/encuentros/{meeting.slug}/inscripcion/{line.code}/")

    assert form.status_code == 200
    assert done.status_code == 302
    assert unknown.status_code == 404
    assert "No encontramos una inscripción" in unknown.content.decode()
    seat.refresh_from_db()
    assert seat.status == "cancelled"
    assert "Tiene un cupo confirmado." in line_page.content.decode()


def test_the_same_contact_cannot_take_two_seats(make_meeting):
    meeting = make_meeting(capacity=5)
    register(meeting, 1)

    with pytest.raises(Conflict) as caught:
        registration_create(meeting=meeting, phone="+573000000001", consent=True)

    assert caught.value.code == "already_registered"
    assert Registration.objects.count() == 1


def test_a_draft_or_past_meeting_takes_no_registration(client, make_meeting):
    draft = make_meeting(publish=False)

    assert client.get(f"/encuentros/{draft.slug}/").status_code == 404
    with pytest.raises(Conflict):
        register(draft, 1)


def test_whatsapp_chosen_records_consent_there(make_meeting):
    meeting = make_meeting()

    registration = register(meeting, 7, whatsapp=True)

    assert registration.channel == "whatsapp"
    assert set(pairs(registration.contact.consents)) == {
        ("answers", "sms"),
        ("answers", "whatsapp"),
    }


def test_the_citizen_sees_and_erases_their_registrations(make_meeting):
    from urna.contacts.selectors import contact_export
    from urna.contacts.services import contact_erase

    meeting = make_meeting()
    registration = register(meeting, 3)
    contact = registration.contact

    exported = contact_export(contact=contact)
    contact_erase(contact=contact)

    rows = exported["meeting_registrations"]
    assert [(r["code"], r["name"]) for r in rows] == [(registration.code, "Persona 3")]
    registration.refresh_from_db()
    assert (registration.name, registration.contact_id) == ("", None)
    assert registration.status == "confirmed"  # the seat count holds
