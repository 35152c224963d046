import copy
import json
from pathlib import Path

import pytest

from urna.channels.models import InboundMessage, SocialPostLink
from urna.channels.services import inbound_process_pending
from urna.channels.tests.base import META_VERIFY, PHONE, fixture, meta_post

pytestmark = pytest.mark.django_db


def whatsapp(body, message_id="wamid.A1"):
    payload = fixture("meta", "whatsapp_text.json")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["text"]["body"], message["id"] = body, message_id
    return payload


def outbox(settings):
    path = Path(settings.MESSAGING_FILE_PATH) / "whatsapp.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture(autouse=True)
def _clean_outbox(settings):
    (Path(settings.MESSAGING_FILE_PATH) / "whatsapp.jsonl").unlink(missing_ok=True)


def test_verification_handshake(client, caplog):
    ok = client.get(
        "/channels/meta/",
        {"hub.mode": "subscribe", "hub.verify_token": META_VERIFY, "hub.challenge": "1158201444"},
    )
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    bad = client.get(
        "/channels/meta/",
        {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
    )
    assert bad.status_code == 403


def test_whatsapp_numbered_menu_conversation(client, world, settings):
    # Given a citizen greeting, choosing 1 (list), then 2 (AGUA), then writing an opinion
    for n, text in enumerate(["Hola", "1", "2", "Necesitamos acueducto en la vereda"]):
        assert meta_post(client, whatsapp(text, f"wamid.{n}")).status_code == 200
        inbound_process_pending()
    from urna.jobs.services import run_pending

    run_pending()
    replies = [m["body"] for m in outbox(settings)]
    assert replies[0].startswith("Hola, esto es Urna. Responda con un número:\n1 Ver ejercicios")
    assert replies[1].startswith("Ejercicios abiertos:\n1 AGRO")
    assert replies[2].startswith("AGUA: Resumen del ejercicio AGUA")
    assert replies[3].startswith("Gracias. Recibimos su aporte a AGUA. Recibo: UC-")
    assert {m["to"] for m in outbox(settings)} == {PHONE}
    from urna.exercises.models import Contribution

    contribution = Contribution.objects.get()
    assert (contribution.channel, contribution.exercise.code) == ("whatsapp", "AGUA")


def test_whatsapp_retry_and_bad_signature(client, world, caplog):
    assert meta_post(client, whatsapp("AYUDA")).status_code == 200
    assert meta_post(client, whatsapp("AYUDA")).status_code == 200
    assert InboundMessage.objects.count() == 1
    assert meta_post(client, whatsapp("AYUDA", "wamid.X"), signature="sha256=00").status_code == 403
    assert meta_post(client, whatsapp("AYUDA", "wamid.Y"), signature="").status_code == 403
    assert InboundMessage.objects.count() == 1
    logged = [r.getMessage() for r in caplog.records if r.name == "urna.security"]
    assert logged == [
        "webhook rejected provider=meta path=/channels/meta/ reason=bad signature",
        "webhook rejected provider=meta path=/channels/meta/ reason=missing signature",
    ]


def _whatsapp_value(**value):
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }


def _deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


# Signed payloads of shapes Meta does not send (or a proxy mangled): none may cost a 500, which
# Meta retries for days, and none may be lost: each is stored raw and flagged for staff.
UNEXPECTED = {
    "not json": b"{not json",
    "not utf-8": b'{"object": "\xff\xfe"}',
    "null": b"null",
    "string": b'"hola"',
    "number": b"42",
    "list": b"[]",
    "no entry": {"object": "page"},
    "entry not a list": {"object": "page", "entry": {"id": "1"}},
    "entry items not objects": {"object": "page", "entry": ["x", 1, None]},
    "changes a string": {"object": "page", "entry": [{"changes": "abc"}]},
    "value a list": {
        "object": "instagram",
        "entry": [{"changes": [{"field": "comments", "value": []}]}],
    },
    "messages a string": _whatsapp_value(messages="abc"),
    "contact profile a string": _whatsapp_value(
        contacts=[{"wa_id": "1", "profile": "x"}], messages=[]
    ),
    "metadata a list": _whatsapp_value(metadata=[], messages=[{"id": "w1", "from": "57"}]),
    "text a string": _whatsapp_value(
        messages=[{"id": "w2", "from": "57", "type": "text", "text": "hola"}]
    ),
    "interactive a list": _whatsapp_value(
        messages=[{"id": "w3", "from": "57", "type": "interactive", "interactive": [1]}]
    ),
    "id an object": _whatsapp_value(messages=[{"id": {"a": 1}, "from": "57"}]),
    "status errors a number": _whatsapp_value(
        statuses=[{"id": "s1", "status": "failed", "errors": 5}]
    ),
    "message without id": _whatsapp_value(messages=[{"from": "57"}]),
    "facebook author a string": {
        "object": "page",
        "entry": [
            {
                "id": "9",
                "changes": [
                    {"field": "feed", "value": {"item": "comment", "verb": "add", "from": "x"}}
                ],
            }
        ],
    },
    "instagram media a list": {
        "object": "instagram",
        "entry": [{"changes": [{"field": "comments", "value": {"id": "c1", "media": []}}]}],
    },
    "10,000-deep list": _deep(10_000),
    "10,000-deep inside a message": b'{"object": "whatsapp_business_account", "entry": '
    + _deep(10_000)
    + b"}",
}


@pytest.mark.parametrize("payload", UNEXPECTED.values(), ids=UNEXPECTED.keys())
def test_unexpected_signed_payload_is_stored_flagged_and_acknowledged(client, world, payload):
    # When Meta (signature valid) posts a payload of an unexpected shape
    response = meta_post(client, payload)
    # Then it is acknowledged, stored raw once, and flagged for staff with a reason
    assert (response.status_code, response.content) == (200, b"EVENT_RECEIVED")
    flagged = InboundMessage.objects.get(status=InboundMessage.Status.UNPARSABLE)
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    assert flagged.payload == body.decode("utf-8", "replace")
    assert flagged.last_error.startswith("Carga no reconocida")
    assert flagged.provider in {"whatsapp", "facebook", "instagram"}
    assert InboundMessage.objects.exclude(pk=flagged.pk).count() == 0
    # A retry of the same payload stores nothing new; the drain has nothing to do with it
    assert meta_post(client, payload).status_code == 200
    assert InboundMessage.objects.count() == 1
    assert inbound_process_pending() == 0


def test_the_readable_part_of_a_partly_broken_payload_is_kept(client, world):
    # Given one good WhatsApp message and one without an id in the same delivery
    payload = whatsapp("AYUDA", "wamid.good")
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"].append({"from": "573001234567", "type": "text", "text": {"body": "x"}})
    # When Meta posts it
    assert meta_post(client, payload).status_code == 200
    # Then the good message is stored to be processed and the whole payload is flagged
    statuses = dict(InboundMessage.objects.values_list("provider_message_id", "status"))
    assert statuses.pop("wamid.good") == "received"
    assert list(statuses.values()) == ["unparsable"]


def test_unparsable_messages_are_listed_for_staff(client, world, django_user_model):
    meta_post(client, b"[[[")
    admin = django_user_model.objects.create_superuser("raiz", "raiz@example.org", "x" * 12)
    client.force_login(admin)
    page = client.get("/channels/gestion/mensajes/?estado=unparsable")
    assert page.status_code == 200
    assert "Carga no reconocida" in page.content.decode()


def test_unsigned_and_oversized_payloads_are_refused(client, world):
    assert meta_post(client, b"{not json", signature="").status_code == 403
    assert meta_post(client, b"[[[", signature="sha256=00").status_code == 403
    assert meta_post(client, b"x" * (1024 * 1024 + 1)).status_code == 413
    assert InboundMessage.objects.count() == 0


def test_whatsapp_status_records_delivery(client, world):
    from urna.messaging.models import OutboundMessage

    payload = fixture("meta", "whatsapp_status.json")
    wamid = payload["entry"][0]["changes"][0]["value"]["statuses"][0]["id"]
    message = OutboundMessage.objects.create(
        channel="whatsapp",
        to=PHONE,
        body="x",
        backend="whatsapp",
        provider_message_id=wamid,
        status="sent",
    )
    assert meta_post(client, payload).status_code == 200
    message.refresh_from_db()
    assert message.status == "delivered"


def test_facebook_comment_on_linked_post_becomes_contribution(client, world):
    payload = fixture("meta", "facebook_comment.json")
    SocialPostLink.objects.create(
        platform="facebook", post_id="104752728351234_122145963214", exercise=world["AGRO"]
    )
    assert meta_post(client, payload).status_code == 200
    inbound_process_pending()
    from urna.exercises.models import Contribution

    contribution = Contribution.objects.get()
    assert (contribution.channel, contribution.exercise.code) == ("facebook", "AGRO")
    assert contribution.contact.handle == "facebook:7120564734683931"
    assert contribution.contact.name == "Ana Pérez"
    # The profile name never reaches the public page of the exercise's contributions
    from urna.exercises.selectors import contribution_public_dict

    assert "Ana" not in json.dumps(
        contribution_public_dict(contribution, with_response=True), default=str
    )


def test_comment_on_unlinked_post_is_ignored(client, world):
    payload = fixture("meta", "facebook_comment.json")
    meta_post(client, payload)
    inbound_process_pending()
    assert InboundMessage.objects.get().status == "ignored"
    # The page's own reply under its post is not even stored
    own = copy.deepcopy(payload)
    own["entry"][0]["changes"][0]["value"]["from"]["id"] = own["entry"][0]["id"]
    own["entry"][0]["changes"][0]["value"]["comment_id"] = "other"
    meta_post(client, own)
    assert InboundMessage.objects.count() == 1


def test_instagram_comment_on_linked_media(client, world):
    SocialPostLink.objects.create(
        platform="instagram", post_id="17889615691921234", exercise=world["AGUA"]
    )
    assert meta_post(client, fixture("meta", "instagram_comment.json")).status_code == 200
    inbound_process_pending()
    from urna.exercises.models import Contribution

    contribution = Contribution.objects.get()
    assert (contribution.channel, contribution.text) == (
        "instagram",
        "Que pasa con el agua en las veredas?",
    )


def test_whatsapp_menu_option_5_then_si_erases_the_number(client, world, settings):
    # Meta sends the number without '+': the erasure still finds every copy.
    from urna.jobs.services import run_pending

    for n, text in enumerate(["Hola", "5", "Sí"]):
        assert meta_post(client, whatsapp(text, f"wamid.e{n}")).status_code == 200
        inbound_process_pending()
        run_pending()  # each reply goes out before the next message, as in production
    replies = [m["body"] for m in outbox(settings)]
    assert replies[0].endswith("4 No recibir más campañas\n5 Borrar mis datos")
    assert replies[1].startswith("Urna: para borrar su número")
    assert replies[2].startswith("Listo: borramos su número")
    assert set(InboundMessage.objects.values_list("sender", "body", "payload")) == {("", "", "")}


def test_unparsable_payloads_expire_with_the_retention_period(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from urna.channels.personal_data import inbound_expire

    meta_post(client, _whatsapp_value(messages=[{"from": "573001234567", "text": {"body": "x"}}]))
    assert inbound_expire(timezone.now() + timedelta(seconds=1)) == 1
    flagged = InboundMessage.objects.get()
    assert (flagged.status, flagged.payload) == ("unparsable", "")
