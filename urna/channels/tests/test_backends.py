import json

import pytest
import responses

from urna.channels.tests.base import fixture
from urna.messaging.models import OutboundMessage
from urna.messaging.services import message_send

pytestmark = pytest.mark.django_db


def queued(channel, provider):
    return OutboundMessage.objects.create(
        channel=channel, to="+573001234567", body="Gracias", provider=provider
    )


@responses.activate
def test_twilio_backend(settings):
    settings.TWILIO_ACCOUNT_SID = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
    settings.TWILIO_FROM_NUMBER = "+5715550100"
    settings.PUBLIC_BASE_URL = "https://urna.example.gov.co"
    call = responses.post(
        "https://api.twilio.com/2010-04-01/Accounts/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/Messages.json",
        json=fixture("twilio", "send_response.json"),
        status=201,
    )
    message = queued("sms", "twilio")
    assert message_send(message_id=message.pk) == "sent"
    message.refresh_from_db()
    assert (message.backend, message.provider_message_id) == (
        "twilio",
        "SM5d2f1e3e0c1b4a2f9e8d7c6b5a4f3e2d",
    )
    body = call.calls[0].request.body
    assert "To=%2B573001234567" in body and "From=%2B5715550100" in body
    assert (
        "StatusCallback=https%3A%2F%2Furna.example.gov.co%2Fchannels%2Fsms%2Ftwilio%2Festado%2F"
        in body
    )
    assert call.calls[0].request.headers["Authorization"].startswith("Basic ")


@responses.activate
def test_twilio_error_raises_without_the_number(settings):
    settings.TWILIO_ACCOUNT_SID = "AC1"
    settings.TWILIO_FROM_NUMBER = "+5715550100"
    responses.post(
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json",
        json={
            "code": 21211,
            "message": "The 'To' number +573001234567 is not valid.",
            "status": 400,
        },
        status=400,
    )
    message = queued("sms", "twilio")
    with pytest.raises(RuntimeError):
        message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.last_error == "ProviderError: Twilio HTTP 400: code 21211"


@responses.activate
def test_africastalking_backend(settings):
    call = responses.post(
        "https://api.africastalking.com/version1/messaging",
        json=fixture("africastalking", "send_response.json"),
        status=201,
    )
    message = queued("sms", "africastalking")
    assert message_send(message_id=message.pk) == "sent"
    message.refresh_from_db()
    assert message.provider_message_id == "ATXid_b50fada5b1af078f2277cacb58ef2447"
    request = call.calls[0].request
    assert request.headers["apiKey"] == "test-at-api-key"
    assert "username=urna" in request.body and "message=Gracias" in request.body


@responses.activate
def test_whatsapp_backend(settings):
    settings.WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.WHATSAPP_TOKEN = "EAAtoken"
    call = responses.post(
        "https://graph.facebook.com/v21.0/106540352242922/messages",
        json=fixture("meta", "whatsapp_send_response.json"),
    )
    message = queued("whatsapp", "whatsapp")
    assert message_send(message_id=message.pk) == "sent"
    message.refresh_from_db()
    assert message.provider_message_id.startswith("wamid.")
    sent = json.loads(call.calls[0].request.body)
    assert sent == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "573001234567",
        "type": "text",
        "text": {"preview_url": False, "body": "Gracias"},
    }
    assert call.calls[0].request.headers["Authorization"] == "Bearer EAAtoken"


def test_production_refuses_when_credentials_are_unset(client, settings):
    settings.DEBUG = False
    settings.PRODUCTION = True
    settings.TWILIO_AUTH_TOKEN = ""
    response = client.post(
        "/channels/sms/twilio/",
        {"MessageSid": "SM1", "From": "+573001234567"},
        HTTP_X_TWILIO_SIGNATURE="x",
    )
    assert response.status_code == 403


@pytest.mark.parametrize("env", ["staging", "preproduccion", "demo", ""])
@pytest.mark.parametrize("debug", [True, False])
def test_development_values_only_in_development_and_test(client, settings, env, debug):
    from urna.channels.devcredentials import DEV_VALUES, credential
    from urna.channels.providers.meta.signature import meta_signature

    # Given a staging site (neither development nor test) with its credentials unset
    settings.URNA_ENV, settings.PRODUCTION, settings.DEBUG = env, False, debug
    settings.META_APP_SECRET = settings.TWILIO_AUTH_TOKEN = ""
    body = b'{"object": "whatsapp_business_account", "entry": []}'
    # When a request is signed with the development secret published in the repository
    response = client.post(
        "/channels/meta/",
        body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=meta_signature(body, DEV_VALUES["META_APP_SECRET"]),
    )
    # Then it is refused, and no development value is handed out
    assert response.status_code == 403
    assert credential("META_APP_SECRET") is None
    assert credential("TWILIO_AUTH_TOKEN") is None


@pytest.mark.parametrize("env", ["development", "test"])
def test_development_values_in_development_and_test(settings, env):
    from urna.channels.devcredentials import DEV_VALUES, credential

    settings.URNA_ENV, settings.PRODUCTION, settings.META_APP_SECRET = env, False, ""
    assert credential("META_APP_SECRET") == DEV_VALUES["META_APP_SECRET"]


def test_dev_credentials_printed_only_in_development_and_test(monkeypatch, capsys):
    from urna.channels import devcredentials

    monkeypatch.delenv("META_APP_SECRET", raising=False)
    monkeypatch.setenv("URNA_ENV", "staging")
    devcredentials.main()
    assert capsys.readouterr().out == ""
    monkeypatch.setenv("URNA_ENV", "development")
    devcredentials.main()
    assert "META_APP_SECRET=dev-meta-app-secret" in capsys.readouterr().out


def test_development_values_used_when_unset(settings):
    from urna.channels.devcredentials import DEV_VALUES, credential, unset_lines

    settings.TWILIO_AUTH_TOKEN = ""
    assert credential("TWILIO_AUTH_TOKEN") == DEV_VALUES["TWILIO_AUTH_TOKEN"]
    lines = unset_lines({"TWILIO_AUTH_TOKEN": "real"})
    assert not any(line.startswith("TWILIO_AUTH_TOKEN=") for line in lines)
    assert any(line.startswith("META_APP_SECRET=dev-meta-app-secret") for line in lines)


def test_provider_backends_are_registered_at_startup():
    # ChannelsConfig.ready registers them: the outbox finds them without importing channels.
    from urna.messaging.backends import BACKENDS

    assert {"twilio", "africastalking", "whatsapp"} <= set(BACKENDS)


@responses.activate
@pytest.mark.django_db
def test_a_whatsapp_dispatch_sends_its_approved_template_with_each_contacts_values(settings):
    """A campaign writes first: outside the 24-hour window the Cloud API takes only an approved
    template, with the body parameters rendered for each contact."""
    from urna.contacts.consent import bits
    from urna.contacts.models import Contact
    from urna.jobs.services import run_pending
    from urna.messaging.dispatch import dispatch_create, dispatch_enqueue

    settings.WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.WHATSAPP_TOKEN = "EAAtoken"
    call = responses.post(
        "https://graph.facebook.com/v21.0/106540352242922/messages",
        json=fixture("meta", "whatsapp_send_response.json"),
    )
    Contact.objects.create(
        phone="+573001234567", name="Ana Gómez", consents=bits(["campaigns"], ["whatsapp"])
    )
    dispatch = dispatch_create(
        channel="whatsapp",
        purpose="campaigns",
        body="Hola {nombre}",
        whatsapp_template="resultados_consulta",
        whatsapp_language="es_CO",
        params=["{nombre}", "Pacto agrario"],
        backend="whatsapp",
    )
    dispatch_enqueue(dispatch=dispatch, recipients=Contact.objects.values_list("id", "phone"))
    run_pending()

    sent = json.loads(call.calls[0].request.body)
    assert sent == {
        "messaging_product": "whatsapp",
        "to": "573001234567",
        "type": "template",
        "template": {
            "name": "resultados_consulta",
            "language": {"code": "es_CO"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Ana"},
                        {"type": "text", "text": "Pacto agrario"},
                    ],
                }
            ],
        },
    }
    message = OutboundMessage.objects.get(dispatch=dispatch)
    assert message.status == "sent" and message.provider_message_id.startswith("wamid.")
