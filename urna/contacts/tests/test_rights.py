"""A citizen's rights over their contact data (Ley 1581 de 2012): access and suppression reach
every copy Urna keeps, and a citizen without an account exercises them with a code."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.channels.models import Conversation, InboundMessage
from urna.contacts.consent import bits as consent_bits
from urna.contacts.consent import has_consent
from urna.contacts.models import Contact
from urna.contacts.services import (
    ContactDetails,
    contact_erase,
    contact_export,
    contact_get_or_create,
)
from urna.exercises import selectors, services
from urna.exercises.models import Contribution
from urna.messaging.models import OutboundMessage
from urna.messaging.services import message_queue

pytestmark = pytest.mark.django_db

PHONE = "+573001234567"
START = "/datos-personales/"
CODE = "/datos-personales/codigo/"
MINE = "/datos-personales/mis-datos/"


@pytest.fixture(autouse=True)
def _fresh_snapshots():
    selectors.submission_cache_clear()
    selectors._rules_cache.clear()
    yield


@pytest.fixture
def exercise(agriculture, make_staff):
    manager = make_staff(agriculture, Role.MANAGER, username="gestora")
    created = services.exercise_create(
        by=manager,
        owner=agriculture,
        title="Pacto agrario: ejercicio de prueba",
        summary="Resumen del ejercicio de prueba.",
        kind="policy",
        closes_at=timezone.now() + timedelta(days=30),
    )
    return services.exercise_transition(exercise=created, to="open", by=manager)


@pytest.fixture
def citizen(exercise):
    """A citizen who gave their phone with a contribution, wrote by SMS and by WhatsApp (Meta
    sends the number without '+'), is in a menu conversation and got replies."""
    result = services.contribution_submit(
        exercise=exercise,
        kind="opinion",
        text="Que el crédito llegue a las veredas.",
        channel="sms",
        contact=ContactDetails(phone=PHONE, name="Ana Pérez", consent=True),
    )
    contact = result.contribution.contact
    InboundMessage.objects.create(
        provider="twilio", provider_message_id="SM1", channel="sms", sender=PHONE,
        body="AGRO Que el crédito llegue a las veredas.", payload=f"From={PHONE}",
        status="processed", result="contribution", result_receipt=result.contribution.receipt,
    )  # fmt: skip
    InboundMessage.objects.create(
        provider="whatsapp", provider_message_id="wamid.1", channel="whatsapp",
        sender=PHONE.removeprefix("+"), body="Hola", payload='{"profile": {"name": "Ana"}}',
    )  # fmt: skip
    Conversation.objects.create(channel="sms", address=PHONE, state="menu")
    message_queue(channel="sms", to=PHONE, body="Recibimos su aporte.", contact=contact)
    return contact


@pytest.fixture
def stranger():
    return contact_get_or_create(phone="3109876543", consent=True, channel="web")


def test_export_holds_every_copy_of_the_citizens_data(citizen):
    data = contact_export(contact=citizen)

    assert (data["phone"], data["name"]) == (PHONE, "Ana Pérez")
    assert [c["text"] for c in data["contributions"]] == ["Que el crédito llegue a las veredas."]
    assert sorted(m["channel"] for m in data["messages_received"]) == ["sms", "whatsapp"]
    assert [m["text"] for m in data["messages_sent"]] == ["Recibimos su aporte."]
    assert data["queries"] == []


def test_erase_removes_the_data_everywhere_and_keeps_the_public_record(citizen, stranger):
    receipt = Contribution.objects.get().receipt
    message_queue(channel="sms", to=stranger.phone, body="Otro ciudadano.", contact=stranger)

    contact_erase(contact=citizen)

    citizen.refresh_from_db()
    assert (citizen.phone, citizen.email, citizen.name) == (None, None, "")
    assert citizen.erased_at is not None
    for message in InboundMessage.objects.all():
        assert (message.sender, message.body, message.payload) == ("", "", "")
    assert InboundMessage.objects.get(provider="twilio").result_receipt == receipt
    assert InboundMessage.objects.get(provider="whatsapp").status == "ignored"
    assert not Conversation.objects.exists()
    mine = OutboundMessage.objects.get(contact=citizen)
    assert (mine.to, mine.body, mine.status) == ("", "", "suppressed")
    assert OutboundMessage.objects.get(contact=stranger).body == "Otro ciudadano."
    contribution = Contribution.objects.get(receipt=receipt)
    assert contribution.text == "Que el crédito llegue a las veredas."
    entry = AuditEntry.objects.get(action="contact.erase")
    assert entry.after["rows"]["messages_received"] == 2
    assert PHONE not in json.dumps(entry.after) and "Ana" not in json.dumps(entry.after)


def _code_sent_to(address):
    body = OutboundMessage.objects.filter(to=address).latest("id").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_a_citizen_proves_the_phone_is_theirs_then_downloads_and_erases(client, citizen):
    response = client.post(START, {"address": "300 123 4567"})
    assert response.status_code == 302 and response["Location"] == CODE

    page = client.get(CODE).content.decode()
    assert "+57300•••4567" in page and PHONE not in page
    wrong = client.post(CODE, {"code": "000000" if _code_sent_to(PHONE) != "000000" else "1"})
    assert wrong.status_code == 422 and "El código no es correcto." in wrong.content.decode()

    assert client.post(CODE, {"code": _code_sent_to(PHONE)})["Location"] == MINE
    page = client.get(MINE).content.decode()
    assert Contribution.objects.get().receipt in page and "+57300•••4567" in page
    assert PHONE not in page and "Ana" not in page
    download = json.loads(client.get(MINE, {"formato": "json"}).content)
    assert download["phone"] == PHONE and len(download["messages_received"]) == 2

    unconfirmed = client.post(MINE, {"action": "erase"})
    assert unconfirmed.status_code == 422 and Contact.objects.get().phone == PHONE
    erased = client.post(MINE, {"action": "erase", "confirm": "on"})
    assert erased.status_code == 302
    assert Contact.objects.get().phone is None
    assert client.get(MINE)["Location"] == START  # the verified session ends with the data


def test_opting_out_of_campaigns(client, citizen):
    campaigns = consent_bits(["campaigns", "surveys"], ["sms", "whatsapp"])
    Contact.objects.filter(pk=citizen.pk).update(consents=campaigns | citizen.consents)
    client.post(START, {"address": PHONE})
    client.post(CODE, {"code": _code_sent_to(PHONE)})

    client.post(MINE, {"action": "opt_out"})

    citizen.refresh_from_db()
    assert citizen.consents & campaigns == 0 and citizen.phone == PHONE
    assert has_consent(citizen, "sms", "answers")  # answers to what they asked still go


def test_an_unknown_address_gets_the_same_answer_and_no_message(client, citizen):
    response = client.post(START, {"address": "ana@example.org"})

    assert response.status_code == 302 and response["Location"] == CODE
    assert not OutboundMessage.objects.filter(to="ana@example.org").exists()
    assert client.post(CODE, {"code": "123456"}).status_code == 422


def test_an_email_address_gets_its_code_by_email(client, exercise):
    contact_get_or_create(email="Ana@Example.org", consent=True, channel="web")

    client.post(START, {"address": " ANA@example.org "})

    message = OutboundMessage.objects.get(to="ana@example.org")
    assert message.channel == "email" and message.subject


def test_bad_input_is_a_clear_error_in_spanish(client, db):
    response = client.post(START, {"address": "12"})

    assert response.status_code == 422
    assert "El número de teléfono no es válido." in response.content.decode()


def test_codes_to_one_address_are_limited(client, citizen):
    for _ in range(3):
        assert client.post(START, {"address": PHONE}).status_code == 302

    response = client.post(START, {"address": PHONE})

    assert response.status_code == 429
    assert "Espere una hora" in response.content.decode()
    assert OutboundMessage.objects.filter(to=PHONE, body__contains="código").count() == 3


def test_five_wrong_codes_end_the_attempt(client, citizen):
    client.post(START, {"address": PHONE})
    right = _code_sent_to(PHONE)
    wrong = "111111" if right != "111111" else "222222"
    for _ in range(5):
        assert client.post(CODE, {"code": wrong}).status_code == 422

    response = client.post(CODE, {"code": right})

    assert response["Location"] == START
    assert client.get(MINE)["Location"] == START


def test_the_pages_need_a_proven_address(client, citizen):
    assert client.get(CODE)["Location"] == START
    assert client.get(MINE)["Location"] == START
    assert client.post(MINE, {"action": "erase", "confirm": "on"})["Location"] == START
    assert Contact.objects.get().phone == PHONE


def test_the_pages_are_in_english_when_chosen(client, settings, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(START).content.decode()

    assert "Your personal data" in page


def test_the_rights_forms_and_their_errors_label_every_field(client, citizen):
    from urna.core.tests.a11y import duplicate_ids, unlabelled_fields

    pages = [client.get(START), client.post(START, {"address": "12"})]
    client.post(START, {"address": PHONE})
    pages += [client.get(CODE), client.post(CODE, {"code": "x"})]
    client.post(CODE, {"code": _code_sent_to(PHONE)})
    pages += [client.get(MINE), client.post(MINE, {"action": "erase"})]

    for response in pages:
        html = response.content.decode()
        assert unlabelled_fields(html) == [] and duplicate_ids(html) == []


def test_codes_from_one_network_are_limited(client, citizen, settings):
    from urna.contacts.services import RIGHTS_CODE_NETWORK_RATE, rights_code_send

    limit = int(RIGHTS_CODE_NETWORK_RATE.split("/")[0])
    for n in range(limit):
        rights_code_send(address=f"+5731000000{n:02d}", ip="190.0.0.1")

    response = client.post(START, {"address": "3001112233"}, REMOTE_ADDR="190.0.0.1")

    assert response.status_code == 429
    assert "desde esta red" in response.content.decode()


def test_erase_deletes_the_files_an_email_brought(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from urna.channels.models import InboundAttachment

    settings.MEDIA_ROOT = str(tmp_path)
    contact = contact_get_or_create(email="ana@example.org", consent=True, channel="email")
    message = InboundMessage.objects.create(
        provider="email", provider_message_id="<m1@example.org>", channel="email",
        sender="Ana@Example.org", body="Adjunto mi cédula.", status="processed",
    )  # fmt: skip
    attachment = InboundAttachment(
        message=message, filename="cedula.pdf", content_type="application/pdf", size=4
    )
    attachment.file.save("cedula.pdf", ContentFile(b"%PDF"), save=True)
    stored = tmp_path / attachment.file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        contact_erase(contact=contact)

    assert not InboundAttachment.objects.exists() and not stored.exists()
    message.refresh_from_db()
    assert (message.sender, message.body) == ("", "")


def test_concurrent_wrong_codes_get_exactly_five_tries(counter_store, race):
    from urna.contacts.services import rights_code, rights_code_check
    from urna.core.errors import RateLimited

    nonce = "a-nonce-from-the-session"
    wrong = "111111" if rights_code(PHONE, nonce) != "111111" else "222222"
    results = race(lambda: rights_code_check(address=PHONE, nonce=nonce, code=wrong), 20)

    assert results.count(None) == 5
    assert sum(isinstance(r, RateLimited) for r in results) == 15
