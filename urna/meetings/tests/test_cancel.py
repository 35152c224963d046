"""Staff cancel a whole meeting: a public reason, registration closed, no reminder, and every
registrant (seat or waiting line) told once through their channel and the consent gate."""

import pytest
from django.utils import translation

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.contacts.consent import bit
from urna.contacts.services import consent_revoke
from urna.core.errors import Conflict, InvalidInput
from urna.jobs.models import Job
from urna.meetings import services
from urna.meetings.cancellations import meeting_cancelled_tell
from urna.meetings.models import Meeting, Registration
from urna.meetings.registrations import registration_cancel, registration_create
from urna.meetings.reminders import meeting_remind
from urna.meetings.tests.conftest import move_to_past
from urna.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db

REASON = "El auditorio no está disponible por obras"


def cancellations():
    return OutboundMessage.objects.filter(subject__startswith="Cancelado")


def tell_job(meeting: Meeting) -> Job:
    return Job.objects.get(name=services.CANCELLED_TASK, kwargs={"meeting_id": meeting.pk})


def test_a_manager_cancels_from_the_staff_page_with_a_reason_and_confirmation(
    client, manager, make_meeting
):
    meeting = make_meeting()
    client.force_login(manager)
    page = client.get(f"/encuentros/gestion/{meeting.slug}/").content.decode()
    assert f"/encuentros/gestion/{meeting.slug}/cancelar/" in page

    unconfirmed = client.post(f"/encuentros/gestion/{meeting.slug}/cancelar/", {"reason": REASON})
    meeting.refresh_from_db()
    assert unconfirmed.status_code == 422 and meeting.cancelled_at is None
    assert "Marque la confirmación" in unconfirmed.content.decode()

    done = client.post(
        f"/encuentros/gestion/{meeting.slug}/cancelar/", {"reason": REASON, "confirm": "on"}
    )

    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None and meeting.cancel_reason == REASON
    assert not meeting.registration_open and not meeting.accepts_registrations
    entry = AuditEntry.objects.get(action="meeting.cancel")
    assert entry.object_id == str(meeting.pk) and entry.after["reason"] == REASON
    assert entry.actor_id == manager.pk


def test_staff_of_another_entity_get_a_404_and_nothing_changes(
    client, make_meeting, make_staff, education
):
    meeting = make_meeting()
    client.force_login(make_staff(education, Role.MANAGER, username="gestor-edu"))

    answer = client.post(
        f"/encuentros/gestion/{meeting.slug}/cancelar/", {"reason": REASON, "confirm": "on"}
    )

    assert answer.status_code == 404
    meeting.refresh_from_db()
    assert meeting.cancelled_at is None
    assert not AuditEntry.objects.filter(action="meeting.cancel").exists()


def test_public_page_and_list_show_cancelado_with_the_reason_and_registration_closes(
    client, make_meeting
):
    meeting = make_meeting()
    services.meeting_cancel(meeting=meeting, by=meeting.created_by, reason=REASON)

    detail = client.get(f"/encuentros/{meeting.slug}/").content.decode()
    listed = client.get("/encuentros/").content.decode()
    posted = client.post(
        f"/encuentros/{meeting.slug}/", {"email": "ana@example.org", "consent": "on"}
    )

    assert "Cancelado" in detail and REASON in detail
    assert "Cancelado" in listed and REASON in listed
    assert 'name="consent"' not in detail
    assert posted.status_code == 422
    assert "no recibe inscripciones" in posted.content.decode()
    assert not Registration.objects.exists()
    with pytest.raises(Conflict):
        registration_create(meeting=meeting, email="ana@example.org", consent=True)


def test_every_registrant_is_told_once_through_their_channel_and_the_consent_gate(
    make_meeting, outbox
):
    meeting = make_meeting(capacity=1)
    ana = registration_create(meeting=meeting, email="ana@example.org", consent=True)
    luis = registration_create(meeting=meeting, phone="3001112233", consent=True)
    eva = registration_create(meeting=meeting, phone="3002223344", consent=True)
    gone = registration_create(meeting=meeting, email="gone@example.org", consent=True)
    registration_cancel(code=gone.code)
    consent_revoke(contact=eva.contact, scope=bit("answers", "sms"), via="web")

    services.meeting_cancel(meeting=meeting, by=meeting.created_by, reason=REASON)
    again = services.meeting_cancel(meeting=meeting, by=meeting.created_by, reason="Otro motivo")
    job = tell_job(meeting)
    first = meeting_cancelled_tell(**job.kwargs)
    retried = meeting_cancelled_tell(**job.kwargs)

    assert again.cancel_reason == REASON
    assert Job.objects.filter(name=services.CANCELLED_TASK).count() == 1
    assert AuditEntry.objects.filter(action="meeting.cancel").count() == 1
    assert first == {"queued": 2, "suppressed": 1}
    assert retried == {"queued": 0, "suppressed": 0}
    queued = cancellations().filter(status=OutboundMessage.Status.QUEUED).order_by("id")
    assert [(m.to, m.channel) for m in queued] == [
        ("ana@example.org", "email"),
        (luis.contact.phone, "sms"),
    ]
    assert REASON in queued[0].body and ana.code in queued[0].body
    assert cancellations().get(status=OutboundMessage.Status.SUPPRESSED).contact == eva.contact
    assert not cancellations().filter(contact=gone.contact).exists()


def test_the_cancellation_message_breaks_lines_and_has_its_english(make_meeting, outbox):
    meeting = make_meeting()
    registration_create(meeting=meeting, email="ana@example.org", consent=True)
    services.meeting_cancel(meeting=meeting, by=meeting.created_by, reason=REASON)

    with translation.override("en"):
        meeting_cancelled_tell(**tell_job(meeting).kwargs)

    body = OutboundMessage.objects.order_by("id").last().body
    assert f"was cancelled.\nReason: {REASON}\nYour registration " in body
    assert "\\n" not in body and "Motivo" not in body


def test_no_reminder_for_a_cancelled_meeting(make_meeting):
    meeting = make_meeting()
    registration_create(meeting=meeting, email="ana@example.org", consent=True)
    reminder = Job.objects.get(name=services.REMIND_TASK)

    services.meeting_cancel(meeting=meeting, by=meeting.created_by, reason=REASON)

    assert meeting_remind(**reminder.kwargs) == {"queued": 0, "suppressed": 0}
    assert not OutboundMessage.objects.filter(subject__startswith="Recordatorio").exists()


def test_a_reason_is_required_and_a_meeting_that_started_cannot_be_cancelled(make_meeting):
    meeting = make_meeting()
    with pytest.raises(InvalidInput) as short:
        services.meeting_cancel(meeting=meeting, by=meeting.created_by, reason="no")
    assert short.value.field == "reason"

    move_to_past(meeting)
    with pytest.raises(Conflict):
        services.meeting_cancel(meeting=meeting, by=meeting.created_by, reason=REASON)
    meeting.refresh_from_db()
    assert meeting.cancelled_at is None


def test_a_cancelled_draft_is_never_published(make_meeting):
    draft = make_meeting(publish=False)
    services.meeting_cancel(meeting=draft, by=draft.created_by, reason=REASON)

    with pytest.raises(Conflict):
        services.meeting_publish(meeting=draft, by=draft.created_by)

    draft.refresh_from_db()
    assert draft.published_at is None
    assert not Job.objects.filter(name=services.REMIND_TASK).exists()
