"""The one place that says who may receive what: consent by purpose and channel.

``Contact.consents`` holds one bit per (purpose, channel) pair. Every audience, single message and
batch of a dispatch is filtered through ``consent_q`` / ``consented_ids`` (the outbox calls the
latter through the gate this app registers with ``urna.messaging``), so there is no second rule to
keep in step: a message for a purpose is queued and sent only to a live contact (not erased, not
merged) that holds the address for the channel and the bit for the pair.
"""

from collections.abc import Collection, Iterable

from django.db.models import F, Q
from django.db.models.lookups import Exact

from urna.contacts.models import ConsentChannel, Contact, Purpose

PURPOSES: tuple[str, ...] = tuple(Purpose.values)
CHANNELS: tuple[str, ...] = tuple(ConsentChannel.values)
ALL_BITS = (1 << (len(PURPOSES) * len(CHANNELS))) - 1
# The address a channel needs on the contact.
ADDRESS_FIELD = {
    ConsentChannel.SMS: "phone",
    ConsentChannel.WHATSAPP: "phone",
    ConsentChannel.EMAIL: "email",
}


def bit(purpose: str, channel: str) -> int:
    """The bit of one (purpose, channel) pair; ValueError for an unknown one."""
    return 1 << (PURPOSES.index(purpose) * len(CHANNELS) + CHANNELS.index(channel))


def bits(purposes: Iterable[str], channels: Iterable[str]) -> int:
    channels = list(channels)
    value = 0
    for purpose in purposes:
        for channel in channels:
            value |= bit(purpose, channel)
    return value


def pairs(value: int) -> list[tuple[str, str]]:
    """The (purpose, channel) pairs set in ``value``."""
    return [(p, c) for p in PURPOSES for c in CHANNELS if value & bit(p, c)]


def consent_condition(channel: str, purpose: str) -> Q:
    """The contacts that may receive a message for ``purpose`` by ``channel``, as a condition
    on Contact: ``Contact.objects.filter(consent_condition(...))``, or the ``filter`` of a
    ``Count`` (a segment counts every channel in one scan)."""
    field = ADDRESS_FIELD[channel]
    mask = bit(purpose, channel)
    return (
        Q(erased_at=None, merged_into=None, **{f"{field}__isnull": False})
        & ~Q(**{field: ""})
        & Q(Exact(F("consents").bitand(mask), mask))
    )


def consented(queryset, channel: str, purpose: str):
    """``queryset`` (of Contact) limited to who consented to ``purpose`` by ``channel``."""
    return queryset.filter(consent_condition(channel, purpose))


def consented_ids(contact_ids: Collection[int], channel: str, purpose: str) -> set[int]:
    """The ids among ``contact_ids`` that may receive ``purpose`` by ``channel`` now: the gate
    the outbox asks for every message and every batch it sends."""
    if not contact_ids or channel not in CHANNELS or purpose not in PURPOSES:
        return set()
    allowed: set[int] = set()
    ids = list(contact_ids)
    for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
        chunk = ids[start : start + 900]
        allowed.update(
            consented(Contact.objects.filter(pk__in=chunk), channel, purpose).values_list(
                "pk", flat=True
            )
        )
    return allowed


def has_consent(contact: Contact, channel: str, purpose: str) -> bool:
    return bool(consented_ids([contact.pk], channel, purpose)) if contact.pk else False
