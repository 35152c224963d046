"""Consent by purpose and channel: granting, withdrawing and opting out, each act recorded as a
``ConsentEvent`` with its evidence and in the audit log."""

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.audit.services import audit_record
from urna.contacts.consent import ALL_BITS
from urna.contacts.consent import CHANNELS as CONSENT_CHANNELS
from urna.contacts.consent import bits as consent_bits
from urna.contacts.consent import pairs as consent_pairs
from urna.contacts.models import (
    ConsentEvent,
    Contact,
    Purpose,
)
from urna.core.errors import InvalidInput

CONSENT_VERSION = "2026-01"


def consent_grant(
    *,
    contact: Contact,
    scope: int,
    via: str,
    channel: str = "",
    evidence: str = "",
    version: str = CONSENT_VERSION,
    actor: Any = None,
    actor_label: str = "",
) -> Contact:
    """Record that the citizen agreed to the (purpose, channel) pairs in ``scope`` (bits of
    ``urna.contacts.consent``): the bits are set in one UPDATE, the act is kept as a
    ``ConsentEvent`` with its evidence and in the audit log."""
    return _consent_change(
        contact=contact,
        scope=scope,
        action=ConsentEvent.Action.GRANT,
        via=via,
        channel=channel,
        evidence=evidence,
        version=version,
        actor=actor,
        actor_label=actor_label,
    )


def consent_revoke(
    *,
    contact: Contact,
    scope: int = ALL_BITS,
    via: str,
    channel: str = "",
    evidence: str = "",
    actor: Any = None,
    actor_label: str = "",
) -> Contact:
    """Withdraw consent for the pairs in ``scope`` (all of them by default). Takes effect for
    messages already queued too: the outbox asks the gate again for every batch it sends."""
    return _consent_change(
        contact=contact,
        scope=scope,
        action=ConsentEvent.Action.REVOKE,
        via=via,
        channel=channel,
        evidence=evidence,
        version="",
        actor=actor,
        actor_label=actor_label,
    )


def _consent_change(
    *,
    contact: Contact,
    scope: int,
    action: str,
    via: str,
    channel: str,
    evidence: str,
    version: str,
    actor: Any,
    actor_label: str,
) -> Contact:
    if not scope or scope & ~ALL_BITS:
        raise InvalidInput(_("Elija al menos un propósito y un canal."), field="scope")
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label or (f"citizen:{channel}" if user is None else "")
    with transaction.atomic():
        value = F("consents").bitor(scope)
        if action == ConsentEvent.Action.REVOKE:
            value = F("consents").bitand(ALL_BITS & ~scope)
        Contact.objects.filter(pk=contact.pk).update(consents=value, updated_at=timezone.now())
        ConsentEvent.objects.create(
            contact=contact,
            action=action,
            scope=scope,
            via=via,
            channel=channel[:16],
            text_version=version,
            evidence=evidence[:300],
            actor=user,
        )
        audit_record(
            action=f"contact.consent_{action}",
            obj=contact,
            actor=user,
            actor_label=label,
            after={"pairs": [f"{p}:{c}" for p, c in consent_pairs(scope)], "via": via},
        )
    contact.refresh_from_db(fields=["consents", "updated_at"])
    return contact


def contact_opt_out(
    *, contact: Contact, channel: str = "", via: str = "", evidence: str = "", actor: Any = None
) -> Contact:
    """Stop campaigns and surveys to this contact: by the channel the word came by (SALIR by SMS
    stops SMS, STOP on WhatsApp stops WhatsApp), on every channel when asked on the web or from
    an operator. Answers to the citizen's own requests still go out."""
    channels = [channel] if channel in CONSENT_CHANNELS else list(CONSENT_CHANNELS)
    scope = consent_bits([Purpose.CAMPAIGNS, Purpose.SURVEYS], channels)
    if not contact.consents & scope:
        return contact
    default_via = ConsentEvent.Via.KEYWORD if channel in CONSENT_CHANNELS else ConsentEvent.Via.WEB
    return consent_revoke(
        contact=contact,
        scope=scope,
        via=via or default_via,
        channel=channel or "web",
        evidence=evidence,
        actor=actor,
    )
