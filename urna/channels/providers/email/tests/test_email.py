import mailbox
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.management import call_command

from urna.channels.models import InboundMessage
from urna.channels.providers.email.handler import mail_receive
from urna.channels.providers.email.parser import parse_mail

pytestmark = pytest.mark.django_db


def build(subject="AGRO: mi aporte", to="participa@urna.gov.co", attachments=(), **headers):
    message = EmailMessage()
    message["From"] = "Ana Pérez <ana@example.org>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = headers.pop("message_id", "<abc123@example.org>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("Propongo titulación rápida de predios.\n\n> texto citado\n> viejo")
    for name, ctype, data in attachments:
        maintype, subtype = ctype.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_parse_keeps_allowed_attachments_and_drops_quoted_text():
    raw = build(
        attachments=[
            ("acta.pdf", "application/pdf", b"%PDF-1.4 x"),
            ("virus.exe", "application/octet-stream", b"MZ"),
            ("grande.png", "image/png", b"x" * (5 * 1024 * 1024 + 1)),
        ]
    )
    parsed = parse_mail(raw)
    assert (parsed.sender, parsed.message_id) == ("ana@example.org", "abc123@example.org")
    assert parsed.text == "Propongo titulación rápida de predios."
    assert [a.filename for a in parsed.attachments] == ["acta.pdf"]
    assert parsed.refused == ["virus.exe (tipo)", "grande.png (tamaño)"]


def test_code_in_subject_makes_a_contribution_and_replies_by_email(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MESSAGING_EMAIL_BACKEND = "smtp"
    message = mail_receive(build(attachments=[("acta.pdf", "application/pdf", b"%PDF-1.4")]))
    assert (message.status, message.result) == ("processed", "contribution")
    assert message.files.get().size == 8
    from urna.exercises.models import Contribution
    from urna.jobs.services import run_pending

    contribution = Contribution.objects.get()
    assert (contribution.channel, contribution.exercise.code) == ("email", "AGRO")
    run_pending()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    assert contribution.receipt in mail.outbox[0].body
    # The same email read again stores nothing new
    again = mail_receive(build())
    assert again.pk == message.pk and InboundMessage.objects.count() == 1


def test_plus_address_and_plain_question(world):
    first = mail_receive(build(subject="Opinion", to="participa+agua@urna.gov.co"))
    assert first.result == "contribution"
    second = mail_receive(build(subject="Consulta sobre mi pension", message_id="<q1@x>"))
    assert second.result == "query"
    from urna.queries.models import Query

    assert Query.objects.get().channel == "email"


def test_auto_replies_are_ignored(world):
    message = mail_receive(build(Auto_Submitted="auto-replied"))
    assert message.status == "ignored"


def test_maildir_command(world, tmp_path):
    box = mailbox.Maildir(tmp_path / "mail", create=True)
    box.add(build())
    call_command("channels_fetch_mail", maildir=str(tmp_path / "mail"))
    call_command("channels_fetch_mail", maildir=str(tmp_path / "mail"))
    assert InboundMessage.objects.filter(result="contribution").count() == 1
