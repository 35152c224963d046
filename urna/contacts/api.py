"""API of consent: an entity's own system (a call centre, a kiosk) records a consent it
gathered, with its evidence; and a citizen's app withdraws one with an unsubscribe token.

Mounted by ``urna.api`` under /api/v1."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from urna.accounts.api_auth import STAFF_AUTH
from urna.accounts.permissions import entity_ids_for
from urna.contacts.consent import pairs
from urna.contacts.models import ConsentEvent
from urna.contacts.services import operator_consent_record, unsubscribe_apply
from urna.core.errors import InvalidInput, NotFound, PermissionDenied

router = Router(tags=["contactos y consentimiento"])
CONSENT_ACTION = "contribution.enter"


class ConsentIn(Schema):
    phone: str = ""
    email: str = ""
    action: str = "grant"  # grant | revoke
    purposes: list[str]
    channels: list[str]
    evidence: str


class ConsentOut(Schema):
    contact: int
    consents: list[str]


@router.post("/staff/contactos/consentimientos", auth=STAFF_AUTH, response=ConsentOut)
def consent_record(request: HttpRequest, payload: ConsentIn):
    """Record a consent gathered outside Urna (evidence required: the recording, the signed
    form's reference). Withdrawals use ``action=revoke``."""
    if entity_ids_for(request.user, CONSENT_ACTION) == set():
        raise PermissionDenied(_("No tiene permiso para esta acción."), code="forbidden")
    if payload.action not in ConsentEvent.Action.values:
        raise InvalidInput(_("La acción debe ser grant o revoke."), field="action")
    contact = operator_consent_record(
        by=request.user,
        action=payload.action,
        purposes=payload.purposes,
        channels=payload.channels,
        evidence=payload.evidence,
        phone=payload.phone,
        email=payload.email,
        via=ConsentEvent.Via.API,
    )
    return {"contact": contact.pk, "consents": [f"{p}:{c}" for p, c in pairs(contact.consents)]}


class UnsubscribeOut(Schema):
    channel: str
    purpose: str


@router.post("/contactos/baja/{token}", response=UnsubscribeOut)
def unsubscribe(request: HttpRequest, token: str):
    """Withdraw the consent an unsubscribe token names (the token is in every message)."""
    found = unsubscribe_apply(token)
    if found is None:
        raise NotFound(_("El enlace no es válido."))
    _contact, channel, purpose = found
    return {"channel": channel, "purpose": purpose}
