"""Retention: copies of a citizen's address are emptied once they have done their job and the
period (PERSONAL_DATA_RETENTION_DAYS) has passed; what staff still need is kept."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from urna.channels.models import Conversation, InboundMessage
from urna.contacts.services import personal_data_expire
from urna.contacts.tasks import retention
from urna.jobs.models import Job
from urna.jobs.services import run_pending
from urna.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db

PHONE = "+573001234567"


def inbound(n, *, days_ago, status="processed"):
    message = InboundMessage.objects.create(
        provider="twilio", provider_message_id=f"SM{n}", channel="sms", sender=PHONE,
        body=f"AGRO opinión {n}", payload=f"From={PHONE}", status=status,
        result_receipt=f"UC-2025-00000{n}",
    )  # fmt: skip
    InboundMessage.objects.filter(pk=message.pk).update(
        received_at=timezone.now() - timedelta(days=days_ago)
    )
    return message


def outbound(*, days_ago, status):
    message = OutboundMessage.objects.create(channel="sms", to=PHONE, body="Recibo", status=status)
    OutboundMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return message


def test_old_copies_that_did_their_job_are_emptied_and_the_rest_kept(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365
    old_done, recent = inbound(1, days_ago=400), inbound(2, days_ago=30)
    old_failed, old_unrouted = (
        inbound(3, days_ago=400, status="failed"),
        inbound(4, days_ago=400, status="unrouted"),
    )
    sent_old, sent_recent = (
        outbound(days_ago=400, status="sent"),
        outbound(days_ago=3, status="sent"),
    )
    queued_old = outbound(days_ago=400, status="queued")
    conversation = Conversation.objects.create(channel="sms", address=PHONE)
    Conversation.objects.filter(pk=conversation.pk).update(
        updated_at=timezone.now() - timedelta(days=400)
    )

    emptied = personal_data_expire()

    assert emptied == {"messages_received": 1, "messages_sent": 1, "survey_responses": 0}
    old_done.refresh_from_db()
    assert (old_done.sender, old_done.body, old_done.payload) == ("", "", "")
    assert (old_done.status, old_done.result_receipt) == ("processed", "UC-2025-000001")
    for kept in (recent, old_failed, old_unrouted):
        kept.refresh_from_db()
        assert kept.sender == PHONE and kept.body
    sent_old.refresh_from_db()
    assert (sent_old.to, sent_old.body, sent_old.status) == ("", "", "sent")
    for kept in (sent_recent, queued_old):
        kept.refresh_from_db()
        assert kept.to == PHONE
    assert not Conversation.objects.exists()
    assert personal_data_expire() == {
        "messages_received": 0,
        "messages_sent": 0,
        "survey_responses": 0,
    }


def test_a_large_backlog_is_emptied_in_chunks(settings, monkeypatch):
    from urna.core import personal_data

    monkeypatch.setattr(personal_data, "RETENTION_CHUNK", 3)
    for n in range(10):
        inbound(n, days_ago=400)

    assert personal_data_expire() == {
        "messages_received": 10,
        "messages_sent": 0,
        "survey_responses": 0,
    }
    assert not InboundMessage.objects.exclude(sender="").exists()


def test_zero_days_keeps_everything(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    inbound(1, days_ago=4000)

    assert personal_data_expire() == {}
    assert InboundMessage.objects.get().sender == PHONE


def test_the_daily_job_runs_and_schedules_tomorrow(settings):
    inbound(1, days_ago=400)
    out = io.StringIO()
    call_command("contacts_schedule", stdout=out)
    call_command("contacts_schedule", stdout=out)  # harmless twice
    assert out.getvalue().splitlines() == [
        "contacts: retention scheduled",
        "contacts: retention already scheduled",
    ]
    assert Job.objects.filter(name="contacts.retention", status="queued").count() == 1

    run_pending()

    assert InboundMessage.objects.get().sender == ""
    tomorrow = Job.objects.get(name="contacts.retention", status="queued")
    bogota = timezone.get_default_timezone()
    local = tomorrow.run_at.astimezone(bogota)
    assert (local.hour, local.minute) == (3, 30) and tomorrow.run_at > timezone.now()
    assert local.date() == timezone.localdate(timezone.now(), bogota) + timedelta(days=1)
    assert retention.name == "contacts.retention"


def test_every_table_holding_a_citizens_address_is_covered():
    # A new table with a phone, email or sender column must register a PersonalDataHolder
    # (or be the contact or account row itself), or access, erasure and retention miss it.
    from django.apps import apps

    from urna.contacts.services import PERSONAL_DATA_HOLDERS

    address_columns = {"phone", "email", "sender", "to", "address", "handle"}
    holding = {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label not in {"auth", "admin", "sessions", "contenttypes", "otp_totp"}
        and address_columns & {f.name for f in model._meta.concrete_fields}
    }
    covered = {"contacts.Contact", "accounts.User"}  # the rows the rights act on directly
    covered |= (
        {"channels.InboundMessage", "channels.Conversation"}
        if ("messages_received" in PERSONAL_DATA_HOLDERS)
        else set()
    )
    covered |= {"messaging.OutboundMessage"} if "messages_sent" in PERSONAL_DATA_HOLDERS else set()
    covered |= {"surveys.ChannelSession"} if "survey_responses" in PERSONAL_DATA_HOLDERS else set()
    # The registry's handles are the government's official accounts, not citizens' addresses.
    covered |= {"socialaccounts.SocialAccount"}
    # A meeting's address is the venue's, published on its page, not a citizen's.
    covered |= {"meetings.Meeting"}

    assert holding <= covered, holding - covered
