"""Dispatches: one template to many contacts, queued by one INSERT ... SELECT, sent in ranges by
background jobs through the file backend, behind the consent gate at enqueue and again at send
time; pause, resume, cancel, dedup, metrics, and exactly once when a worker dies mid-range."""

import json

import pytest
from django.utils import timezone, translation

from urna.audit.models import AuditEntry
from urna.contacts.models import Contact
from urna.core.errors import Conflict, InvalidInput
from urna.jobs.models import Job
from urna.jobs.services import run_pending
from urna.messaging import backends, hooks
from urna.messaging import dispatch as dispatching
from urna.messaging.backends import Batch, dispatch_file
from urna.messaging.dispatch import (
    DISPATCH_TASK,
    dispatch_batch_run,
    dispatch_cancel,
    dispatch_create,
    dispatch_enqueue,
    dispatch_pause,
    dispatch_resume,
)
from urna.messaging.models import Dispatch, OutboundMessage
from urna.messaging.selectors import dispatch_metrics

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_ranges(monkeypatch):
    """Ranges of 4 outbox ids and chunks of 2 rows, so a handful of contacts spans many jobs."""
    monkeypatch.setattr(dispatching, "RANGE_SIZE", 4)
    monkeypatch.setattr(dispatching, "SELECT_CHUNK", 2)


@pytest.fixture
def people(gate):
    """Ten contacts with a name and a municipality (from the registered resolver), all allowed
    campaigns by SMS."""
    contacts = Contact.objects.bulk_create(
        Contact(phone=f"+57300{n:07d}", email=f"p{n}@example.org") for n in range(10)
    )
    gate.allow(*contacts)
    return contacts


@pytest.fixture
def names(monkeypatch):
    def resolve(contact_ids):
        return {pk: {"nombre": f"Persona {pk}", "municipio": "Pasto"} for pk in contact_ids}

    monkeypatch.setitem(hooks.HOOKS, "recipient_vars", resolve)


def audience(contacts=None, field="phone"):
    rows = Contact.objects.order_by()
    if contacts is not None:
        rows = rows.filter(pk__in=[c.pk for c in contacts])
    return rows.values_list("id", field)


def campaign(**fields):
    fields.setdefault("channel", "sms")
    fields.setdefault("purpose", "campaigns")
    fields.setdefault("body", "Hola {nombre} de {municipio}: hay novedades.")
    return dispatch_create(**fields)


def lines(dispatch):
    folder = dispatch_file(Batch(dispatch.pk, 0, 0)).parent
    if not folder.exists():
        return []
    return [
        json.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def statuses(dispatch):
    counts = dispatch_metrics(dispatch).items()
    return {status: n for status, n in counts if n and status != "clicked"}


# --- enqueue and send ---------------------------------------------------------------------------


def test_enqueue_stores_one_empty_row_per_recipient_and_one_job_per_range(
    outbox, people, small_ranges
):
    dispatch = campaign()

    assert dispatch_enqueue(dispatch=dispatch, recipients=audience()) == 10

    rows = OutboundMessage.objects.filter(dispatch=dispatch).order_by("id")
    assert [(m.status, m.body, m.kind, m.channel) for m in rows] == [
        ("queued", "", "campaign", "sms")
    ] * 10
    assert sorted(m.to for m in rows) == sorted(c.phone for c in people)
    ids = [m.pk for m in rows]
    jobs = Job.objects.filter(name=DISPATCH_TASK).order_by("id")
    cells = sorted({pk // 4 for pk in ids})
    assert [j.kwargs["first_id"] for j in jobs] == [c * 4 for c in cells]
    assert all(j.kwargs["last_id"] == j.kwargs["first_id"] + 3 for j in jobs)
    assert [j.unique_key for j in jobs] == [f"dispatch:{dispatch.pk}:{c}" for c in cells]
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.recipients) == ("sending", 10)
    assert dispatch.started_at is not None
    start = AuditEntry.objects.get(action="dispatch.start")
    assert start.after == {"queued": 10, "suppressed": 0}


def test_two_workers_send_every_message_once_rendered_for_its_recipient(
    outbox, people, small_ranges, names
):
    dispatch = campaign(subject="Para {nombre}")
    dispatch_enqueue(dispatch=dispatch, recipients=audience())

    # Two workers take turns on the ranges.
    ran = 0
    while step := run_pending(worker="a", max_jobs=1) + run_pending(worker="b", max_jobs=1):
        ran += step

    assert ran == Job.objects.filter(name=DISPATCH_TASK, status="done").count() >= 3
    sent = lines(dispatch)
    by_id = {m.pk: m.contact_id for m in OutboundMessage.objects.filter(dispatch=dispatch)}
    assert sorted(r["id"] for r in sent) == sorted(by_id)
    for record in sent:
        assert record["body"] == f"Hola Persona {by_id[record['id']]} de Pasto: hay novedades."
        assert record["subject"] == f"Para Persona {by_id[record['id']]}"
    assert statuses(dispatch) == {"sent": 10}
    assert not OutboundMessage.objects.filter(dispatch=dispatch).exclude(body="").exists()
    dispatch.refresh_from_db()
    assert dispatch.status == "done" and dispatch.finished_at is not None
    done = AuditEntry.objects.get(action="dispatch.done")
    assert (done.after["sent"], done.after["queued"]) == (10, 0)


def test_a_variable_the_recipient_lacks_renders_empty(outbox, people, monkeypatch):
    monkeypatch.setitem(hooks.HOOKS, "recipient_vars", None)
    dispatch = campaign(body="Hola {nombre}{desconocida}, {nombre.__class__} {nombre:>999}.")
    dispatch_enqueue(dispatch=dispatch, recipients=audience(people[:1]))

    run_pending()

    assert [r["body"] for r in lines(dispatch)] == ["Hola ,  ."]


@pytest.mark.parametrize("field", ["body", "subject", "html"])
def test_a_template_whose_braces_do_not_pair_is_refused(field):
    fields = {"body": "Hola", field: "Hola {nombre"}

    with pytest.raises(InvalidInput) as refused:
        campaign(**fields)

    assert refused.value.field == field
    assert not Dispatch.objects.exists()


def test_an_unknown_backend_or_purpose_is_refused():
    with pytest.raises(InvalidInput):
        campaign(backend="twillio")
    with pytest.raises(InvalidInput):
        campaign(purpose="marketing")
    assert not Dispatch.objects.exists()


def test_a_refusal_reads_in_english_for_an_english_reader():
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        campaign(backend="twillio")

    assert refused.value.message == "Unknown sending provider."


# --- dedup --------------------------------------------------------------------------------------


def test_a_contact_is_queued_once_per_dispatch(outbox, people):
    dispatch = campaign()
    # An audience that names some contacts twice (two earlier messages to each).
    for person in people[:3]:
        for _ in range(2):
            OutboundMessage.objects.create(channel="sms", to=person.phone, body="x", contact=person)
    twice = OutboundMessage.objects.filter(dispatch=None).values_list("contact_id", "to")

    assert dispatch_enqueue(dispatch=dispatch, recipients=twice) == 3
    assert dispatch_enqueue(dispatch=dispatch, recipients=audience()) == 7  # the other 7
    assert dispatch_enqueue(dispatch=dispatch, recipients=audience()) == 0

    contacts = OutboundMessage.objects.filter(dispatch=dispatch).values_list(
        "contact_id", flat=True
    )
    assert sorted(contacts) == sorted(p.pk for p in people)
    dispatch.refresh_from_db()
    assert dispatch.recipients == 10


def test_another_dispatch_reaches_the_same_contacts_again(outbox, people):
    first, second = campaign(), campaign()

    dispatch_enqueue(dispatch=first, recipients=audience())

    assert dispatch_enqueue(dispatch=second, recipients=audience()) == 10


def test_contacts_without_an_address_on_the_channel_are_skipped(outbox, people):
    Contact.objects.filter(pk__in=[p.pk for p in people[:4]]).update(email=None)
    dispatch = campaign(channel="email", subject="Hola")

    assert dispatch_enqueue(dispatch=dispatch, recipients=audience(field="email")) == 6


# --- consent ------------------------------------------------------------------------------------


def test_the_gate_refuses_at_enqueue_and_the_refused_are_never_sent(outbox, people, gate):
    gate.revoke(*people[:4])
    dispatch = campaign()

    assert dispatch_enqueue(dispatch=dispatch, recipients=audience()) == 10

    assert statuses(dispatch) == {"queued": 6, "suppressed": 4}
    assert gate.calls[0][1:] == ("sms", "campaigns")
    run_pending()
    assert sorted(r["to"] for r in lines(dispatch)) == sorted(p.phone for p in people[4:])
    assert statuses(dispatch) == {"sent": 6, "suppressed": 4}
    assert AuditEntry.objects.get(action="dispatch.start").after == {
        "queued": 6,
        "suppressed": 4,
    }


def test_a_citizen_who_revokes_while_the_dispatch_is_queued_gets_nothing(outbox, people, gate):
    dispatch = campaign()
    dispatch_enqueue(dispatch=dispatch, recipients=audience())

    gate.revoke(people[0], people[9])  # SALIR, after the enqueue and before the batch
    run_pending()

    assert statuses(dispatch) == {"sent": 8, "suppressed": 2}
    assert {people[0].phone, people[9].phone}.isdisjoint(r["to"] for r in lines(dispatch))


def test_consent_for_another_channel_or_purpose_does_not_count(outbox, people, gate):
    gate.revoke(*people)
    gate.allow(*people, channel="email")
    gate.allow(*people, purpose="surveys")
    dispatch = campaign()

    dispatch_enqueue(dispatch=dispatch, recipients=audience())

    assert statuses(dispatch) == {"suppressed": 10}
    dispatch.refresh_from_db()
    assert dispatch.status == "done"  # nothing left to send
    assert not Job.objects.filter(name=DISPATCH_TASK).exists()


def test_without_a_registered_gate_a_dispatch_sends_nothing(outbox, people, no_hooks):
    dispatch = campaign()

    dispatch_enqueue(dispatch=dispatch, recipients=audience())
    run_pending()

    assert statuses(dispatch) == {"suppressed": 10}
    assert lines(dispatch) == []


# --- pause, resume, cancel ----------------------------------------------------------------------


def test_a_paused_dispatch_sends_nothing_until_resumed(
    outbox, people, small_ranges, make_staff, agriculture
):
    staff_user = make_staff(agriculture, "manager")
    dispatch = campaign(entity=agriculture)
    dispatch_enqueue(dispatch=dispatch, recipients=audience())
    dispatch_pause(dispatch=dispatch, by=staff_user)

    run_pending()

    assert statuses(dispatch) == {"queued": 10}
    assert lines(dispatch) == []
    assert not Job.objects.filter(name=DISPATCH_TASK, status="queued").exists()

    resumed = dispatch_resume(dispatch=dispatch, by=staff_user)
    assert resumed.status == "sending"
    ranges = {pk // 4 for pk in OutboundMessage.objects.values_list("id", flat=True)}
    assert Job.objects.filter(name=DISPATCH_TASK, status="queued").count() == len(ranges)
    run_pending()

    assert statuses(dispatch) == {"sent": 10}
    assert len(lines(dispatch)) == 10
    dispatch.refresh_from_db()
    assert dispatch.status == "done"
    actions = list(
        AuditEntry.objects.filter(object_type="messaging.dispatch", object_id=str(dispatch.pk))
        .order_by("id")
        .values_list("action", "actor_label")
    )
    assert actions == [
        ("dispatch.create", "system"),
        ("dispatch.start", "system"),
        ("dispatch.pause", staff_user.username),
        ("dispatch.resume", staff_user.username),
        ("dispatch.done", "system"),
    ]


def test_a_pause_stops_a_running_batch_after_its_chunk(outbox, people, small_ranges, monkeypatch):
    dispatch = campaign()
    dispatch_enqueue(dispatch=dispatch, recipients=audience())
    real = backends.BATCH_BACKENDS["file"]

    class PauseAfterFirstChunk:
        chunk, reports_delivery = real.chunk, False
        accepted = staticmethod(real.accepted)

        def send_many(self, messages, batch):
            sent = real.send_many(messages, batch)
            Dispatch.objects.filter(pk=dispatch.pk).update(status="paused")
            return sent

    monkeypatch.setitem(backends.BATCH_BACKENDS, "file", PauseAfterFirstChunk())
    run_pending()

    # One chunk (2 rows, or fewer where the first range starts mid-cell, as on PostgreSQL whose
    # ids go on from earlier tests) went out; the rest waits for a resume.
    counts = statuses(dispatch)
    assert 1 <= counts["sent"] <= 2 and counts["queued"] == 10 - counts["sent"]


def test_cancelling_marks_what_is_still_queued_and_sends_nothing_more(outbox, people):
    dispatch = campaign()
    dispatch_enqueue(dispatch=dispatch, recipients=audience())

    cancelled = dispatch_cancel(dispatch=dispatch)
    run_pending()

    assert cancelled.status == "cancelled" and cancelled.finished_at is not None
    assert statuses(dispatch) == {"cancelled": 10}
    assert lines(dispatch) == []
    assert AuditEntry.objects.get(action="dispatch.cancel").after == {
        "status": "cancelled",
        "cancelled": 10,
    }
    with pytest.raises(Conflict):
        dispatch_resume(dispatch=dispatch)
    with pytest.raises(Conflict):
        dispatch_cancel(dispatch=dispatch)
    with pytest.raises(Conflict):
        dispatch_enqueue(dispatch=dispatch, recipients=audience())


def test_only_a_sending_dispatch_can_be_paused(outbox, people):
    dispatch = campaign()
    dispatch_enqueue(dispatch=dispatch, recipients=audience())
    dispatch_pause(dispatch=dispatch)

    with pytest.raises(Conflict):
        dispatch_pause(dispatch=dispatch)
    assert AuditEntry.objects.filter(action="dispatch.pause").count() == 1


# --- metrics ------------------------------------------------------------------------------------


def test_metrics_count_each_status_and_the_clicks(outbox, people, gate):
    gate.revoke(people[0])
    dispatch = campaign()
    dispatch_enqueue(dispatch=dispatch, recipients=audience())
    run_pending()
    sent = list(OutboundMessage.objects.filter(dispatch=dispatch, status="sent").order_by("id"))
    OutboundMessage.objects.filter(pk__in=[m.pk for m in sent[:3]]).update(status="delivered")
    OutboundMessage.objects.filter(pk=sent[3].pk).update(status="failed")
    OutboundMessage.objects.filter(pk__in=[m.pk for m in sent[:2]]).update(
        clicked_at=timezone.now()
    )

    assert dispatch_metrics(dispatch) == {
        "queued": 0,
        "sent": 5,
        "delivered": 3,
        "failed": 1,
        "suppressed": 1,
        "cancelled": 0,
        "clicked": 2,
    }


# --- backends without the batch API -------------------------------------------------------------


def test_a_provider_without_a_batch_api_gets_one_message_at_a_time_and_its_ids_kept(
    outbox, people, fake_backend
):
    handed = fake_backend("someprovider", "SP-1", "SP-2", "SP-3")
    dispatch = campaign(backend="someprovider")
    dispatch_enqueue(dispatch=dispatch, recipients=audience(people[:3]))

    run_pending()

    rows = list(OutboundMessage.objects.filter(dispatch=dispatch).order_by("id"))
    assert handed == [m.pk for m in rows]
    assert [(m.status, m.backend, m.provider_message_id) for m in rows] == [
        ("sent", "someprovider", "SP-1"),
        ("sent", "someprovider", "SP-2"),
        ("sent", "someprovider", "SP-3"),
    ]


def test_a_message_the_provider_keeps_refusing_fails_and_the_rest_go_out(
    outbox, people, monkeypatch
):
    seen = []

    def provider(message):
        seen.append(message.pk)
        if message.to == people[0].phone:
            raise RuntimeError("21211: invalid 'To' number")
        return f"P-{message.pk}"

    monkeypatch.setitem(backends.BACKENDS, "flaky", provider)
    dispatch = campaign(backend="flaky")
    dispatch_enqueue(dispatch=dispatch, recipients=audience(people[:3]))
    job = Job.objects.get(name=DISPATCH_TASK)

    for _ in range(dispatching.MAX_SEND_ATTEMPTS):
        Job.objects.filter(pk=job.pk, status="queued").update(run_at=timezone.now())
        run_pending()

    bad = OutboundMessage.objects.get(dispatch=dispatch, to=people[0].phone)
    assert (bad.status, bad.attempts) == ("failed", 3)
    assert bad.last_error == "RuntimeError: 21211: invalid 'To' number"
    assert statuses(dispatch) == {"sent": 2, "failed": 1}
    assert seen.count(bad.pk) == 3
    job.refresh_from_db()
    assert job.status == "done"


# --- exactly once -------------------------------------------------------------------------------


def test_a_worker_killed_between_the_file_and_the_database_sends_nothing_twice(
    outbox, people, small_ranges, monkeypatch, settings
):
    """The worker dies (SystemExit stands for the SIGKILL) after the file backend wrote a chunk
    and before the database recorded it; the job's rerun records that chunk as sent from the
    file and sends only the rest."""
    dispatching_ = campaign()
    dispatch_enqueue(dispatch=dispatching_, recipients=audience())
    real = backends.BATCH_BACKENDS["file"]
    calls = []

    class DiesAfterWriting:
        chunk, reports_delivery = real.chunk, False
        accepted = staticmethod(real.accepted)

        def send_many(self, messages, batch):
            provider_ids = real.send_many(messages, batch)
            calls.append([m.pk for m in messages])
            if len(calls) == 2:
                raise SystemExit("killed")
            return provider_ids

    monkeypatch.setitem(backends.BATCH_BACKENDS, "file", DiesAfterWriting())
    with pytest.raises(SystemExit):
        run_pending(worker="doomed")

    died = Job.objects.get(status="running")
    written = calls[1]
    assert OutboundMessage.objects.filter(pk__in=written, status="queued").count() == len(written)
    # Its lease expires; another worker runs the range again, then the rest.
    Job.objects.filter(pk=died.pk).update(locked_until=timezone.now())
    monkeypatch.setitem(backends.BATCH_BACKENDS, "file", real)
    run_pending(worker="survivor")

    died.refresh_from_db()
    assert (died.status, died.attempts) == ("done", 2)
    assert died.result["recovered"] == len(written)
    ids = [r["id"] for r in lines(dispatching_)]
    assert len(ids) == len(set(ids)) == 10
    assert statuses(dispatching_) == {"sent": 10}


def test_a_line_cut_short_by_a_dying_writer_does_not_count_and_is_cut_off(outbox, people):
    dispatch = campaign()
    dispatch_enqueue(dispatch=dispatch, recipients=audience(people[:3]))
    rows = list(OutboundMessage.objects.filter(dispatch=dispatch).order_by("id"))
    batch = Batch(dispatch.pk, rows[0].pk // 2000 * 2000, rows[0].pk // 2000 * 2000 + 1999)
    path = dispatch_file(batch)
    path.parent.mkdir(parents=True)
    whole = json.dumps({"id": rows[0].pk, "to": rows[0].to}) + "\n"
    path.write_text(whole + f'{{"id": {rows[1].pk}, "to": "+5730', encoding="utf-8")

    file = backends.BATCH_BACKENDS["file"]
    assert file.accepted(batch) == {rows[0].pk}
    assert path.read_text(encoding="utf-8") == whole

    dispatch_batch_run(dispatch_id=dispatch.pk, first_id=batch.first_id, last_id=batch.last_id)

    ids = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert ids == [m.pk for m in rows]
    assert statuses(dispatch) == {"sent": 3}


def test_running_a_finished_range_again_sends_nothing(outbox, people):
    dispatch = campaign()
    dispatch_enqueue(dispatch=dispatch, recipients=audience())
    run_pending()
    job = Job.objects.get(name=DISPATCH_TASK)

    assert dispatch_batch_run(**job.kwargs) == {}

    assert len(lines(dispatch)) == 10


# --- email --------------------------------------------------------------------------------------


@pytest.fixture
def unsubscribe(monkeypatch):
    def url(contact_id, channel, purpose):
        return f"https://urna.example/baja/{contact_id}-{channel}-{purpose}/"

    monkeypatch.setitem(hooks.HOOKS, "unsubscribe", url)


def test_an_email_dispatch_is_multipart_with_one_click_unsubscribe(
    outbox, people, gate, unsubscribe, names, settings
):
    from django.core import mail

    settings.MESSAGING_EMAIL_BACKEND = "smtp"
    gate.allow(*people[:2], channel="email")
    dispatch = campaign(
        channel="email",
        subject="Novedades para {nombre}",
        body="Hola {nombre}. Darse de baja: {enlace_baja}",
        html="<p>Hola {nombre}</p><a href='{enlace_baja}'>Baja</a>",
    )
    dispatch_enqueue(dispatch=dispatch, recipients=audience(people[:2], field="email"))

    run_pending()

    assert len(mail.outbox) == 2
    first = next(e for e in mail.outbox if e.to == [people[0].email])
    link = f"https://urna.example/baja/{people[0].pk}-email-campaigns/"
    assert first.subject == f"Novedades para Persona {people[0].pk}"
    assert first.body == f"Hola Persona {people[0].pk}. Darse de baja: {link}"
    assert first.alternatives[0].content == (
        f"<p>Hola Persona {people[0].pk}</p><a href='{link}'>Baja</a>"
    )
    assert first.alternatives[0].mimetype == "text/html"
    assert first.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert first.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    message = first.message()
    assert message["List-Unsubscribe"] == f"<{link}>"
    assert message.is_multipart()
    assert statuses(dispatch) == {"sent": 2}


def test_html_variables_are_escaped(outbox, people, gate, monkeypatch, settings):
    monkeypatch.setitem(
        hooks.HOOKS,
        "recipient_vars",
        lambda ids: {pk: {"nombre": "<script>x</script>"} for pk in ids},
    )
    settings.MESSAGING_EMAIL_BACKEND = "file"
    gate.allow(people[0], channel="email")
    dispatch = campaign(channel="email", body="Hola {nombre}", html="<p>{nombre}</p>")
    dispatch_enqueue(dispatch=dispatch, recipients=audience(people[:1], field="email"))

    run_pending()

    [record] = lines(dispatch)
    assert record["html"] == "<p>&lt;script&gt;x&lt;/script&gt;</p>"
    assert record["body"] == "Hola <script>x</script>"  # text parts are text


def test_the_file_backend_records_the_unsubscribe_headers(
    outbox, people, gate, unsubscribe, settings
):
    settings.MESSAGING_EMAIL_BACKEND = "file"
    gate.allow(people[0], channel="email")
    dispatch = campaign(channel="email", subject="S", body="Texto")
    dispatch_enqueue(dispatch=dispatch, recipients=audience(people[:1], field="email"))

    run_pending()

    [record] = lines(dispatch)
    link = f"https://urna.example/baja/{people[0].pk}-email-campaigns/"
    assert record["headers"] == {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def test_a_whatsapp_template_is_handed_over_with_its_rendered_parameters(
    outbox, people, gate, names
):
    gate.allow(people[0], channel="whatsapp")
    dispatch = campaign(
        channel="whatsapp",
        body="Hola {nombre}",
        whatsapp_template="novedad_ejercicio",
        whatsapp_language="es_CO",
        params=["{nombre}", "{municipio}"],
    )
    dispatch_enqueue(dispatch=dispatch, recipients=audience(people[:1]))

    run_pending()

    [record] = lines(dispatch)
    assert (record["template"], record["language"]) == ("novedad_ejercicio", "es_CO")
    assert record["params"] == [f"Persona {people[0].pk}", "Pasto"]


# --- personal data ------------------------------------------------------------------------------


def test_a_citizens_export_shows_the_template_of_a_dispatch_message(outbox, people):
    from urna.messaging.personal_data import outbound_export

    dispatch = campaign(subject="Novedades")
    dispatch_enqueue(dispatch=dispatch, recipients=audience(people[:1]))

    [row] = outbound_export(people[0], [])

    assert (row["subject"], row["text"], row["status"]) == (
        "Novedades",
        "Hola {nombre} de {municipio}: hay novedades.",
        "queued",
    )
