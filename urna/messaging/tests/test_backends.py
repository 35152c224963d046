"""The outbox backends shipped with messaging (console, file, SMTP) and the error for a backend
nobody registered. Provider backends (Twilio, Africa's Talking, WhatsApp) are tested in
``urna.channels``, which registers them."""

import json

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from urna.messaging.backends import (
    BACKENDS,
    UnknownBackend,
    backend_for,
    backend_name_for,
    console_backend,
    file_backend,
    smtp_backend,
)
from urna.messaging.models import OutboundMessage
from urna.messaging.services import message_send
from urna.messaging.tests.conftest import PHONE

pytestmark = pytest.mark.django_db


def queued(channel="sms", to=PHONE, **fields):
    fields.setdefault("body", "Su código es 123456")
    return OutboundMessage.objects.create(channel=channel, to=to, **fields)


def test_the_console_backend_prints_the_address_masked(capsys):
    message = queued()

    assert console_backend(message) == f"console-{message.pk}"

    printed = capsys.readouterr().out
    assert printed == "[outbox:sms] to=+57300•••4567 Su código es 123456\n"
    assert PHONE not in printed


def test_the_console_backend_masks_an_email(capsys):
    console_backend(queued(channel="email", to="ana.perez@example.org"))

    assert "to=a•••@example.org " in capsys.readouterr().out


def test_the_file_backend_appends_one_json_line_per_message(outbox):
    first, second = queued(), queued(channel="whatsapp", subject="S")

    assert file_backend(first) == f"file-{first.pk}"
    file_backend(second)
    file_backend(first)

    sms = [json.loads(line) for line in (outbox / "sms.jsonl").read_text("utf-8").splitlines()]
    assert [(r["id"], r["to"], r["body"]) for r in sms] == [
        (first.pk, PHONE, "Su código es 123456"),
        (first.pk, PHONE, "Su código es 123456"),
    ]
    [whatsapp] = (outbox / "whatsapp.jsonl").read_text("utf-8").splitlines()
    assert json.loads(whatsapp)["subject"] == "S"


def test_the_smtp_backend_sends_through_djangos_email_backend(settings):
    settings.DEFAULT_FROM_EMAIL = "Urna <no-responder@urna.gov.co>"
    message = queued(channel="email", to="ana@example.org", subject="Su código")

    assert smtp_backend(message) == f"smtp-{message.pk}"

    [email] = mail.outbox
    assert (email.subject, email.body, email.to) == (
        "Su código",
        "Su código es 123456",
        ["ana@example.org"],
    )
    assert email.from_email == "Urna <no-responder@urna.gov.co>"
    assert email.extra_headers["Message-ID"] == f"<urna-{message.pk}@urna.gov.co>"


def test_an_email_without_subject_is_titled_urna():
    smtp_backend(queued(channel="email", to="ana@example.org"))

    assert mail.outbox[0].subject == "Urna"


def test_an_email_is_sent_once_through_the_outbox(outbox):
    message = queued(channel="email", to="ana@example.org")

    assert message_send(message_id=message.pk) == "sent"
    assert message_send(message_id=message.pk) == "sent"

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.backend, message.provider_message_id) == ("smtp", f"smtp-{message.pk}")


def test_each_channel_uses_the_backend_its_setting_names(settings):
    settings.MESSAGING_SMS_BACKEND = "console"
    settings.MESSAGING_WHATSAPP_BACKEND = "file"
    settings.MESSAGING_EMAIL_BACKEND = "smtp"

    names = [backend_name_for(queued(channel=c)) for c in ("sms", "whatsapp", "email")]

    assert names == ["console", "file", "smtp"]
    assert {"console", "file", "smtp"} <= set(BACKENDS)


def test_an_unknown_backend_is_a_configuration_error_naming_the_setting():
    with pytest.raises(ImproperlyConfigured) as caught:
        backend_for("twillio", source="MESSAGING_SMS_BACKEND")

    assert isinstance(caught.value, UnknownBackend)
    text = str(caught.value)
    assert "'twillio'" in text and "MESSAGING_SMS_BACKEND" in text and "file" in text


def test_sending_through_a_misnamed_backend_records_the_error_and_sends_nothing(outbox, settings):
    settings.MESSAGING_SMS_BACKEND = "twillio"
    message = queued()

    with pytest.raises(UnknownBackend):
        message_send(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    assert message.last_error.startswith("UnknownBackend: Unknown outbox backend 'twillio'")
    assert "MESSAGING_SMS_BACKEND" in message.last_error
    assert not outbox.exists()


def test_an_unknown_provider_on_a_reply_is_named_as_the_messages_provider(outbox):
    message = queued(provider="nosuchprovider")

    with pytest.raises(UnknownBackend, match="the message's provider"):
        message_send(message_id=message.pk)
