import pytest

from urna.audit.models import AuditEntry
from urna.exercises.models import Contribution, ContributionResponse
from urna.jobs.models import Job
from urna.jobs.services import run_pending
from urna.messaging.models import OutboundMessage
from urna.results import services
from urna.results.models import AnswerBatch, AnswerNotice
from urna.results.services import batches
from urna.results.tests.conftest import submit

pytestmark = pytest.mark.django_db

REASON = "Se incluirá un programa de vías terciarias en el plan plurianual."


@pytest.fixture
def small_batches(monkeypatch):
    """Selections of more than 3 go to the job, 2 contributions per chunk."""
    monkeypatch.setattr(batches, "INLINE_MAX", 3)
    monkeypatch.setattr(batches, "CHUNK", 2)


def test_large_selection_runs_in_a_job_with_progress_and_resumes_after_a_crash(
    seeded, manager, small_batches
):
    exercise = seeded["exercise"]

    batch = services.answer_batch_start(
        exercise=exercise,
        kind="theme",
        selection={"theme": seeded["road_theme"].pk},
        title="Vías",
        decision="partial",
        reason=REASON,
        by=manager,
    )

    # The request only counted the selection and queued the job.
    assert (batch.status, batch.total, batch.done) == ("running", 6, 0)
    assert not ContributionResponse.objects.exists()
    job = Job.objects.get(name=services.BATCH_TASK)
    assert (job.kwargs, batch.job_id) == ({"batch_id": batch.pk}, job.pk)

    # A worker answers one chunk and dies: the chunk and its cursor committed together.
    assert batches._chunk(batch.pk, None) is True
    batch.refresh_from_db()
    assert (batch.done, batch.answered, batch.last_id) == (2, 2, seeded["roads"][1].pk)

    assert run_pending() >= 1

    batch.refresh_from_db()
    job.refresh_from_db()
    assert (batch.status, batch.done, batch.answered, batch.skipped) == ("done", 6, 6, 0)
    assert (job.status, job.progress, job.progress_note) == ("done", 1, "6 / 6")
    assert job.result == {"status": "done", "answered": 6, "skipped": 0, "notified": 0}
    assert ContributionResponse.objects.filter(group=batch.group).count() == 6
    # Each contribution was answered (and audited) exactly once despite the crash.
    assert AuditEntry.objects.filter(action="contribution.respond").count() == 6
    # Running the job again changes nothing.
    assert batches.answer_batch_run(batch_id=batch.pk)["answered"] == 6
    assert AuditEntry.objects.filter(action="contribution.respond").count() == 6


def test_a_job_stops_when_the_exercise_no_longer_takes_answers(seeded, manager, small_batches):
    exercise = seeded["exercise"]
    batch = services.answer_batch_start(
        exercise=exercise,
        kind="theme",
        selection={"theme": seeded["road_theme"].pk},
        title="Vías",
        decision="partial",
        reason=REASON,
        by=manager,
    )
    exercise.status = "closed"
    exercise.save(update_fields=["status"])

    run_pending()

    batch.refresh_from_db()
    assert batch.status == "stopped" and batch.answered == 0
    assert batch.error == "El ejercicio ya no recibe respuestas."


def test_citizens_who_consented_are_told_once_per_answer_by_their_channel(
    make_exercise, manager, consenting_contact
):
    exercise = make_exercise(status="open")
    by_sms = submit(
        exercise,
        "Vías terciarias ya",
        channel="sms",
        contact=consenting_contact(phone="+573001112233", email="a@example.org"),
    )
    by_whatsapp = submit(
        exercise,
        "Vías terciarias por favor",
        channel="whatsapp",
        contact=consenting_contact(phone="+573001112244"),
    )
    by_web = submit(
        exercise,
        "Vías terciarias para todos",
        channel="web",
        contact=consenting_contact(email="b@example.org"),
    )
    no_consent = submit(
        exercise,
        "Vías sin consentimiento",
        channel="sms",
        contact=consenting_contact(phone="+573001112255", consent=False),
    )
    erased = consenting_contact(phone="+573001112266")
    erased.erased_at = erased.consent_at
    erased.save()
    gone = submit(exercise, "Vías de un contacto borrado", channel="sms", contact=erased)
    anonymous = submit(exercise, "Vías anónimas", channel="web")
    ids = [c.pk for c in (by_sms, by_whatsapp, by_web, no_consent, gone, anonymous)]

    services.contribution_respond_group(
        exercise=exercise,
        contribution_ids=ids,
        title="Vías",
        decision="accepted",
        reason=REASON,
        by=manager,
    )
    # The same answer again (e.g. a resumed job) sends nothing new; a new reason does.
    services.contribution_respond_group(
        exercise=exercise,
        contribution_ids=ids,
        title="Vías",
        decision="accepted",
        reason=REASON,
        by=manager,
    )
    services.contribution_respond(
        contribution=by_web, decision="partial", reason="Sólo en parte: " + REASON, by=manager
    )

    sent = OutboundMessage.objects.order_by("id")
    assert [(m.channel, m.to, m.related_id) for m in sent] == [
        ("sms", "+573001112233", str(by_sms.pk)),
        ("whatsapp", "+573001112244", str(by_whatsapp.pk)),
        ("email", "b@example.org", str(by_web.pk)),
        ("email", "b@example.org", str(by_web.pk)),
    ]
    assert {m.related_type for m in sent} == {"exercises.contribution"}
    assert {m.kind for m in sent} == {"transactional"}
    sms = sent[0].body
    assert len(sms) <= 320 and by_sms.receipt in sms and f"/r/{by_sms.receipt}" in sms
    assert sms.startswith("Respondimos su aporte") and "Aceptado" in sms
    assert "Decisión: Aceptado parcialmente." in sent[3].body
    assert AnswerNotice.objects.count() == 4
    assert not Contribution.objects.get(pk=no_consent.pk).contact.consent_at


def test_a_long_reason_is_cut_to_fit_a_text_message(make_exercise, manager, consenting_contact):
    exercise = make_exercise(status="open")
    contribution = submit(
        exercise, "Vías terciarias", channel="sms", contact=consenting_contact(phone="+573001")
    )

    services.contribution_respond(
        contribution=contribution,
        decision="not_accepted",
        reason="Razón muy larga. " * 60,
        by=manager,
    )

    body = OutboundMessage.objects.get().body
    assert len(body) <= 320
    assert "…" in body and body.endswith(f"/r/{contribution.receipt}")


def test_batch_counts_notices(seeded, manager, consenting_contact):
    contact = consenting_contact(phone="+573009998877")
    Contribution.objects.filter(pk=seeded["campaign"][0].pk).update(contact=contact)

    batch = services.answer_batch_start(
        exercise=seeded["exercise"],
        kind="campaign",
        selection={"group": seeded["group"].pk},
        title="Campaña",
        decision="accepted",
        reason=REASON,
        by=manager,
    )

    assert batch.notified == 1
    assert AnswerBatch.objects.get().notified == 1
