"""The reminder 24 hours before: scheduled through the jobs queue when the meeting is
published, queued once per confirmed registrant, through the consent gate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from urna.contacts.consent import bit
from urna.contacts.services import consent_revoke
from urna.jobs.models import Job
from urna.meetings import services
from urna.meetings.models import Registration
from urna.meetings.registrations import registration_create
from urna.meetings.reminders import meeting_remind
from urna.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db


def reminders():
    return OutboundMessage.objects.filter(subject__startswith="Recordatorio")


def test_publishing_schedules_one_reminder_job_24_hours_before(make_meeting):
    meeting = make_meeting(days=3, publish=False)
    assert not Job.objects.filter(name="meetings.remind").exists()

    services.meeting_publish(meeting=meeting, by=meeting.created_by)

    job = Job.objects.get(name="meetings.remind")
    assert job.run_at == meeting.starts_at - timedelta(hours=24)
    assert job.kwargs == {"meeting_id": meeting.pk, "starts_at_iso": meeting.starts_at.isoformat()}


def test_each_confirmed_registrant_is_reminded_once_through_the_consent_gate(make_meeting):
    meeting = make_meeting(capacity=2)
    ana = registration_create(meeting=meeting, email="ana@example.org", consent=True)
    luis = registration_create(meeting=meeting, phone="3001112233", consent=True)
    waiting = registration_create(meeting=meeting, phone="3002223344", consent=True)
    consent_revoke(contact=luis.contact, scope=bit("answers", "sms"), via="web")
    job = Job.objects.get(name="meetings.remind")

    first = meeting_remind(**job.kwargs)
    again = meeting_remind(**job.kwargs)

    assert first == {"queued": 1, "suppressed": 1}
    assert again == {"queued": 0, "suppressed": 0}
    sent = reminders().get(status=OutboundMessage.Status.QUEUED)
    assert (sent.to, sent.channel, sent.contact_id) == ("ana@example.org", "email", ana.contact_id)
    assert ana.code in sent.body and "Calle 5" in sent.body
    held = reminders().get(status=OutboundMessage.Status.SUPPRESSED)
    assert held.contact_id == luis.contact_id
    assert not reminders().filter(contact=waiting.contact).exists()
    assert Registration.objects.filter(reminded_for=meeting.starts_at).count() == 2


def test_a_moved_meeting_gets_a_new_reminder_and_the_old_job_sends_nothing(make_meeting):
    meeting = make_meeting(days=4)
    registration_create(meeting=meeting, email="ana@example.org", consent=True)
    old = Job.objects.get(name="meetings.remind")
    data = services.MeetingData(
        title=meeting.title,
        kind=meeting.kind,
        mode=meeting.mode,
        starts_at=meeting.starts_at + timedelta(days=1),
        ends_at=meeting.ends_at + timedelta(days=1),
        address=meeting.address,
        municipality_code=meeting.municipality_id,
        capacity=meeting.capacity,
    )

    services.meeting_edit(meeting=meeting, by=meeting.created_by, data=data)

    assert meeting_remind(**old.kwargs) == {"queued": 0, "suppressed": 0}
    new = Job.objects.filter(name="meetings.remind").exclude(pk=old.pk).get()
    assert meeting_remind(**new.kwargs) == {"queued": 1, "suppressed": 0}


def test_a_meeting_tomorrow_is_reminded_at_once(make_meeting):
    meeting = make_meeting(days=0, hours=1, publish=False)
    meeting.starts_at = timezone.now() + timedelta(hours=5)
    meeting.ends_at = meeting.starts_at + timedelta(hours=1)
    meeting.save(update_fields=["starts_at", "ends_at"])

    services.meeting_publish(meeting=meeting, by=meeting.created_by)

    assert Job.objects.get(name="meetings.remind").run_at <= timezone.now()
