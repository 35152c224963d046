"""The personal-data registry: holders and the contact book registered by the apps above,
reached by the rights and the retention run without importing them."""

import pytest

from urna.contacts.selectors import contact_export, contacts_live
from urna.contacts.services import contact_erase
from urna.core import personal_data
from urna.core.personal_data import (
    PersonalDataHolder,
    address_forms,
    address_match,
    holders_erase,
    holders_export,
    mask,
    register_personal_data,
)
from urna.messaging.models import OutboundMessage


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for one test (the apps' holders come back after it)."""
    monkeypatch.setattr(personal_data, "PERSONAL_DATA_HOLDERS", {})
    return personal_data


def test_every_app_holding_copies_registers_a_holder_and_contacts_its_book():
    assert {"messages_sent", "messages_received", "queries", "contributions"} <= set(
        personal_data.PERSONAL_DATA_HOLDERS
    )
    book = personal_data.contact_book()
    assert (book.live, book.export, book.erase) == (contacts_live, contact_export, contact_erase)


def test_export_and_erase_go_through_every_holder_in_label_order(registry):
    calls = []

    def holder(label, *, erases):
        def export(contact, addresses):
            calls.append(("export", label, contact, addresses))
            return [{"label": label}]

        def erase(contact, addresses):
            calls.append(("erase", label, contact, addresses))
            return 2

        return PersonalDataHolder(label=label, export=export, erase=erase if erases else None)

    register_personal_data(holder("zeta", erases=True))
    register_personal_data(holder("alpha", erases=False))  # a public record: nothing to erase

    exported = holders_export("the-contact", ["+573001234567"])
    erased = holders_erase(None, ["+573001234567"])

    assert list(exported) == ["alpha", "zeta"]
    assert exported["zeta"] == [{"label": "zeta"}]
    assert erased == {"zeta": 2}
    assert [call[:3] for call in calls] == [
        ("export", "alpha", "the-contact"),
        ("export", "zeta", "the-contact"),
        ("erase", "zeta", None),
    ]


def test_registering_a_label_again_replaces_the_holder(registry):
    register_personal_data(PersonalDataHolder(label="x", export=lambda c, a: [1]))
    register_personal_data(PersonalDataHolder(label="x", export=lambda c, a: [2]))

    assert holders_export(None, []) == {"x": [2]}


def test_retention_asks_only_the_holders_that_expire(registry, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    seen = []
    register_personal_data(
        PersonalDataHolder(label="b", export=list, expire=lambda before: seen.append(before) or 3)
    )
    register_personal_data(PersonalDataHolder(label="a", export=list))

    assert personal_data.personal_data_expire() == {"b": 3}
    assert len(seen) == 1


def test_without_a_contact_book_the_account_rights_say_so(monkeypatch):
    monkeypatch.setattr(personal_data, "_contact_book", None)

    with pytest.raises(LookupError, match="ContactBook"):
        personal_data.contact_book()


def test_address_forms_are_those_providers_write():
    assert address_forms("+573001234567", None, "ana@example.org", "") == [
        "+573001234567",
        "573001234567",
        "whatsapp:+573001234567",
        "ana@example.org",
    ]


@pytest.mark.django_db
def test_address_match_compares_emails_without_case_and_matches_nothing_without_addresses():
    for to in ("Ana@Example.ORG", "573001234567", "+573009999999"):
        OutboundMessage.objects.create(channel="sms", to=to, body="x")

    addresses = address_forms("+573001234567", "ana@example.org")

    found = OutboundMessage.objects.filter(address_match("to", addresses))

    assert sorted(found.values_list("to", flat=True)) == ["573001234567", "Ana@Example.ORG"]
    assert not OutboundMessage.objects.filter(address_match("to", [])).exists()


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("+573001234567", "+57300•••4567"),
        ("ana.perez@example.org", "a•••@example.org"),
        ("12345", "•••"),
        ("", ""),
    ],
)
def test_mask(address, masked):
    assert mask(address) == masked
