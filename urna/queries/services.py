"""Writes of the queries workflow: intake from every channel, routing, the managers' actions.

Every function runs in a transaction, checks permission through ``urna.accounts.permissions``,
records the step in the query's history and in the audit log, updates the SLA counters and
queues the message to the citizen (through the channel they used).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts import permissions
from urna.audit.services import audit_record, client_ip
from urna.contacts.services import ContactDetails, contact_from_details
from urna.core import ratelimit
from urna.core.errors import Conflict, InvalidInput, NotFound, RateLimited
from urna.core.network import client_network
from urna.core.privacy import mask_personal_data
from urna.core.receipts import receipt_new
from urna.queries import terms
from urna.queries.models import (
    CONFIGURABLE_TYPES,
    MAX_EXTENSION_DAYS,
    TERM_DAYS,
    AnswerTemplate,
    EntityTerm,
    Query,
    QueryAttachment,
    QueryChannel,
    QueryDaysStat,
    QueryEvent,
    QueryStat,
    QueryState,
    QueryTransfer,
    QueryType,
    RoutingRule,
)
from urna.queries.text import matches_any, normalise

TEXT_MIN = 10
TEXT_MAX = 5000
TRANSFER_DAYS = 5  # Ley 1755 art. 21
SUBMIT_RATE_PER_CONTACT = "20/3600"
SUBMIT_RATE_PER_USER = "20/3600"
# Every filing over the network, whatever contact it gives, is also limited per client network,
# with room for the many citizens behind one carrier NAT or community internet point.
SUBMIT_RATE_PER_CLIENT = "60/3600"
# Acknowledgements one address receives: whoever files may type any address, so an address that
# did not write in itself (as an SMS or WhatsApp sender does) gets only a few a day.
ACKNOWLEDGE_RATE_PER_ADDRESS = "3/86400"
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
SMS_MAX = 450


@dataclass(frozen=True)
class QuerySubmitResult:
    query: Query
    created: bool


# --- helpers ------------------------------------------------------------------------------------


def term_days_for(*, type: str, entity: Any = None) -> int:
    """The term of a query type at an entity (its own term for complaints, claims, suggestions
    and reports when it configured one)."""
    if entity is not None and type in CONFIGURABLE_TYPES:
        own = (
            EntityTerm.objects.filter(entity=entity, type=type)
            .values_list("business_days", flat=True)
            .first()
        )
        if own:
            return own
    return TERM_DAYS[type]


def _month(day: date) -> date:
    return day.replace(day=1)


def _local_date(moment: datetime) -> date:
    return timezone.localdate(moment)


def _stat_bump(*, scopes: list[int], month: date, query: Query, **deltas: int) -> None:
    """Add ``deltas`` to the counters of each scope for "all", the query's type and channel."""
    updates = {name: F(name) + amount for name, amount in deltas.items()}
    for scope in scopes:
        for dim, value in (("all", ""), ("type", query.type), ("channel", query.channel)):
            key = {"scope": scope, "month": month, "dim": dim, "value": value}
            if QueryStat.objects.filter(**key).update(**updates):
                continue
            try:
                with transaction.atomic():
                    QueryStat.objects.create(**key, **deltas)
            except IntegrityError:  # created concurrently
                QueryStat.objects.filter(**key).update(**updates)


def _days_bump(*, scopes: list[int], month: date, query: Query, days: int) -> None:
    for scope in scopes:
        for dim, value in (("all", ""), ("type", query.type), ("channel", query.channel)):
            key = {"scope": scope, "month": month, "dim": dim, "value": value, "days": days}
            if QueryDaysStat.objects.filter(**key).update(count=F("count") + 1):
                continue
            try:
                with transaction.atomic():
                    QueryDaysStat.objects.create(**key, count=1)
            except IntegrityError:
                QueryDaysStat.objects.filter(**key).update(count=F("count") + 1)


def _event(
    query: Query, kind: str, *, text: str = "", public: bool = False, by: Any = None, label=""
) -> QueryEvent:
    actor = by if getattr(by, "is_authenticated", False) else None
    return QueryEvent.objects.create(
        query=query,
        kind=kind,
        text=text,
        public=public,
        actor=actor,
        actor_label=label or (actor.get_username() if actor else "system"),
    )


def _audit(
    query: Query,
    action: str,
    *,
    by: Any = None,
    label: str = "",
    before: dict | None = None,
    after: dict | None = None,
    request: Any = None,
) -> None:
    audit_record(
        action=action,
        obj=query,
        actor=by,
        actor_label=label,
        before=before,
        after=after,
        entity=query.entity,
        ip=client_ip(request),
    )


def status_url(query: Query) -> str:
    return f"{settings.PUBLIC_BASE_URL}/r/{query.receipt}"


def _deliver(
    query: Query,
    *,
    body: str,
    subject: str,
    sms_body: str | None = None,
    rate_per_address: str | None = None,
) -> Any:
    """Send a message to the citizen through the channel they used; None when they left no
    contact (they read it on the status page), or when the address had its ``rate_per_address``
    of such messages."""
    from urna.messaging.services import message_queue

    contact = query.contact
    if contact is None or contact.erased_at:
        return None
    channel, to, provider = "", "", ""
    if query.channel in (QueryChannel.SMS, QueryChannel.USSD) and contact.phone:
        channel, to, provider = "sms", contact.phone, query.reply_provider
    elif query.channel == QueryChannel.WHATSAPP and contact.phone:
        channel, to, provider = "whatsapp", contact.phone, query.reply_provider
    elif contact.email:
        channel, to = "email", contact.email
    elif contact.phone:
        channel, to = "sms", contact.phone
    if not channel:
        return None
    if rate_per_address and not ratelimit.hit("queries.deliver", to.lower(), rate_per_address):
        return None
    text = body if channel == "email" else (sms_body or body)
    if channel != "email" and len(text) > SMS_MAX:
        link = " " + _("Texto completo: %(url)s") % {"url": status_url(query)}
        text = text[: SMS_MAX - len(link) - 1].rstrip() + "…" + link
    return message_queue(
        channel=channel,
        to=to,
        body=text,
        subject=subject,
        contact=contact,
        provider=provider,
        related=query,
    )


def _locked(query: Query) -> Query:
    try:
        # Lock only the query's own row: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer join to the contact.
        return (
            Query.objects.select_for_update(of=("self",))
            .select_related("entity", "contact")
            .get(pk=query.pk)
        )
    except Query.DoesNotExist as exc:
        raise NotFound(_("La consulta no existe.")) from exc


def _require_state(query: Query, allowed: tuple, message: str) -> None:
    if query.state not in allowed:
        raise Conflict(message, code="invalid_state")


def _clean_text(text: str, *, field: str, minimum: int = TEXT_MIN, maximum: int = TEXT_MAX) -> str:
    text = (text or "").strip()
    if len(text) < minimum:
        raise InvalidInput(
            _("El texto es demasiado corto (mínimo %(n)s caracteres).") % {"n": minimum},
            field=field,
        )
    if len(text) > maximum:
        raise InvalidInput(
            _("El texto es demasiado largo (máximo %(n)s caracteres).") % {"n": maximum},
            field=field,
        )
    return text


def _date_es(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- routing ------------------------------------------------------------------------------------


def route_proposal(*, text: str, type: str, municipality: Any = None, exercise: Any = None) -> Any:
    """The entity the routing rules propose for a query, or None (the triage queue)."""
    if exercise is not None:
        return exercise.owner
    normalised = normalise(text)
    rules = RoutingRule.objects.filter(active=True, entity__active=True).select_related("entity")
    for rule in rules:
        if not (rule.keywords or rule.query_type or rule.department_id or rule.municipality_id):
            continue
        if rule.query_type and rule.query_type != type:
            continue
        if rule.municipality_id and (
            municipality is None or municipality.code != rule.municipality_id
        ):
            continue
        if rule.department_id and (
            municipality is None or municipality.department_id != rule.department_id
        ):
            continue
        if rule.keywords and not matches_any(normalised, rule.keywords.split(",")):
            continue
        return rule.entity
    return None


# --- intake -------------------------------------------------------------------------------------


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
    for _attempt in range(3):
        try:
            with transaction.atomic():
                query = Query.objects.create(
                    receipt=receipt_new("PQ"),
                    type=type,
                    text=text,
                    channel=channel,
                    reply_provider=reply_provider[:30],
                    state=QueryState.NEW if entity else QueryState.TRIAGE,
                    entity=entity,
                    contact=contact,
                    municipality=municipality,
                    user=user if getattr(user, "is_authenticated", False) else None,
                    entered_by=entered_by,
                    idempotency_key=idempotency_key,
                    publication_consent=publication_consent,
                    filed_at=now,
                    term_start=terms.receipt_date(now, entity=entity),
                    term_days=term_days_for(type=type, entity=entity),
                    due_date=terms.due_date(
                        filed_at=now,
                        business_days=term_days_for(type=type, entity=entity),
                        entity=entity,
                    ),
                    **extra,
                )
            break
        except IntegrityError:
            if idempotency_key and Query.objects.filter(idempotency_key=idempotency_key).exists():
                raise
            continue  # a receipt clash: draw another code
    else:  # pragma: no cover - three clashes in a row of a 35-bit random code
        raise Conflict(_("No se pudo generar el recibo; intente de nuevo."))
    _event(query, QueryEvent.Kind.FILED, public=True, label=label)
    scopes = [0]
    if entity is not None:
        _event(query, QueryEvent.Kind.ROUTED, text=entity.name, public=True, label="system")
        scopes.append(entity.pk)
    _stat_bump(scopes=scopes, month=_month(_local_date(now)), query=query, received=1)
    _audit(
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
        "due": _date_es(query.due_date),
        "url": status_url(query),
    }
    _deliver(
        query,
        body=body,
        subject=_("Recibimos su solicitud %(r)s") % {"r": query.receipt},
        rate_per_address=ACKNOWLEDGE_RATE_PER_ADDRESS,
    )


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
    from urna.territory.selectors import municipality_get

    if type not in QueryType.values:
        raise InvalidInput(_("Tipo de solicitud no válido."), field="type")
    if channel not in QueryChannel.values:
        raise InvalidInput(_("Canal no válido."), field="channel")
    text = _clean_text(text, field="text")
    if idempotency_key is not None:
        idempotency_key = idempotency_key.strip()[:80] or None
    if idempotency_key:
        existing = Query.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return QuerySubmitResult(query=existing, created=False)
    municipality = None
    if municipality_code:
        municipality = municipality_get(municipality_code.strip())
        if municipality is None:
            raise InvalidInput(_("El municipio no existe."), field="municipality")
    if entity is not None and not entity.active:
        raise InvalidInput(_("La entidad no está activa."), field="entity")
    for identity, rate in _rate_identities(contact=contact, user=user, request=request):
        if not ratelimit.hit("queries.submit", identity, rate):
            raise RateLimited(_("Demasiadas solicitudes seguidas. Intente de nuevo más tarde."))
    if entity is None:
        entity = route_proposal(text=text, type=type, municipality=municipality, exercise=exercise)
    extra = {"exercise": exercise} if exercise is not None else {}
    label = f"citizen:{channel}" if entered_by is None else ""
    try:
        with transaction.atomic():
            contact_obj = contact_from_details(contact, channel=channel)
            query = _create(
                type=type,
                text=text,
                channel=channel,
                entity=entity,
                contact=contact_obj,
                municipality=municipality,
                user=user,
                entered_by=entered_by,
                idempotency_key=idempotency_key,
                reply_provider=reply_provider,
                publication_consent=publication_consent,
                extra=extra,
                label=label,
                request=request,
            )
            # SMS, USSD and WhatsApp adapters reply inside the conversation themselves.
            if channel not in (QueryChannel.SMS, QueryChannel.USSD, QueryChannel.WHATSAPP):
                _acknowledge(query)
    except IntegrityError:
        existing = Query.objects.filter(idempotency_key=idempotency_key).first()
        if idempotency_key and existing is not None:
            return QuerySubmitResult(query=existing, created=False)
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


# --- the platform team's triage ----------------------------------------------------------------


@transaction.atomic
def query_route(*, query: Query, entity: Any, by: Any, request: Any = None) -> Query:
    """Send a query from the triage queue (or back from one entity to another, by the platform
    team) to the responsible entity. The term keeps running from the original receipt."""
    permissions.require(by, "query.triage", query)
    query = _locked(query)
    _require_state(
        query,
        (QueryState.TRIAGE, QueryState.NEW),
        _("Solo se enrutan consultas en clasificación o recién recibidas."),
    )
    if entity is None or not entity.active:
        raise InvalidInput(_("Elija una entidad activa."), field="entity")
    if entity.pk == query.entity_id:
        raise InvalidInput(_("La consulta ya está en esa entidad."), field="entity")
    before = {"state": query.state, "entity": query.entity_id}
    was_triage = query.state == QueryState.TRIAGE
    calendar = terms.Calendar(entity)
    query.entity = entity
    query.state = QueryState.NEW
    query.assigned_to = None
    query.term_days = term_days_for(type=query.type, entity=entity)
    query.due_date = calendar.add_business_days(query.term_start, query.term_days)
    query.save(
        update_fields=["entity", "state", "assigned_to", "term_days", "due_date", "updated_at"]
    )
    _event(query, QueryEvent.Kind.ROUTED, text=entity.name, public=True, by=by)
    if was_triage:
        _stat_bump(scopes=[entity.pk], month=_month(terms.local_today()), query=query, received=1)
    _audit(
        query,
        "query.route",
        by=by,
        before=before,
        after={"state": query.state, "entity": entity.pk},
        request=request,
    )
    return query


# --- the manager's actions ----------------------------------------------------------------------


@transaction.atomic
def query_assign(*, query: Query, to_user: Any, by: Any, request: Any = None) -> Query:
    """Assign (or reassign, inside the entity) a query to a response manager."""
    permissions.require(by, "query.assign", query)
    query = _locked(query)
    _require_state(
        query,
        (QueryState.NEW, QueryState.ASSIGNED, QueryState.AWAITING_CITIZEN),
        _("Esta consulta ya no se puede asignar."),
    )
    if to_user is None or not to_user.is_active:
        raise InvalidInput(_("Elija un gestor activo."), field="assigned_to")
    from urna.accounts.models import Membership, Role

    if not Membership.objects.filter(
        user=to_user, entity_id=query.entity_id, role__in=[Role.MANAGER, Role.ADMIN]
    ).exists():
        raise InvalidInput(
            _("La persona elegida no es gestora de respuesta de esta entidad."), field="assigned_to"
        )
    before = {"state": query.state, "assigned_to": query.assigned_to_id}
    query.assigned_to = to_user
    if query.state == QueryState.NEW:
        query.state = QueryState.ASSIGNED
    query.save(update_fields=["assigned_to", "state", "updated_at"])
    _event(query, QueryEvent.Kind.ASSIGNED, text=to_user.get_username(), by=by)
    _audit(
        query,
        "query.assign",
        by=by,
        before=before,
        after={"state": query.state, "assigned_to": to_user.pk},
        request=request,
    )
    return query


@transaction.atomic
def query_note_add(*, query: Query, text: str, by: Any, request: Any = None) -> QueryEvent:
    """An internal note: seen by the entity's staff, never by the citizen."""
    permissions.require(by, "query.note", query)
    text = _clean_text(text, field="text", minimum=2)
    event = _event(query, QueryEvent.Kind.NOTE, text=text, by=by)
    _audit(query, "query.note", by=by, after={"event": event.pk}, request=request)
    return event


@transaction.atomic
def query_attachment_add(
    *, query: Query, file: Any, by: Any, public: bool = False, request: Any = None
) -> QueryAttachment:
    permissions.require(by, "query.note", query)
    if file is None:
        raise InvalidInput(_("Elija un archivo."), field="file")
    size = getattr(file, "size", 0) or 0
    if size > ATTACHMENT_MAX_BYTES:
        raise InvalidInput(_("El archivo supera los 10 MB."), field="file")
    if size == 0:
        raise InvalidInput(_("El archivo está vacío."), field="file")
    name = (getattr(file, "name", "") or "adjunto").rsplit("/", 1)[-1][:200]
    attachment = QueryAttachment.objects.create(
        query=query, file=file, name=name, size=size, public=public, uploaded_by=by
    )
    _event(query, QueryEvent.Kind.ATTACHMENT, text=name, public=public, by=by)
    _audit(
        query,
        "query.attachment",
        by=by,
        after={"attachment": attachment.pk, "public": public},
        request=request,
    )
    return attachment


@transaction.atomic
def query_request_completion(*, query: Query, text: str, by: Any, request: Any = None) -> Query:
    """Ask the citizen to complete an incomplete request (Ley 1755 art. 17): the term is
    suspended until they answer, and then starts again in full."""
    permissions.require(by, "query.request_completion", query)
    query = _locked(query)
    _require_state(
        query,
        (QueryState.NEW, QueryState.ASSIGNED),
        _("Solo se puede pedir que completen una consulta en trámite."),
    )
    text = _clean_text(text, field="text")
    before = {"state": query.state, "due_date": query.due_date.isoformat()}
    query.state = QueryState.AWAITING_CITIZEN
    query.suspended_at = timezone.now()
    query.completion_request = text
    query.save(update_fields=["state", "suspended_at", "completion_request", "updated_at"])
    _event(query, QueryEvent.Kind.COMPLETION_REQUESTED, text=text, public=True, by=by)
    _audit(
        query,
        "query.request_completion",
        by=by,
        before=before,
        after={"state": query.state},
        request=request,
    )
    _deliver(
        query,
        subject=_("Complete su solicitud %(r)s") % {"r": query.receipt},
        body=_(
            "Para responder su solicitud %(receipt)s necesitamos que la complete: %(text)s\n"
            "Puede hacerlo en %(url)s. El plazo de respuesta se reanuda cuando la complete."
        )
        % {"receipt": query.receipt, "text": text, "url": status_url(query)},
    )
    return query


@transaction.atomic
def query_complete(
    *, query: Query, text: str, label: str = "citizen:web", request: Any = None
) -> Query:
    """The citizen's completion of a suspended query: the full term starts again from the
    (business) day it arrives."""
    query = _locked(query)
    _require_state(
        query,
        (QueryState.AWAITING_CITIZEN,),
        _("Esta solicitud no está esperando información suya."),
    )
    text = _clean_text(text, field="text", minimum=2)
    now = timezone.now()
    calendar = terms.Calendar(query.entity_id)
    before = {"state": query.state, "due_date": query.due_date.isoformat()}
    query.state = QueryState.ASSIGNED if query.assigned_to_id else QueryState.NEW
    query.suspended_at = None
    query.term_start = calendar.receipt_date(now)
    query.due_date = terms.due_date(
        filed_at=now, business_days=query.term_days, entity=query.entity_id
    )
    query.extended_at = None
    query.extension_reason = ""
    query.save(
        update_fields=[
            "state",
            "suspended_at",
            "term_start",
            "due_date",
            "extended_at",
            "extension_reason",
            "updated_at",
        ]
    )
    _event(query, QueryEvent.Kind.COMPLETED, text=text, public=True, label=label)
    _audit(
        query,
        "query.complete",
        label=label,
        before=before,
        after={"state": query.state, "due_date": query.due_date.isoformat()},
        request=request,
    )
    return query


def extension_limit(query: Query) -> date:
    """The latest date an extension may set (Ley 1755 art. 14 parágrafo: twice the term;
    Ley 1581: 5 or 8 more business days)."""
    return terms.add_business_days(
        query.term_start, query.term_days + MAX_EXTENSION_DAYS[query.type], entity=query.entity_id
    )


@transaction.atomic
def query_extend(
    *, query: Query, new_due_date: date, reason: str, by: Any, request: Any = None
) -> Query:
    """Extend the term once, before it expires, with a reason; the citizen is told."""
    permissions.require(by, "query.extend", query)
    query = _locked(query)
    _require_state(
        query,
        (QueryState.NEW, QueryState.ASSIGNED),
        _("Solo se puede prorrogar una consulta en trámite."),
    )
    if query.extended_at is not None:
        raise Conflict(
            _("El plazo de esta consulta ya fue prorrogado una vez."), code="already_extended"
        )
    today = terms.local_today()
    if today > query.due_date:
        raise Conflict(_("El plazo ya venció: no se puede prorrogar."), code="expired")
    reason = _clean_text(reason, field="reason")
    if not isinstance(new_due_date, date) or new_due_date <= query.due_date:
        raise InvalidInput(
            _("La nueva fecha debe ser posterior al vencimiento actual."), field="new_due_date"
        )
    limit = extension_limit(query)
    if new_due_date > limit:
        raise InvalidInput(
            _("La nueva fecha no puede pasar del %(limit)s (el doble del término legal).")
            % {"limit": _date_es(limit)},
            field="new_due_date",
        )
    if not terms.is_business_day(new_due_date, entity=query.entity_id):
        raise InvalidInput(_("La nueva fecha debe ser un día hábil."), field="new_due_date")
    before = {"due_date": query.due_date.isoformat()}
    query.due_date = new_due_date
    query.extended_at = timezone.now()
    query.extension_reason = reason
    query.save(update_fields=["due_date", "extended_at", "extension_reason", "updated_at"])
    _event(query, QueryEvent.Kind.EXTENDED, text=reason, public=True, by=by)
    _audit(
        query,
        "query.extend",
        by=by,
        before=before,
        after={"due_date": new_due_date.isoformat()},
        request=request,
    )
    _deliver(
        query,
        subject=_("Nueva fecha de respuesta para %(r)s") % {"r": query.receipt},
        body=_(
            "La entidad prorrogó el plazo de su solicitud %(receipt)s hasta el %(due)s. Motivo: "
            "%(reason)s"
        )
        % {"receipt": query.receipt, "due": _date_es(new_due_date), "reason": reason},
    )
    return query


@transaction.atomic
def query_transfer(
    *,
    query: Query,
    by: Any,
    reason: str,
    to_entity: Any = None,
    to_authority: str = "",
    request: Any = None,
) -> Query:
    """Transfer a query to the competent authority (Ley 1755 art. 21), with a notice to the
    citizen. To an entity on Urna its term starts on receipt there; to an outside authority the
    query leaves Urna. Transfers after the 5 business days the law allows are recorded as late."""
    permissions.require(by, "query.transfer", query)
    query = _locked(query)
    _require_state(
        query,
        (QueryState.NEW, QueryState.ASSIGNED),
        _("Solo se puede trasladar una consulta en trámite."),
    )
    to_authority = (to_authority or "").strip()
    if (to_entity is None) == (not to_authority):
        raise InvalidInput(
            _("Indique una entidad de destino o, si no está en Urna, el nombre de la autoridad."),
            field="to_entity",
        )
    if to_entity is not None and (not to_entity.active or to_entity.pk == query.entity_id):
        raise InvalidInput(_("Elija otra entidad activa."), field="to_entity")
    reason = _clean_text(reason, field="reason")
    now = timezone.now()
    today = terms.local_today()
    from_entity = query.entity
    late = terms.business_days_between(query.term_start, today, entity=from_entity) > TRANSFER_DAYS
    QueryTransfer.objects.create(
        query=query,
        from_entity=from_entity,
        to_entity=to_entity,
        to_authority=to_authority[:200],
        reason=reason,
        late=late,
        by=by,
        at=now,
    )
    before = {
        "state": query.state,
        "entity": from_entity.pk,
        "due_date": query.due_date.isoformat(),
    }
    month = _month(today)
    _stat_bump(scopes=[0, from_entity.pk], month=month, query=query, transferred=1)
    query.transferred_at = now
    query.transferred_from = from_entity
    if to_entity is not None:
        query.entity = to_entity
        query.state = QueryState.NEW
        query.assigned_to = None
        query.term_days = term_days_for(type=query.type, entity=to_entity)
        query.term_start = terms.receipt_date(now, entity=to_entity)
        query.due_date = terms.due_date(
            filed_at=now, business_days=query.term_days, entity=to_entity
        )
        query.extended_at = None
        query.extension_reason = ""
        _stat_bump(scopes=[to_entity.pk], month=month, query=query, received=1)
        destination = to_entity.name
    else:
        query.state = QueryState.TRANSFERRED
        query.external_authority = to_authority[:200]
        query.closed_at = now
        destination = to_authority
    query.save()
    _event(query, QueryEvent.Kind.TRANSFERRED, text=destination, public=True, by=by)
    _audit(
        query,
        "query.transfer",
        by=by,
        before=before,
        after={
            "state": query.state,
            "entity": query.entity_id,
            "to_authority": to_authority[:200],
            "late": late,
            "due_date": query.due_date.isoformat(),
        },
        request=request,
    )
    if to_entity is not None:
        body = _(
            "Su solicitud %(receipt)s fue trasladada a %(to)s, la autoridad competente, que debe "
            "responder a más tardar el %(due)s."
        ) % {"receipt": query.receipt, "to": destination, "due": _date_es(query.due_date)}
    else:
        body = _(
            "Su solicitud %(receipt)s fue trasladada a %(to)s, la autoridad competente, que le "
            "responderá directamente."
        ) % {"receipt": query.receipt, "to": destination}
    _deliver(
        query, subject=_("Su solicitud %(r)s fue trasladada") % {"r": query.receipt}, body=body
    )
    return query


@transaction.atomic
def query_answer(*, query: Query, text: str, by: Any, request: Any = None) -> Query:
    """Answer the citizen: the answer goes out through their channel and on the status page."""
    permissions.require(by, "query.answer", query)
    query = _locked(query)
    _require_state(
        query,
        (QueryState.NEW, QueryState.ASSIGNED),
        _("Solo se puede responder una consulta en trámite."),
    )
    text = _clean_text(text, field="text", maximum=20000)
    now = timezone.now()
    answered_on = _local_date(now)
    taken = max(
        0, terms.business_days_between(query.term_start, answered_on, entity=query.entity_id)
    )
    within = answered_on <= query.due_date
    before = {"state": query.state}
    query.state = QueryState.ANSWERED
    query.answer = text
    query.answered_at = now
    query.answered_by = by
    query.business_days_taken = taken
    query.answered_within_term = within
    if query.assigned_to_id is None:
        query.assigned_to = by
    query.save(
        update_fields=[
            "state",
            "answer",
            "answered_at",
            "answered_by",
            "business_days_taken",
            "answered_within_term",
            "assigned_to",
            "updated_at",
        ]
    )
    scopes = [0, query.entity_id]
    month = _month(answered_on)
    _stat_bump(
        scopes=scopes, month=month, query=query, answered=1, answered_within_term=int(within)
    )
    _days_bump(scopes=scopes, month=month, query=query, days=taken)
    _event(query, QueryEvent.Kind.ANSWERED, public=True, by=by)
    _audit(
        query,
        "query.answer",
        by=by,
        before=before,
        after={"state": query.state, "business_days_taken": taken, "within_term": within},
        request=request,
    )
    _deliver(
        query,
        subject=_("Respuesta a su solicitud %(r)s") % {"r": query.receipt},
        body=_("Respuesta de %(entity)s a su solicitud %(receipt)s:\n\n%(text)s")
        % {"entity": query.entity.name, "receipt": query.receipt, "text": text},
        sms_body=_("%(entity)s responde (%(receipt)s): %(text)s")
        % {"entity": query.entity.acronym, "receipt": query.receipt, "text": text},
    )
    return query


@transaction.atomic
def query_close(*, query: Query, by: Any, reason: str = "", request: Any = None) -> Query:
    """Close a query: after its answer, or without one with a reason (the citizen did not
    complete it within a month — art. 17 desistimiento —, a duplicate, …)."""
    permissions.require(by, "query.close", query)
    query = _locked(query)
    _require_state(
        query,
        (QueryState.NEW, QueryState.ASSIGNED, QueryState.AWAITING_CITIZEN, QueryState.ANSWERED),
        _("Esta consulta ya está cerrada."),
    )
    reason = (reason or "").strip()
    if query.state != QueryState.ANSWERED:
        reason = _clean_text(reason, field="reason")
    before = {"state": query.state}
    query.state = QueryState.CLOSED
    query.closed_at = timezone.now()
    query.close_reason = reason[:300]
    query.save(update_fields=["state", "closed_at", "close_reason", "updated_at"])
    _event(query, QueryEvent.Kind.CLOSED, text=reason[:300], public=True, by=by)
    _audit(
        query, "query.close", by=by, before=before, after={"state": query.state}, request=request
    )
    return query


def publication_draft(query: Query) -> tuple[str, str]:
    """The question and answer with personal data removed, as a starting point for publishing."""
    names = [query.contact.name] if query.contact_id and query.contact.name else []
    return (
        mask_personal_data(query.text, names=names),
        mask_personal_data(query.answer, names=names),
    )


@transaction.atomic
def query_publish(
    *,
    query: Query,
    by: Any,
    public_question: str,
    public_answer: str,
    consent_recorded: bool = False,
    request: Any = None,
) -> Query:
    """Publish an answered query as a public question and answer, without personal data, with
    the citizen's consent (given when filing, or obtained by the manager and recorded here)."""
    permissions.require(by, "query.publish", query)
    query = _locked(query)
    _require_state(
        query,
        (QueryState.ANSWERED, QueryState.CLOSED),
        _("Solo se publican consultas respondidas."),
    )
    if not query.answer:
        raise Conflict(_("Esta consulta no tiene respuesta que publicar."), code="no_answer")
    if not (query.publication_consent or consent_recorded):
        raise InvalidInput(
            _("Falta la autorización del ciudadano para publicar su pregunta."), field="consent"
        )
    names = [query.contact.name] if query.contact_id and query.contact.name else []
    question = mask_personal_data(
        _clean_text(public_question, field="public_question"), names=names
    )
    answer = mask_personal_data(
        _clean_text(public_answer, field="public_answer", maximum=20000), names=names
    )
    consent_before = query.publication_consent
    query.publication_consent = True
    query.public_question = question
    query.public_answer = answer
    query.search_text = normalise(f"{question} {answer}")
    query.published_at = timezone.now()
    query.save(
        update_fields=[
            "publication_consent",
            "public_question",
            "public_answer",
            "search_text",
            "published_at",
            "updated_at",
        ]
    )
    if not consent_before:
        _event(
            query,
            QueryEvent.Kind.NOTE,
            text=_("Autorización de publicación registrada por el gestor."),
            by=by,
        )
    _event(query, QueryEvent.Kind.PUBLISHED, public=True, by=by)
    _audit(
        query,
        "query.publish",
        by=by,
        after={"published": True, "consent_by": "manager" if not consent_before else "citizen"},
        request=request,
    )
    return query


@transaction.atomic
def query_unpublish(*, query: Query, by: Any, request: Any = None) -> Query:
    permissions.require(by, "query.publish", query)
    query = _locked(query)
    if query.published_at is None:
        raise Conflict(_("Esta consulta no está publicada."), code="not_published")
    query.published_at = None
    query.save(update_fields=["published_at", "updated_at"])
    _audit(query, "query.unpublish", by=by, after={"published": False}, request=request)
    return query


@transaction.atomic
def answer_template_create(*, entity: Any, title: str, body: str, by: Any) -> AnswerTemplate:
    permissions.require(by, "query.answer", entity)
    title = _clean_text(title, field="title", minimum=3, maximum=120)
    body = _clean_text(body, field="body", maximum=20000)
    if AnswerTemplate.objects.filter(entity=entity, title=title).exists():
        raise InvalidInput(_("Ya existe una plantilla con ese título."), field="title")
    template = AnswerTemplate.objects.create(entity=entity, title=title, body=body, created_by=by)
    audit_record(action="answer_template.create", obj=template, actor=by, entity=entity)
    return template


# --- counters -----------------------------------------------------------------------------------


@transaction.atomic
def query_stats_rebuild() -> int:
    """Recompute the SLA counters from the queries (after a bulk load or to repair them).

    Received counts at the month of filing for the first entity and at the month of the
    transfer for the entities a query was transferred to. Returns the number of counter rows.
    """
    from django.db.models import Count, Q
    from django.db.models.functions import TruncMonth

    QueryStat.objects.all().delete()
    QueryDaysStat.objects.all().delete()
    counters: dict[tuple, dict[str, int]] = {}
    days: dict[tuple, int] = {}

    def add(scope: int, month: date, type_: str, channel: str, field: str, n: int) -> None:
        if not n:
            return
        for dim, value in (("all", ""), ("type", type_), ("channel", channel)):
            row = counters.setdefault((scope, month, dim, value), {})
            row[field] = row.get(field, 0) + n

    def as_date(value: Any) -> date:
        return value.date() if isinstance(value, datetime) else value

    received = (
        Query.objects.annotate(m=TruncMonth("filed_at"))
        .values("m", "type", "channel")
        .annotate(n=Count("id"))
    )
    for row in received:
        add(0, as_date(row["m"]), row["type"], row["channel"], "received", row["n"])
    untransferred = (
        Query.objects.filter(transferred_at__isnull=True, entity__isnull=False)
        .annotate(m=TruncMonth("filed_at"))
        .values("entity_id", "m", "type", "channel")
        .annotate(n=Count("id"))
    )
    for row in untransferred:
        add(row["entity_id"], as_date(row["m"]), row["type"], row["channel"], "received", row["n"])
    transfers = (
        QueryTransfer.objects.select_related("query")
        .order_by("query_id", "at")
        .only(
            "query__type",
            "query__channel",
            "query__filed_at",
            "from_entity_id",
            "to_entity_id",
            "at",
        )
    )
    first_seen: set[int] = set()
    for transfer in transfers.iterator():
        q = transfer.query
        t_month = _month(_local_date(transfer.at))
        if q.pk not in first_seen:
            first_seen.add(q.pk)
            add(
                transfer.from_entity_id,
                _month(_local_date(q.filed_at)),
                q.type,
                q.channel,
                "received",
                1,
            )
        add(0, t_month, q.type, q.channel, "transferred", 1)
        add(transfer.from_entity_id, t_month, q.type, q.channel, "transferred", 1)
        if transfer.to_entity_id:
            add(transfer.to_entity_id, t_month, q.type, q.channel, "received", 1)
    answered = (
        Query.objects.filter(answered_at__isnull=False, entity__isnull=False)
        .annotate(m=TruncMonth("answered_at"))
        .values("entity_id", "m", "type", "channel", "business_days_taken")
        .annotate(n=Count("id"), within=Count("id", filter=Q(answered_within_term=True)))
    )
    for row in answered:
        month = as_date(row["m"])
        for scope in (0, row["entity_id"]):
            add(scope, month, row["type"], row["channel"], "answered", row["n"])
            add(scope, month, row["type"], row["channel"], "answered_within_term", row["within"])
            for dim, value in (("all", ""), ("type", row["type"]), ("channel", row["channel"])):
                key = (scope, month, dim, value, row["business_days_taken"] or 0)
                days[key] = days.get(key, 0) + row["n"]
    QueryStat.objects.bulk_create(
        [
            QueryStat(scope=s, month=m, dim=d, value=v, **fields)
            for (s, m, d, v), fields in counters.items()
        ],
        batch_size=2000,
    )
    QueryDaysStat.objects.bulk_create(
        [
            QueryDaysStat(scope=s, month=m, dim=d, value=v, days=n_days, count=n)
            for (s, m, d, v, n_days), n in days.items()
        ],
        batch_size=2000,
    )
    return len(counters) + len(days)


def query_get_by_receipt(receipt: str) -> Query:
    query = Query.objects.select_related("entity").filter(receipt=receipt).first()
    if query is None:
        raise NotFound(_("No encontramos una solicitud con ese recibo."))
    return query
