"""The messages sent to a citizen, for their rights of access and suppression and for retention:
found by the contact's id or by any form of its address, without the contacts app."""

from datetime import timedelta

import pytest
from django.utils import timezone

from urna.core import personal_data
from urna.core.personal_data import PERSONAL_DATA_HOLDERS, address_forms
from urna.messaging.models import OutboundMessage
from urna.messaging.personal_data import outbound_erase, outbound_expire, outbound_export
from urna.messaging.tests.conftest import PHONE

pytestmark = pytest.mark.django_db


def sent(to=PHONE, *, status="sent", days_ago=0, **fields):
    message = OutboundMessage.objects.create(
        channel="sms", to=to, body=f"Mensaje a {to}", subject="Asunto", status=status, **fields
    )
    OutboundMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return message


def test_messaging_registers_its_holder():
    holder = PERSONAL_DATA_HOLDERS["messages_sent"]

    assert (holder.export, holder.erase, holder.expire) == (
        outbound_export,
        outbound_erase,
        outbound_expire,
    )


def test_export_finds_the_messages_of_the_contact_and_of_every_form_of_its_address(contact):
    by_contact = sent(to="", contact=contact, days_ago=3)
    whatsapp = sent(to=f"whatsapp:{PHONE}", days_ago=2)
    by_email = sent(to="Ana@Example.org", days_ago=1)
    sent(to="+573009999999")  # someone else

    rows = outbound_export(contact, address_forms(PHONE, "ana@example.org"))

    assert [r["text"] for r in rows] == [by_contact.body, whatsapp.body, by_email.body]
    assert set(rows[0]) == {"created_at", "channel", "kind", "subject", "text", "status"}


def test_export_by_addresses_alone_for_a_citizen_without_a_contact():
    mine, other = sent(), sent(to="+573009999999")

    rows = outbound_export(None, address_forms(PHONE))

    assert [r["text"] for r in rows] == [mine.body]
    assert other.body not in str(rows)


def test_erase_empties_the_address_and_text_and_stops_what_is_still_queued(contact):
    delivered = sent(status="delivered")
    waiting = sent(status="queued", contact=contact, to="")
    other = sent(to="+573009999999", status="queued")

    assert outbound_erase(contact, address_forms(PHONE)) == 2

    delivered.refresh_from_db()
    waiting.refresh_from_db()
    assert (delivered.to, delivered.subject, delivered.body, delivered.status) == (
        "",
        "",
        "",
        "delivered",  # the delivery figures stay right
    )
    assert (waiting.body, waiting.status) == ("", "suppressed")
    other.refresh_from_db()
    assert (other.to, other.status) == ("+573009999999", "queued")


def test_erase_with_nothing_to_match_touches_nothing():
    sent()

    assert outbound_erase(None, []) == 0
    assert OutboundMessage.objects.get().to == PHONE


def test_expiry_empties_old_messages_that_are_done_and_keeps_the_rest(monkeypatch):
    monkeypatch.setattr(personal_data, "RETENTION_CHUNK", 2)
    old = [sent(status=s, days_ago=400) for s in ("sent", "delivered", "failed", "suppressed")]
    old_queued = sent(status="queued", days_ago=400)
    recent = sent(status="sent", days_ago=10)

    assert outbound_expire(timezone.now() - timedelta(days=365)) == 4
    assert outbound_expire(timezone.now() - timedelta(days=365)) == 0  # already empty

    for message in old:
        message.refresh_from_db()
        assert (message.to, message.subject, message.body) == ("", "", "")
    for kept in (old_queued, recent):
        kept.refresh_from_db()
        assert kept.to == PHONE and kept.body
