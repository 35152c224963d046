import pytest
from django.core.management import call_command
from django.utils import timezone

from urna.channels.models import InboundMessage
from urna.channels.selectors import channel_traffic
from urna.channels.services import inbound_store, sweep_schedule
from urna.channels.tests.base import PHONE
from urna.jobs.models import Job

pytestmark = pytest.mark.django_db


def test_reprocess_command_processes_rows_left_received(world):
    inbound_store(provider="twilio", provider_message_id="SMx", sender=PHONE, body="AGRO Buen plan")
    inbound_store(provider="africastalking", provider_message_id="ATx", sender=PHONE, body="AYUDA")
    call_command("channels_reprocess")
    assert list(InboundMessage.objects.order_by("id").values_list("status", "result")) == [
        ("processed", "contribution"),
        ("processed", "help"),
    ]


def test_sweep_is_seeded_once(db):
    sweep_schedule()
    sweep_schedule()
    assert Job.objects.filter(name="channels.sweep", status="queued").count() == 1


def test_channel_traffic_counts_per_channel_and_day(world):
    inbound_store(provider="twilio", provider_message_id="SM1", sender=PHONE, body="AGRO Buen plan")
    inbound_store(
        provider="twilio",
        provider_message_id="SM2",
        sender=PHONE,
        body="PREGUNTA Cuando abren las becas rurales?",
    )
    inbound_store(provider="ussd", provider_message_id="u1", sender=PHONE, status="processed")
    call_command("channels_reprocess")
    today = timezone.localdate()
    rows = channel_traffic(start=today, end=today)
    assert rows == [
        {
            "day": today,
            "channel": "sms",
            "inbound": 2,
            "outbound": 2,
            "contributions": 1,
            "queries": 1,
        },
        {
            "day": today,
            "channel": "ussd",
            "inbound": 1,
            "outbound": 0,
            "contributions": 0,
            "queries": 0,
        },
    ]
