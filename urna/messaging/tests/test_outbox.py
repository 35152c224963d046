"""The outbox: queueing (campaigns respect an opt-out, answers do not), sending through the
backend of the channel once, retries and the final failure, and providers' delivery reports."""

import json

import pytest
from django.utils import timezone

from urna.jobs.models import Job
from urna.jobs.services import run_pending
from urna.messaging.models import DeliveryEvent, OutboundMessage
from urna.messaging.services import (
    SEND_TASK,
    delivery_record,
    message_mark_failed,
    message_queue,
    message_send,
)
from urna.messaging.tasks import send_message
from urna.messaging.tests.conftest import PHONE

pytestmark = pytest.mark.django_db


# --- queueing -----------------------------------------------------------------------------------


def test_a_reply_is_stored_queued_and_its_send_job_waits_for_the_commit(
    outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        message = message_queue(channel="sms", to=PHONE, body="Su recibo es UC-1", subject="R")

    assert (message.status, message.kind, message.to, message.body) == (
        "queued",
        "transactional",
        PHONE,
        "Su recibo es UC-1",
    )
    job = Job.objects.get()
    assert (job.name, job.kwargs, job.unique_key) == (
        SEND_TASK,
        {"message_id": message.pk},
        f"outbox:{message.pk}",
    )
    assert (job.priority, job.max_attempts) == (50, 6)  # the task's own settings
    assert len(callbacks) == 1  # workers are woken only once the caller's transaction commits
    assert not outbox.exists()  # nothing is sent inside the caller's transaction


def test_the_message_names_what_it_answers_and_its_subject_is_cut_to_the_column(outbox, contact):
    message = message_queue(
        channel="email", to="ana@example.org", body="x", subject="S" * 300, related=contact
    )

    assert len(message.subject) == 200
    assert (message.related_type, message.related_id) == ("contacts.contact", str(contact.pk))


def test_a_campaign_reaches_a_contact_who_accepted_campaigns(outbox, contact):
    message = message_queue(
        channel="sms", to=PHONE, body="Campaña", contact=contact, kind="campaign"
    )

    assert message.status == "queued"
    assert Job.objects.filter(name=SEND_TASK).count() == 1


def test_a_campaign_to_a_contact_the_gate_refuses_is_kept_suppressed_and_never_sent(
    outbox, contact, gate
):
    gate.revoke(contact)

    message = message_queue(
        channel="sms", to=PHONE, body="Campaña", contact=contact, kind="campaign"
    )

    assert message.status == "suppressed"
    assert gate.calls == [(1, "sms", "campaigns")]  # kind=campaign means purpose "campaigns"
    assert not Job.objects.exists()


def test_the_gate_is_asked_for_the_channel_and_purpose_of_the_message(outbox, contact, gate):
    gate.allow(contact, channel="email", purpose="surveys")

    by_email = message_queue(
        channel="email", to="a@example.org", body="E", contact=contact, purpose="surveys"
    )
    by_sms = message_queue(channel="sms", to=PHONE, body="E", contact=contact, purpose="surveys")

    assert (by_email.status, by_email.kind) == ("queued", "campaign")
    assert by_sms.status == "suppressed"
    assert gate.calls == [(1, "email", "surveys"), (1, "sms", "surveys")]


def test_an_answer_notice_needs_the_answers_consent_and_stays_transactional(outbox, contact, gate):
    refused = message_queue(channel="sms", to=PHONE, body="R", contact=contact, purpose="answers")
    gate.allow(contact, purpose="answers")
    allowed = message_queue(channel="sms", to=PHONE, body="R", contact=contact, purpose="answers")

    assert (refused.status, allowed.status) == ("suppressed", "queued")
    assert allowed.kind == "transactional"


def test_without_a_registered_gate_no_message_with_a_purpose_is_sent(outbox, contact, no_hooks):
    message = message_queue(channel="sms", to=PHONE, body="C", contact=contact, purpose="campaigns")
    answer = message_queue(channel="sms", to=PHONE, body="Su código", contact=contact)

    assert (message.status, answer.status) == ("suppressed", "queued")
    assert Job.objects.filter(name=SEND_TASK).count() == 1


def test_a_transactional_reply_reaches_a_contact_the_gate_refuses(outbox, contact, gate):
    gate.revoke(contact)

    message = message_queue(channel="sms", to=PHONE, body="Respuesta", contact=contact)

    assert message.status == "queued"
    assert Job.objects.filter(name=SEND_TASK).count() == 1


# --- sending ------------------------------------------------------------------------------------


def test_sending_hands_the_message_to_the_backend_of_its_channel_once(outbox):
    message = message_queue(channel="sms", to=PHONE, body="Su recibo es UC-1")

    assert message_send(message_id=message.pk) == "sent"
    assert message_send(message_id=message.pk) == "sent"  # a second run changes nothing

    message.refresh_from_db()
    assert (message.status, message.backend, message.provider_message_id) == (
        "sent",
        "file",
        f"file-{message.pk}",
    )
    assert (message.attempts, message.last_error) == (1, "")
    assert message.sent_at is not None
    lines = (outbox / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["body"] for line in lines] == ["Su recibo es UC-1"]


def test_a_reply_goes_back_through_the_provider_the_citizen_wrote_through(outbox, fake_backend):
    handed = fake_backend("someprovider", "SP-1")
    message = message_queue(channel="sms", to=PHONE, body="Hola", provider="someprovider")

    assert message_send(message_id=message.pk) == "sent"

    message.refresh_from_db()
    assert handed == [message.pk]
    assert (message.backend, message.provider_message_id) == ("someprovider", "SP-1")
    assert not outbox.exists()


def test_a_suppressed_message_is_never_handed_to_a_backend(outbox, fake_backend):
    handed = fake_backend("file", "never")
    message = message_queue(channel="sms", to=PHONE, body="Campaña", kind="campaign")

    assert message_send(message_id=message.pk) == "suppressed"
    assert handed == []


def test_a_backend_error_is_recorded_and_raised_for_the_job_to_retry(outbox, fake_backend):
    fake_backend("file", RuntimeError("provider down"))
    message = message_queue(channel="sms", to=PHONE, body="Hola")

    with pytest.raises(RuntimeError):
        message_send(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.backend) == ("queued", 1, "file")
    assert message.last_error == "RuntimeError: provider down"
    assert message.provider_message_id is None


def test_the_send_job_retries_then_marks_the_message_failed_on_its_last_attempt(
    outbox, fake_backend
):
    handed = fake_backend("file", RuntimeError("provider down"))
    message = message_queue(channel="sms", to=PHONE, body="Hola")
    job = Job.objects.get(name=SEND_TASK)

    for attempt in range(1, send_message.max_attempts + 1):
        Job.objects.filter(pk=job.pk, status="queued").update(run_at=timezone.now())
        assert run_pending(max_jobs=1) == 1
        message.refresh_from_db()
        job.refresh_from_db()
        if attempt < send_message.max_attempts:
            # Still queued, for the job's next attempt after its backoff.
            assert (message.status, job.status) == ("queued", "queued")
            assert job.run_at > timezone.now()

    assert len(handed) == 6
    assert (message.status, message.attempts) == ("failed", 6)
    assert message.last_error == "RuntimeError: provider down"
    assert (job.status, job.attempts) == ("failed", 6)


def test_the_send_job_succeeds_after_a_failed_attempt(outbox, fake_backend):
    handed = fake_backend("flaky", RuntimeError("timeout"), "P-2")
    message = message_queue(channel="sms", to=PHONE, body="Hola", provider="flaky")
    job = Job.objects.get(name=SEND_TASK)

    run_pending(max_jobs=1)
    Job.objects.filter(pk=job.pk).update(run_at=timezone.now())
    run_pending(max_jobs=1)

    message.refresh_from_db()
    job.refresh_from_db()
    assert handed == [message.pk, message.pk]
    assert (message.status, message.attempts, message.provider_message_id) == ("sent", 2, "P-2")
    assert message.last_error == ""
    assert (job.status, job.attempts) == ("done", 2)


def test_marking_a_message_failed_keeps_the_first_500_characters_of_the_error(outbox):
    message = message_queue(channel="sms", to=PHONE, body="Hola")

    message_mark_failed(message_id=message.pk, error="x" * 600)

    message.refresh_from_db()
    assert (message.status, message.last_error) == ("failed", "x" * 500)


# --- delivery reports ---------------------------------------------------------------------------


@pytest.fixture
def sent(outbox):
    message = message_queue(channel="sms", to=PHONE, body="Hola")
    message_send(message_id=message.pk)
    message.refresh_from_db()
    return message


def _report(message, status, detail=""):
    return delivery_record(
        backend=message.backend,
        provider_message_id=message.provider_message_id,
        status=status,
        detail=detail,
    )


@pytest.mark.parametrize("status", ["delivered", "read", "success", "DELIVERED"])
def test_a_delivery_report_marks_the_message_delivered(sent, status):
    assert _report(sent, status) is True

    sent.refresh_from_db()
    assert sent.status == "delivered" and sent.delivered_at is not None
    assert list(sent.events.values_list("status", flat=True)) == [status]


def test_the_same_report_twice_leaves_the_message_delivered_and_keeps_both_as_received(sent):
    _report(sent, "delivered")
    _report(sent, "delivered")

    sent.refresh_from_db()
    assert sent.status == "delivered"
    assert list(sent.events.values_list("status", flat=True)) == ["delivered", "delivered"]


def test_a_late_intermediate_report_does_not_undo_the_delivery(sent):
    _report(sent, "delivered")
    _report(sent, "sent")
    _report(sent, "queued")

    sent.refresh_from_db()
    assert sent.status == "delivered"
    assert sent.events.count() == 3


@pytest.mark.parametrize("status", ["failed", "undelivered", "rejected"])
def test_a_failure_report_marks_the_message_failed_with_the_providers_detail(sent, status):
    _report(sent, status, detail="30003: Unreachable destination handset")

    sent.refresh_from_db()
    assert (sent.status, sent.last_error) == ("failed", "30003: Unreachable destination handset")


def test_a_failure_report_without_detail_records_the_status(sent):
    _report(sent, "Undelivered")

    sent.refresh_from_db()
    assert (sent.status, sent.last_error) == ("failed", "undelivered")


def test_a_report_for_an_unknown_message_changes_nothing(sent):
    other_backend = {"backend": "twilio", "provider_message_id": sent.provider_message_id}

    assert delivery_record(backend="file", provider_message_id="nope", status="delivered") is False
    assert delivery_record(**other_backend, status="delivered") is False

    sent.refresh_from_db()
    assert sent.status == "sent"
    assert not DeliveryEvent.objects.exists()


def test_a_reports_status_and_detail_are_cut_to_their_columns(sent):
    _report(sent, "s" * 40, detail="d" * 400)

    event = sent.events.get()
    assert (len(event.status), len(event.detail)) == (30, 300)
    assert OutboundMessage.objects.get(pk=sent.pk).status == "sent"
