import pytest

from urna.channels.models import InboundMessage
from urna.channels.services import inbound_process_pending
from urna.channels.tests.base import at_post, fixture

pytestmark = pytest.mark.django_db


def test_inbound_sms_status_keyword(client, world):
    response = at_post(
        client, "/channels/sms/africastalking/", fixture("africastalking", "inbound_sms.json")
    )
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert (message.provider, message.status, message.headers["linkId"]) == (
        "africastalking",
        "received",
        "SampleLinkId123",
    )
    inbound_process_pending()
    message.refresh_from_db()
    assert message.result == "status"
    from urna.messaging.models import OutboundMessage

    reply = OutboundMessage.objects.get()
    assert reply.body.startswith("No encontramos el recibo UC-2026-AAAAAAA")
    assert reply.provider == ""  # development: the file backend


def test_reply_goes_back_through_africastalking_in_production_setup(client, world, settings):
    settings.MESSAGING_SMS_BACKEND = "africastalking"
    at_post(client, "/channels/sms/africastalking/", fixture("africastalking", "inbound_sms.json"))
    inbound_process_pending()
    from urna.messaging.models import OutboundMessage

    assert OutboundMessage.objects.get().provider == "africastalking"


@pytest.mark.parametrize("token", [None, "", "0" * 32])
def test_missing_or_bad_token(client, world, token):
    response = at_post(
        client,
        "/channels/sms/africastalking/",
        fixture("africastalking", "inbound_sms.json"),
        token=token,
    )
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_retry_and_malformed(client, world):
    data = fixture("africastalking", "inbound_sms.json")
    at_post(client, "/channels/sms/africastalking/", data)
    at_post(client, "/channels/sms/africastalking/", data)
    assert InboundMessage.objects.count() == 1
    assert at_post(client, "/channels/sms/africastalking/", {"text": "hola"}).status_code == 400


def test_delivery_report(client, world):
    from urna.messaging.models import OutboundMessage

    data = fixture("africastalking", "delivery_report.json")
    message = OutboundMessage.objects.create(
        channel="sms",
        to="+573001234567",
        body="x",
        backend="africastalking",
        provider_message_id=data["id"],
        status="sent",
    )
    assert at_post(client, "/channels/sms/africastalking/entrega/", data).status_code == 200
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("failed", "UserInBlackList")
