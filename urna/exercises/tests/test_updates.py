"""Participants hear back: updates posted by the exercise's entity (scoped, audit-logged), the
news of published results and of each update told once to every contributor with a contact and
every follower, on their channel, only with their consent to hear back there."""

import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.contacts.consent import bits
from urna.contacts.models import Contact
from urna.contacts.services import consent_revoke, contact_erase
from urna.core.errors import Conflict, PermissionDenied
from urna.exercises import services
from urna.exercises.models import (
    Contribution,
    ContributionResponse,
    ExerciseBroadcast,
    ExerciseFollower,
    ExerciseUpdate,
)
from urna.jobs.models import Job
from urna.jobs.services import run_pending
from urna.messaging.models import Dispatch, OutboundMessage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def outbox(settings, tmp_path):
    """SMS and WhatsApp to the file backend in the test's own folder, email to Django's
    in-memory outbox."""
    settings.MESSAGING_SMS_BACKEND = "file"
    settings.MESSAGING_WHATSAPP_BACKEND = "file"
    settings.MESSAGING_EMAIL_BACKEND = "smtp"
    settings.MESSAGING_FILE_PATH = tmp_path / "outbox"
    settings.PUBLIC_BASE_URL = "https://urna.example"
    return tmp_path / "outbox"


def contact(*, phone=None, email=None, answers=()):
    """A contact holding consent to hear back ("answers") on the given channels."""
    return Contact.objects.create(
        phone=phone, email=email, consent_at=timezone.now(), consents=bits(["answers"], answers)
    )


def contribute(exercise, person, *, channel):
    result = services.contribution_submit(
        exercise=exercise, kind="opinion", text=f"Aporte por {channel} sobre vías", channel=channel
    )
    Contribution.objects.filter(pk=result.contribution.pk).update(contact=person)
    return result.contribution


@pytest.fixture
def audience(make_exercise):
    """An open exercise and the people around it:

    - by_sms: wrote by SMS, consented by SMS;
    - by_whatsapp: wrote by WhatsApp, consented by WhatsApp;
    - by_web: wrote on the web with an email and a phone, consented by email (and SMS);
    - twice: wrote twice (SMS, then web with no email): told once, by SMS;
    - no_consent: wrote by SMS, consented to nothing;
    - other_channel: wrote by SMS, consented by email only (has both): told nothing;
    - erased: wrote by SMS, consented, then erased;
    - follower: never wrote, follows by email;
    - stopped: wrote by SMS, consented, then asked to hear no more of this exercise.
    """
    exercise = make_exercise(status="open")
    people = {
        "by_sms": contact(phone="+573001110001", answers=["sms"]),
        "by_whatsapp": contact(phone="+573001110002", answers=["whatsapp"]),
        "by_web": contact(phone="+573001110003", email="web@example.org", answers=["email", "sms"]),
        "twice": contact(phone="+573001110004", answers=["sms"]),
        "no_consent": contact(phone="+573001110005"),
        "other_channel": contact(
            phone="+573001110006", email="other@example.org", answers=["email"]
        ),
        "erased": contact(phone="+573001110007", answers=["sms"]),
        "follower": contact(email="sigo@example.org", answers=["email"]),
        "stopped": contact(phone="+573001110009", answers=["sms"]),
    }
    contribute(exercise, people["by_sms"], channel="sms")
    contribute(exercise, people["by_whatsapp"], channel="whatsapp")
    contribute(exercise, people["by_web"], channel="web")
    contribute(exercise, people["twice"], channel="sms")
    contribute(exercise, people["twice"], channel="web")
    contribute(exercise, people["no_consent"], channel="sms")
    contribute(exercise, people["other_channel"], channel="ussd")
    contribute(exercise, people["erased"], channel="sms")
    contribute(exercise, people["stopped"], channel="sms")
    ExerciseFollower.objects.create(exercise=exercise, contact=people["follower"], channel="email")
    ExerciseFollower.objects.create(
        exercise=exercise, contact=people["stopped"], channel="", stopped_at=timezone.now()
    )
    contact_erase(contact=people["erased"])
    return exercise, people


def told(exercise):
    """(contact id, channel, address, status) of every message of the exercise's broadcasts."""
    dispatch_ids = [
        pk
        for b in ExerciseBroadcast.objects.filter(exercise=exercise)
        for pk in b.dispatches.values()
    ]
    return sorted(
        OutboundMessage.objects.filter(dispatch_id__in=dispatch_ids).values_list(
            "contact_id", "channel", "to", "status"
        )
    )


def expected(people, status="queued"):
    return sorted(
        [
            (people["by_sms"].pk, "sms", "+573001110001", status),
            (people["by_whatsapp"].pk, "whatsapp", "+573001110002", status),
            (people["by_web"].pk, "email", "web@example.org", status),
            (people["twice"].pk, "sms", "+573001110004", status),
            (people["follower"].pk, "email", "sigo@example.org", status),
        ]
    )


def answer_all(exercise, manager):
    for contribution in Contribution.objects.filter(exercise=exercise):
        ContributionResponse.objects.create(
            contribution=contribution, decision="accepted", reason="Se incluye en el plan."
        )


def test_the_reply_channel_is_the_one_used_then_email_then_sms():
    phone, email = "+573001112233", "a@example.org"
    assert services.reply_channel("sms", phone=phone, email=email) == "sms"
    assert services.reply_channel("ussd", phone=phone, email=email) == "sms"
    assert services.reply_channel("whatsapp", phone=phone, email=email) == "whatsapp"
    assert services.reply_channel("web", phone=phone, email=email) == "email"
    assert services.reply_channel("radio", phone=phone, email=None) == "sms"
    assert services.reply_channel("whatsapp", phone=None, email=email) == "email"
    assert services.reply_channel("web", phone=None, email=None) == ""


def test_publishing_results_tells_each_participant_and_follower_once_on_their_channel(
    audience, manager, outbox
):
    exercise, people = audience
    services.exercise_transition(exercise=exercise, to="analysis", by=manager)
    answer_all(exercise, manager)

    services.exercise_transition(exercise=exercise, to="results", by=manager)

    # The transition only queued the job; the job built one dispatch per channel.
    assert Job.objects.filter(name=services.BROADCAST_TASK).count() == 1
    assert not ExerciseBroadcast.objects.exists()
    run_pending()
    broadcast = ExerciseBroadcast.objects.get()
    assert (broadcast.kind, broadcast.update) == ("results", None)
    assert broadcast.recipients == {"sms": 2, "whatsapp": 1, "email": 2}
    dispatches = Dispatch.objects.filter(pk__in=broadcast.dispatches.values())
    assert {(d.channel, d.purpose, d.entity_id) for d in dispatches} == {
        ("sms", "answers", exercise.owner_id),
        ("whatsapp", "answers", exercise.owner_id),
        ("email", "answers", exercise.owner_id),
    }
    # Sent: through the file backend (SMS, WhatsApp) and SMTP (email), to no one else.
    assert told(exercise) == expected(people, status="sent")
    assert sorted(m.to[0] for m in mail.outbox) == ["sigo@example.org", "web@example.org"]
    email = mail.outbox[0]
    assert exercise.title in email.subject and "Resultados publicados" in email.subject
    assert "https://urna.example/l/" in email.body  # the timeline, through a tracked link
    assert email.extra_headers["List-Unsubscribe"].startswith("<https://urna.example/")
    lines = [
        json.loads(line)
        for path in outbox.rglob("*.jsonl")
        for line in path.read_text().splitlines()
    ]
    sms = next(line for line in lines if line["to"] == "+573001110001")
    url = f"https://urna.example/ejercicios/{exercise.slug}/seguimiento/"
    assert url in sms["body"] and len(sms["body"]) <= 160 and sms["body"].isascii()
    entry = AuditEntry.objects.get(action="exercise.broadcast")
    assert entry.after == {"kind": "results", "update": None, "sms": 2, "whatsapp": 1, "email": 2}


def test_results_are_told_once_even_if_the_job_runs_twice_or_the_exercise_is_republished(
    audience, manager, outbox
):
    exercise, people = audience
    services.exercise_transition(exercise=exercise, to="analysis", by=manager)
    answer_all(exercise, manager)
    services.exercise_transition(exercise=exercise, to="results", by=manager)
    run_pending()

    assert services.exercise_broadcast_run(exercise_id=exercise.pk) == {"told": False}
    services.broadcast_queue(exercise=exercise)
    run_pending()

    assert ExerciseBroadcast.objects.count() == 1
    assert told(exercise) == expected(people, status="sent")
    assert len(mail.outbox) == 2


def test_an_update_is_told_once_to_the_same_audience_and_drafts_are_not(audience, manager, outbox):
    exercise, people = audience
    draft = services.update_create(
        exercise=exercise, by=manager, kind="decision", title="Borrador que no se cuenta"
    )
    run_pending()
    assert not ExerciseBroadcast.objects.exists()

    update = services.update_publish(update=draft, by=manager)
    run_pending()
    # A second run of the job (a worker died after committing) tells nothing more.
    assert services.exercise_broadcast_run(exercise_id=exercise.pk, update_id=update.pk) == {
        "told": False
    }

    broadcast = ExerciseBroadcast.objects.get()
    assert (broadcast.kind, broadcast.update_id) == ("update", update.pk)
    assert told(exercise) == expected(people, status="sent")
    with pytest.raises(Conflict):
        services.update_publish(update=update, by=manager)
    assert ExerciseBroadcast.objects.count() == 1


def test_a_revoked_consent_between_queueing_and_sending_stops_the_message(
    audience, manager, outbox
):
    exercise, people = audience
    update = services.update_create(
        exercise=exercise, by=manager, kind="act", title="Se expidió el decreto", publish=True
    )
    job = Job.objects.get(name=services.BROADCAST_TASK)
    services.exercise_broadcast_run(**job.kwargs)  # queued, not yet sent
    consent_revoke(contact=people["by_sms"], scope=bits(["answers"], ["sms"]), via="link")

    run_pending()

    statuses = {contact_id: status for contact_id, _, _, status in told(exercise)}
    assert statuses[people["by_sms"].pk] == "suppressed"
    assert statuses[people["twice"].pk] == "sent"
    assert update.published_at is not None


def test_the_update_message_says_what_happened_with_the_documents_link(audience, manager, outbox):
    exercise, people = audience
    update = services.update_create(
        exercise=exercise,
        by=manager,
        kind="act",
        title="Se expidió el Decreto 123 de 2026",
        body="El decreto recoge **12 propuestas** de la consulta. [Texto](https://example.gov.co/d)",
    )
    services.update_document_attach(
        update=update,
        by=manager,
        title="Decreto 123",
        upload=SimpleUploadedFile("decreto.pdf", PDF, content_type="application/pdf"),
    )
    services.update_publish(update=update, by=manager)
    run_pending()

    email = next(m for m in mail.outbox if m.to == ["web@example.org"])
    assert email.subject.startswith("Se expidió el Decreto 123 de 2026")
    assert "El decreto recoge 12 propuestas de la consulta." in email.body
    html = email.alternatives[0][0]
    assert "<strong>12 propuestas</strong>" in html and 'href="https://example.gov.co/d"' in html
    sms = OutboundMessage.objects.get(contact=people["by_sms"])
    assert sms.status == "sent"
    dispatch = Dispatch.objects.get(pk=sms.dispatch_id)
    assert (
        dispatch.body.startswith("Urna: Pacto agrario") and "Se expidio el Decreto" in dispatch.body
    )


def test_updates_are_posted_by_staff_of_the_exercise_entity_only(
    make_exercise, manager, make_staff, education, agriculture
):
    exercise = make_exercise(status="analysis")
    stranger = make_staff(education, Role.MANAGER, username="otra-entidad")
    analyst = make_staff(agriculture, Role.ANALYST, username="analista")

    for user in (stranger, analyst):
        with pytest.raises(PermissionDenied):
            services.update_create(exercise=exercise, by=user, kind="other", title="No debería")
    assert not ExerciseUpdate.objects.exists()

    update = services.update_create(
        exercise=exercise, by=manager, kind="decision", title="Se decidió ampliar el plan"
    )
    with pytest.raises(PermissionDenied):
        services.update_publish(update=update, by=stranger)
    with pytest.raises(PermissionDenied):
        services.update_edit(update=update, by=stranger, kind="other", title="Cambio ajeno")
    update.refresh_from_db()
    assert (update.title, update.published_at, update.entity_id, update.author_id) == (
        "Se decidió ampliar el plan",
        None,
        agriculture.pk,
        manager.pk,
    )


def test_update_changes_are_audit_logged_and_the_body_is_sanitised(make_exercise, manager):
    exercise = make_exercise(status="analysis")
    update = services.update_create(
        exercise=exercise,
        by=manager,
        kind="decision",
        title="Decisión tomada",
        body='Ver <script>alert(1)</script> [acta](https://example.gov.co/acta "x")',
    )
    assert "<script>" not in update.body_html
    assert '<a href="https://example.gov.co/acta"' in update.body_html

    services.update_edit(update=update, by=manager, kind="decision", title="Decisión tomada hoy")
    services.update_publish(update=update, by=manager)

    actions = list(
        AuditEntry.objects.filter(object_type="exercises.exerciseupdate")
        .order_by("id")
        .values_list("action", "after")
    )
    assert [a for a, _ in actions] == [
        "exercise.update_create",
        "exercise.update_edit",
        "exercise.update_publish",
    ]
    assert actions[1][1] == {"title": "Decisión tomada hoy", "body": ""}


def test_an_update_of_a_draft_exercise_cannot_be_published(make_exercise, manager):
    exercise = make_exercise(status="draft")
    update = services.update_create(exercise=exercise, by=manager, kind="other", title="Antes")
    with pytest.raises(Conflict):
        services.update_publish(update=update, by=manager)
    assert ExerciseUpdate.objects.get().published_at is None
    assert not Job.objects.filter(name=services.BROADCAST_TASK).exists()


def test_following_records_consent_interest_and_follow_then_stopping_silences_it(
    make_exercise, manager, outbox
):
    exercise = make_exercise(status="open")

    follower = services.exercise_follow(
        exercise=exercise, address="+573005550001", channel="whatsapp"
    )

    person = follower.contact
    assert (person.phone, follower.channel, follower.stopped_at) == (
        "+573005550001",
        "whatsapp",
        None,
    )
    assert person.consents & bits(["answers"], ["whatsapp"])
    event = person.consent_events.filter(via="web").get()
    assert event.evidence == f"seguir ejercicio {exercise.slug} (código verificado)"
    assert list(person.interests.values_list("kind", "value")) == [("exercise", exercise.slug)]
    assert AuditEntry.objects.filter(action="exercise.follow").count() == 1

    # Following again is the same follow.
    again = services.exercise_follow(exercise=exercise, address="+573005550001", channel="sms")
    assert (again.pk, again.channel) == (follower.pk, "sms")
    assert ExerciseFollower.objects.count() == 1

    assert services.exercise_unfollow(exercise=exercise, address="+573005550001") is True
    assert not person.interests.exists()
    services.update_create(
        exercise=exercise, by=manager, kind="phase", title="Nueva fase", publish=True
    )
    run_pending()
    assert ExerciseBroadcast.objects.get().recipients == {}
    assert not OutboundMessage.objects.filter(dispatch__isnull=False).exists()


def test_erasing_a_contact_deletes_its_follows(make_exercise):
    exercise = make_exercise(status="open")
    follower = services.exercise_follow(
        exercise=exercise, address="sigo@example.org", channel="email"
    )

    contact_erase(contact=follower.contact)

    assert not ExerciseFollower.objects.exists()


def test_the_audience_is_one_query_per_channel(audience, django_assert_num_queries):
    exercise, people = audience
    with django_assert_num_queries(3):
        counts = services.audience_counts(exercise)
    assert counts == {"sms": 2, "whatsapp": 1, "email": 2}
