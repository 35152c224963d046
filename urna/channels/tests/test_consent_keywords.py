"""Consent by keyword from a basic phone: UNIRME subscribes the number on the channel it wrote
by, with the message as evidence; SALIR / STOP withdraws it there, and only there."""

import pytest

from urna.audit.models import AuditEntry
from urna.channels.models import InboundMessage
from urna.channels.services import inbound_process_pending
from urna.channels.tests.base import PHONE, fixture, meta_post, twilio_post
from urna.contacts.consent import has_consent
from urna.contacts.models import ConsentEvent, Contact

pytestmark = pytest.mark.django_db


def sms(client, body, sid):
    data = {**fixture("twilio", "inbound_sms.json"), "Body": body, "MessageSid": sid}
    assert twilio_post(client, "/channels/sms/twilio/", data).status_code == 200
    inbound_process_pending()


def whatsapp(client, body, message_id):
    payload = fixture("meta", "whatsapp_text.json")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["text"]["body"], message["id"] = body, message_id
    assert meta_post(client, payload).status_code == 200
    inbound_process_pending()


def test_unirme_by_sms_subscribes_the_number_with_the_message_as_evidence(client, world):
    sms(client, "unirme", "SM00000000000000000000000000000001")

    contact = Contact.objects.get(phone=PHONE)
    assert has_consent(contact, "sms", "campaigns")
    assert not has_consent(contact, "whatsapp", "campaigns")
    inbound = InboundMessage.objects.get(provider_message_id="SM00000000000000000000000000000001")
    assert inbound.result == InboundMessage.Result.OPT_IN
    event = ConsentEvent.objects.get(contact=contact, via="keyword")
    assert event.evidence == f"inbound:{inbound.pk}" and event.action == "grant"
    assert AuditEntry.objects.filter(action="contact.consent_grant", actor_label="citizen:sms")


def test_salir_by_sms_stops_sms_only_and_stop_on_whatsapp_stops_whatsapp(client, world):
    sms(client, "UNIRME", "SM00000000000000000000000000000002")
    whatsapp(client, "Unirme", "wamid.optin1")
    contact = Contact.objects.get(phone=PHONE)
    assert has_consent(contact, "whatsapp", "campaigns") and has_consent(
        contact, "sms", "campaigns"
    )

    sms(client, "SALIR", "SM00000000000000000000000000000003")
    assert not has_consent(contact, "sms", "campaigns")
    assert has_consent(contact, "whatsapp", "campaigns")

    whatsapp(client, "STOP", "wamid.optout1")
    assert not has_consent(contact, "whatsapp", "campaigns")
    assert has_consent(contact, "sms", "answers")  # answers to their own messages still go
    revokes = ConsentEvent.objects.filter(contact=contact, action="revoke", via="keyword")
    assert revokes.count() == 2


def test_a_provider_retry_of_unirme_records_the_consent_once(client, world):
    sms(client, "UNIRME", "SM00000000000000000000000000000004")
    sms(client, "UNIRME", "SM00000000000000000000000000000004")
    assert ConsentEvent.objects.filter(via="keyword").count() == 1
