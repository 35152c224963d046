import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from urna.channels.models import InboundMessage
from urna.channels.services import inbound_process_pending
from urna.channels.tests.base import PHONE, fixture, twilio_post

pytestmark = pytest.mark.django_db
PATH = "/channels/sms/twilio/"


def sms(client, body, sid="SM1f0e8ae6ade43cb3c0ce4525424e404f", **kwargs):
    data = {**fixture("twilio", "inbound_sms.json"), "Body": body, "MessageSid": sid}
    return twilio_post(client, PATH, data, **kwargs)


def outbox(settings):
    path = Path(settings.MESSAGING_FILE_PATH) / "sms.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture(autouse=True)
def _clean_outbox(settings):
    path = Path(settings.MESSAGING_FILE_PATH) / "sms.jsonl"
    path.unlink(missing_ok=True)


def deliver():
    from urna.jobs.services import run_pending

    inbound_process_pending()
    run_pending()


def test_contribution_by_code_is_stored_raw_then_processed_and_answered(client, world, settings):
    # Given a signed Twilio webhook with "<CODE> <text>"
    response = sms(client, "agró  Que incluyan a los jóvenes rurales")
    # Then it is acknowledged with empty TwiML and stored raw, not yet processed
    assert response.status_code == 200
    assert response.content.startswith(b"<?xml") and b"<Response></Response>" in response.content
    message = InboundMessage.objects.get()
    assert (message.status, message.sender, message.channel) == ("received", PHONE, "sms")
    assert "MessageSid=SM1f0e8ae6ade43cb3c0ce4525424e404f" in message.payload
    assert message.headers["url"] == "http://testserver/channels/sms/twilio/"
    # When the drain runs
    deliver()
    from urna.exercises.models import Contribution

    contribution = Contribution.objects.get()
    assert (contribution.exercise.code, contribution.channel, contribution.text) == (
        "AGRO",
        "sms",
        "Que incluyan a los jóvenes rurales",
    )
    message.refresh_from_db()
    assert (message.status, message.result, message.result_receipt) == (
        "processed",
        "contribution",
        contribution.receipt,
    )
    sent = outbox(settings)
    assert len(sent) == 1 and sent[0]["to"] == PHONE
    assert sent[0]["body"].startswith("Gracias. Recibimos su aporte a AGRO. Recibo: UC-")
    assert sent[0]["body"].isascii()


def test_provider_retry_creates_nothing_new(client, world, settings):
    sms(client, "AGUA Mas acueductos")
    sms(client, "AGUA Mas acueductos")
    deliver()
    sms(client, "AGUA Mas acueductos")
    deliver()
    from urna.exercises.models import Contribution

    assert InboundMessage.objects.count() == 1
    assert Contribution.objects.count() == 1
    assert len(outbox(settings)) == 1


@pytest.mark.parametrize(
    ("body", "result", "reply_start"),
    [
        ("AYUDA", "help", "Urna: CODIGO y su opinion"),
        ("ayúda", "help", "Urna: CODIGO y su opinion"),
        ("PREGUNTA Cuando abren la convocatoria de becas?", "query", "Recibimos su pregunta."),
        ("ESTADO UC-2026-ZZZZZZZ", "status", "No encontramos el recibo UC-2026-ZZZZZZZ"),
        ("SALIR", "opt_out", "Listo: no recibira mas campanas"),
        ("stop", "opt_out", "Listo: no recibira mas campanas"),
        ("EJERCICIOS", "menu", "Ejercicios abiertos:"),
        ("CERRADO quiero opinar", "help", "Urna: CODIGO"),
    ],
)
def test_keywords(client, world, settings, body, result, reply_start):
    sms(client, body)
    deliver()
    message = InboundMessage.objects.get()
    assert message.result == result
    assert outbox(settings)[0]["body"].startswith(reply_start)


def test_unknown_text_gets_help_and_is_kept_for_staff(client, world, settings):
    sms(client, "quiero informacion del subsidio")
    deliver()
    message = InboundMessage.objects.get()
    assert (message.status, message.result) == ("unrouted", "help")
    assert outbox(settings)[0]["body"].startswith("Urna: CODIGO")


def test_keyword_without_text_asks_for_it_and_takes_the_next_message(client, world, settings):
    sms(client, "PREGUNTA", sid="SM1")
    sms(client, "Por que no llega el agua a mi vereda?", sid="SM2")
    deliver()
    from urna.queries.models import Query

    assert Query.objects.get().text == "Por que no llega el agua a mi vereda?"
    assert [m["body"][:20] for m in outbox(settings)] == [
        "Escriba su pregunta.",
        "Recibimos su pregunt",
    ]


def test_opt_out_stops_campaigns(client, world):
    from urna.contacts.consent import bits, has_consent
    from urna.contacts.services import consent_grant, contact_get_or_create

    contact = contact_get_or_create(phone=PHONE, consent=True, channel="sms", campaigns=True)
    consent_grant(contact=contact, scope=bits(["campaigns"], ["sms", "whatsapp"]), via="web")
    assert has_consent(contact, "sms", "campaigns")
    sms(client, "SALIR")
    deliver()
    contact.refresh_from_db()
    assert not has_consent(contact, "sms", "campaigns")
    assert has_consent(contact, "whatsapp", "campaigns")  # SALIR by SMS stops SMS only
    assert has_consent(contact, "sms", "answers")


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSBzaWduYXR1cmU=", "wrong-token"])
def test_bad_or_missing_signature_is_refused_and_logged_without_body(
    client, world, caplog, signature
):
    kwargs = {"token": "another-token"} if signature == "wrong-token" else {"signature": signature}
    response = sms(client, "AGRO secreto", **kwargs)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0
    logged = [r.getMessage() for r in caplog.records if r.name == "urna.security"]
    assert len(logged) == 1
    assert "provider=twilio path=/channels/sms/twilio/" in logged[0]
    assert "secreto" not in logged[0] and PHONE not in logged[0]


def test_signature_uses_public_base_url_when_configured(client, world, settings):
    settings.PUBLIC_BASE_URL = "https://urna.example.gov.co"
    # Signed for the public URL: accepted even though Django sees http://testserver
    data = {**fixture("twilio", "inbound_sms.json"), "Body": "AYUDA"}
    from urna.channels.providers.twilio.signature import twilio_signature
    from urna.channels.tests.base import TWILIO_TOKEN

    good = twilio_signature("https://urna.example.gov.co" + PATH, list(data.items()), TWILIO_TOKEN)
    assert twilio_post(client, PATH, data, signature=good).status_code == 200
    assert sms(client, "AYUDA", sid="SM9").status_code == 403


def test_forwarded_proto_and_host_from_trusted_proxy(client, world, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.USE_X_FORWARDED_HOST = True
    settings.ALLOWED_HOSTS = ["*"]
    data = {**fixture("twilio", "inbound_sms.json"), "Body": "AYUDA"}
    from urna.channels.providers.twilio.signature import twilio_signature
    from urna.channels.tests.base import TWILIO_TOKEN

    signature = twilio_signature("https://urna.gov.co" + PATH, list(data.items()), TWILIO_TOKEN)
    response = client.post(
        PATH,
        data,
        HTTP_X_TWILIO_SIGNATURE=signature,
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_HOST="urna.gov.co",
    )
    assert response.status_code == 200


def test_malformed_and_oversized(client, world):
    assert twilio_post(client, PATH, {"Body": "hola"}).status_code == 400
    big = {**fixture("twilio", "inbound_sms.json"), "Body": "x" * 40_000}
    assert twilio_post(client, PATH, big).status_code == 413
    assert InboundMessage.objects.count() == 0


def test_processing_error_leaves_message_failed_and_staff_retry_processes_it(
    client, world, monkeypatch
):
    from urna.channels import intake
    from urna.channels.services import inbound_retry

    sms(client, "AGRO Opinion que fallara")
    original = intake.contribute
    monkeypatch.setattr(intake, "contribute", lambda **kw: 1 / 0)
    inbound_process_pending()
    message = InboundMessage.objects.get()
    assert (message.status, message.last_error) == ("failed", "ZeroDivisionError: division by zero")
    monkeypatch.setattr(intake, "contribute", original)
    message = inbound_retry(message=message)
    assert (message.status, message.result) == ("processed", "contribution")


def test_status_callback_records_delivery(client, world):
    from urna.messaging.models import OutboundMessage

    data = fixture("twilio", "status_callback.json")
    message = OutboundMessage.objects.create(
        channel="sms",
        to=PHONE,
        body="x",
        backend="twilio",
        provider_message_id=data["MessageSid"],
        status="sent",
    )
    assert twilio_post(client, "/channels/sms/twilio/estado/", data).status_code == 204
    message.refresh_from_db()
    assert message.status == "delivered"
    assert list(message.events.values_list("status", flat=True)) == ["delivered"]
    bad = twilio_post(client, "/channels/sms/twilio/estado/", data, signature="x")
    assert bad.status_code == 403 and message.events.count() == 1


def test_drain_job_is_scheduled_after_the_bucket(client, world, monkeypatch):
    from urna.channels import services
    from urna.jobs.models import Job

    # Both messages arrive within one second (pinned: on a slow host they could straddle two).
    clock = SimpleNamespace(time=lambda: 1_790_000_000.25, sleep=services.time.sleep)
    monkeypatch.setattr(services, "time", clock)
    sms(client, "AYUDA", sid="SMa")
    sms(client, "AYUDA", sid="SMb")
    jobs = list(Job.objects.filter(name="channels.drain"))
    assert len(jobs) == 1
    assert jobs[0].unique_key.startswith("channels:drain:")
    bucket = int(jobs[0].unique_key.rsplit(":", 1)[1])
    assert jobs[0].run_at.timestamp() == pytest.approx(bucket + 1.5)


def test_a_nul_character_in_an_sms_is_dropped_not_a_server_error(client, world):
    # PostgreSQL cannot store NUL in text; the webhook must still store and answer the message.
    response = sms(client, "AGRO Que incluyan\x00 a los jóvenes rurales")

    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert message.body == "AGRO Que incluyan a los jóvenes rurales"
    deliver()
    message.refresh_from_db()
    assert (message.status, message.result) == ("processed", "contribution")


def test_borrar_then_si_erases_the_number_everywhere(client, world, settings):
    # The right of suppression from a basic phone: the phone that writes is the proof.
    from urna.audit.models import AuditEntry
    from urna.channels.models import Conversation
    from urna.exercises.models import Contribution
    from urna.messaging.models import OutboundMessage

    sms(client, "AGRO Que incluyan a los jóvenes rurales", sid="SMe1")
    deliver()
    sms(client, "borrar", sid="SMe2")
    deliver()
    assert outbox(settings)[-1]["body"].startswith("Urna: para borrar su numero")
    assert Contribution.objects.count() == 1  # nothing erased before the citizen confirms

    sms(client, "Sí", sid="SMe3")
    deliver()

    rows = InboundMessage.objects.order_by("id")
    assert [(m.sender, m.body, m.payload) for m in rows] == [("", "", "")] * 3
    assert [m.result for m in rows] == ["contribution", "menu", "erase"]
    assert not Conversation.objects.exists()
    assert not OutboundMessage.objects.filter(to=PHONE).exclude(body__startswith="Listo").exists()
    assert outbox(settings)[-1]["body"].startswith("Listo: borramos su numero")
    assert Contribution.objects.get().text == "Que incluyan a los jóvenes rurales"
    entry = AuditEntry.objects.get(action="contact.erase")
    assert entry.actor_label == "citizen:sms" and entry.after["rows"]["messages_received"] == 3


def test_borrar_erases_the_contact_a_citizen_left(client, world):
    from urna.contacts.models import Contact
    from urna.contacts.services import contact_get_or_create

    contact_get_or_create(phone=PHONE, name="Ana", consent=True, channel="web")
    sms(client, "BORRAR", sid="SMc1")
    deliver()
    sms(client, "SI", sid="SMc2")
    deliver()

    contact = Contact.objects.get()
    assert (contact.phone, contact.name) == (None, "")
    assert contact.erased_at is not None


def test_si_without_borrar_erases_nothing(client, world):
    sms(client, "AGRO Que incluyan a los jóvenes rurales", sid="SMn1")
    sms(client, "SI", sid="SMn2")
    deliver()

    assert InboundMessage.objects.filter(sender=PHONE).count() == 2
