"""The providers registered at startup: every stored provider has its channel and handler, and
the senders, URLs and callback tokens come from the registrations."""

from django.core.management import call_command
from django.urls import reverse

from urna.channels.models import Provider
from urna.channels.registry import integrations, sends_replies, source_for
from urna.channels.services import reply_provider
from urna.channels.tests.base import AT_TOKEN
from urna.messaging.backends import BACKENDS


def test_every_stored_provider_has_a_registered_source():
    channels = {value: source_for(value).channel for value in Provider.values}

    assert channels == {
        "ussd": "ussd",
        "twilio": "sms",
        "africastalking": "sms",
        "whatsapp": "whatsapp",
        "facebook": "facebook",
        "instagram": "instagram",
        "email": "email",
    }


def test_replies_go_back_through_the_providers_that_send(settings):
    settings.MESSAGING_SMS_BACKEND = "twilio"
    settings.MESSAGING_WHATSAPP_BACKEND = "whatsapp"

    senders = {value for value in Provider.values if sends_replies(value)}

    assert senders == {"twilio", "africastalking", "whatsapp"}
    assert senders <= set(BACKENDS)
    assert reply_provider("africastalking", "sms") == "africastalking"
    assert reply_provider("facebook", "facebook") == ""
    assert reply_provider("email", "email") == ""


def test_each_provider_brings_its_urls():
    assert [i.name for i in integrations()] == [
        "ussd",
        "africastalking",
        "twilio",
        "meta",
        "email",
    ]
    assert reverse("channels:ussd") == "/channels/ussd/"
    assert reverse("channels:twilio_status") == "/channels/sms/twilio/estado/"
    assert reverse("channels:at_delivery") == "/channels/sms/africastalking/entrega/"
    assert reverse("channels:meta") == "/channels/meta/"


def test_the_dev_command_lists_every_callback_url(capsys, settings):
    call_command("channels_dev_credentials")

    urls = [line for line in capsys.readouterr().out.splitlines() if line.startswith("channels:")]
    assert urls == [
        f"channels:ussd: http://127.0.0.1:8000/channels/ussd/?token={AT_TOKEN}",
        f"channels:at_sms: http://127.0.0.1:8000/channels/sms/africastalking/?token={AT_TOKEN}",
        "channels:at_delivery: "
        f"http://127.0.0.1:8000/channels/sms/africastalking/entrega/?token={AT_TOKEN}",
        "channels:twilio_sms: http://127.0.0.1:8000/channels/sms/twilio/",
        "channels:twilio_status: http://127.0.0.1:8000/channels/sms/twilio/estado/",
        "channels:meta: http://127.0.0.1:8000/channels/meta/",
    ]
