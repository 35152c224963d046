"""Filing a query, from every channel: the web form, the API, SMS, USSD, WhatsApp, email, the
operator console and questions left inside a participation exercise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.contacts.services import ContactDetails, contact_from_details
from urna.core import ratelimit
from urna.core.errors import Conflict, InvalidInput, RateLimited
from urna.core.network import client_network
from urna.core.receipts import receipt_new
from urna.queries import terms
from urna.queries.models import TEXT_MAX, Query, QueryChannel, QueryEvent, QueryState, QueryType
from urna.queries.selectors import term_days_for
from urna.queries.services.common import (
    audit,
    clean_text,
    date_es,
    deliver,
    event_add,
    local_date,
    month_of,
    status_url,
)
from urna.queries.services.routing import route_proposal
from urna.queries.services.stats import stat_bump
from urna.territory.selectors import municipality_get

SUBMIT_RATE_PER_CONTACT = "20/3600"
SUBMIT_RATE_PER_USER = "20/3600"
# Every filing over the network, whatever contact it gives, is also limited per client network,
# with room for the many citizens behind one carrier NAT or community internet point.
SUBMIT_RATE_PER_CLIENT = "60/3600"
# Acknowledgements one address receives: whoever files may type any address, so an address that
# did not write in itself (as an SMS or WhatsApp sender does) gets only a few a day.
ACKNOWLEDGE_RATE_PER_ADDRESS = "3/86400"
# SMS, USSD and WhatsApp adapters reply inside the conversation themselves.
CONVERSATION_CHANNELS = frozenset({QueryChannel.SMS, QueryChannel.USSD, QueryChannel.WHATSAPP})


@dataclass(frozen=True)
class QuerySubmitResult:
    query: Query
    created: bool


def _rate_identities(
    *, contact: ContactDetails | None, user: Any, request: Any
) -> list[tuple[str, str]]:
    """(identity, rate) pairs a filing counts against: its contact or account, and its network
    (a filing over the network always counts there, whatever contact it types)."""
    found = []
    if contact is not None and not contact.empty:
        address = (contact.phone or contact.email or contact.handle).strip().lower()
        found.append((f"contact:{address}", SUBMIT_RATE_PER_CONTACT))
    elif getattr(user, "is_authenticated", False):
        found.append((f"user:{user.pk}", SUBMIT_RATE_PER_USER))
    if request is not None or not found:
        found.append((f"client:{client_network(request)}", SUBMIT_RATE_PER_CLIENT))
    return found


def _insert(*, type: str, channel: str, entity: Any, user: Any, now: Any, **fields: Any) -> Query:
    """The query row, with a fresh receipt (drawn again on the rare clash)."""
    term_days = term_days_for(type=type, entity=entity)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return Query.objects.create(
                    receipt=receipt_new("PQ"),
                    type=type,
                    channel=channel,
                    state=QueryState.NEW if entity else QueryState.TRIAGE,
                    entity=entity,
                    user=user if getattr(user, "is_authenticated", False) else None,
                    filed_at=now,
                    term_start=terms.receipt_date(now, entity=entity),
                    term_days=term_days,
                    due_date=terms.due_date(filed_at=now, business_days=term_days, entity=entity),
                    **fields,
                )
        except IntegrityError:
            key = fields.get("idempotency_key")
            if key and Query.objects.filter(idempotency_key=key).exists():
                raise
            continue  # a receipt clash: draw another code
    # Three clashes in a row of a 35-bit random code.
    raise Conflict(_("No se pudo generar el recibo; intente de nuevo."))


def _create(
    *,
    type: str,
    text: str,
    channel: str,
    entity: Any,
    contact: Any,
    municipality: Any,
    user: Any,
    entered_by: Any,
    idempotency_key: str | None,
    reply_provider: str,
    publication_consent: bool,
    extra: dict,
    label: str,
    request: Any,
) -> Query:
    now = timezone.now()
    query = _insert(
        type=type,
        channel=channel,
        entity=entity,
        user=user,
        now=now,
        text=text,
        reply_provider=reply_provider[:30],
        contact=contact,
        municipality=municipality,
        entered_by=entered_by,
        idempotency_key=idempotency_key,
        publication_consent=publication_consent,
        **extra,
    )
    event_add(query, QueryEvent.Kind.FILED, public=True, label=label, by=entered_by)
    scopes = [0]
    if entity is not None:
        event_add(query, QueryEvent.Kind.ROUTED, text=entity.name, public=True, label="system")
        scopes.append(entity.pk)
    stat_bump(scopes=scopes, month=month_of(local_date(now)), query=query, received=1)
    audit(
        query,
        "query.submit",
        by=entered_by or user,
        label=label,
        after={
            "state": query.state,
            "type": type,
            "channel": channel,
            "entity": entity and entity.pk,
        },
        request=request,
    )
    return query


def _acknowledge(query: Query) -> None:
    body = _(
        "Recibimos su %(type)s con el número %(receipt)s. La entidad debe responder a más tardar "
        "el %(due)s. Consulte el estado en %(url)s"
    ) % {
        "type": query.get_type_display().lower(),
        "receipt": query.receipt,
        "due": date_es(query.due_date),
        "url": status_url(query),
    }
    deliver(
        query,
        body=body,
        subject=_("Recibimos su solicitud %(r)s") % {"r": query.receipt},
        rate_per_address=ACKNOWLEDGE_RATE_PER_ADDRESS,
    )


def _validate_content(*, type: str, text: str, channel: str) -> str:
    """The cleaned text, or the InvalidInput naming the field at fault."""
    if type not in QueryType.values:
        raise InvalidInput(_("Tipo de solicitud no válido."), field="type")
    if channel not in QueryChannel.values:
        raise InvalidInput(_("Canal no válido."), field="channel")
    return clean_text(text, field="text")


def _validate_place(*, municipality_code: str | None, entity: Any) -> Any:
    """The municipality named, or the InvalidInput naming the field at fault."""
    municipality = None
    if municipality_code:
        municipality = municipality_get(municipality_code.strip())
        if municipality is None:
            raise InvalidInput(_("El municipio no existe."), field="municipality")
    if entity is not None and not entity.active:
        raise InvalidInput(_("La entidad no está activa."), field="entity")
    return municipality


def _rate_limit(*, contact: ContactDetails | None, user: Any, request: Any) -> None:
    for identity, rate in _rate_identities(contact=contact, user=user, request=request):
        if not ratelimit.hit("queries.submit", identity, rate):
            raise RateLimited(_("Demasiadas solicitudes seguidas. Intente de nuevo más tarde."))


def _already_filed(idempotency_key: str | None) -> QuerySubmitResult | None:
    existing = Query.objects.filter(idempotency_key=idempotency_key).first()
    if idempotency_key and existing is not None:
        return QuerySubmitResult(query=existing, created=False)
    return None


def query_submit(
    *,
    type: str,
    text: str,
    channel: str,
    exercise: Any = None,
    municipality_code: str | None = None,
    contact: ContactDetails | None = None,
    user: Any = None,
    idempotency_key: str | None = None,
    entity: Any = None,
    entered_by: Any = None,
    request: Any = None,
    reply_provider: str = "",
    publication_consent: bool = False,
) -> QuerySubmitResult:
    """File a citizen's query from any channel; returns the query and whether it was created
    (False when ``idempotency_key`` was already used)."""
    text = _validate_content(type=type, text=text, channel=channel)
    if idempotency_key is not None:
        idempotency_key = idempotency_key.strip()[:80] or None
    if idempotency_key and (done := _already_filed(idempotency_key)) is not None:
        return done
    municipality = _validate_place(municipality_code=municipality_code, entity=entity)
    _rate_limit(contact=contact, user=user, request=request)
    if entity is None:
        entity = route_proposal(text=text, type=type, municipality=municipality, exercise=exercise)
    try:
        with transaction.atomic():
            query = _create(
                type=type,
                text=text,
                channel=channel,
                entity=entity,
                contact=contact_from_details(contact, channel=channel, activity="query"),
                municipality=municipality,
                user=user,
                entered_by=entered_by,
                idempotency_key=idempotency_key,
                reply_provider=reply_provider,
                publication_consent=publication_consent,
                extra={"exercise": exercise} if exercise is not None else {},
                label=f"citizen:{channel}" if entered_by is None else "",
                request=request,
            )
            if channel not in CONVERSATION_CHANNELS:
                _acknowledge(query)
    except IntegrityError:
        if (done := _already_filed(idempotency_key)) is not None:
            return done
        raise
    return QuerySubmitResult(query=query, created=True)


def query_from_contribution(*, contribution: Any) -> Query:
    """Hand a question left inside an exercise to the queries workflow, routed to the exercise's
    owner entity. Called by ``contribution_submit`` inside its transaction."""
    exercise = contribution.exercise
    existing = Query.objects.filter(contribution=contribution).first()
    if existing is not None:
        return existing
    channel = contribution.channel
    if channel not in QueryChannel.values:
        channel = QueryChannel.EXERCISE
    return _create(
        type=QueryType.PETICION,
        text=(contribution.text or "").strip()[:TEXT_MAX],
        channel=channel,
        entity=exercise.owner,
        contact=contribution.contact,
        municipality=contribution.municipality,
        user=None,
        entered_by=None,
        idempotency_key=None,
        reply_provider="",
        publication_consent=False,
        extra={"exercise": exercise, "contribution": contribution},
        label=f"citizen:{channel}",
        request=None,
    )
