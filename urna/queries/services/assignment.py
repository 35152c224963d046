"""Who answers a query: the platform team routes it from triage to an entity, the entity assigns
it to a response manager, and a manager transfers it to the competent authority."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts import permissions
from urna.accounts.models import Membership, Role
from urna.core.errors import InvalidInput
from urna.queries import terms, workflow
from urna.queries.models import Query, QueryEvent, QueryState, QueryTransfer
from urna.queries.selectors import term_days_for
from urna.queries.services.common import (
    audit,
    clean_text,
    date_es,
    deliver,
    event_add,
    locked,
    month_of,
)
from urna.queries.services.stats import stat_bump

TRANSFER_DAYS = 5  # Ley 1755 art. 21


@transaction.atomic
def query_route(*, query: Query, entity: Any, by: Any, request: Any = None) -> Query:
    """Send a query from the triage queue (or back from one entity to another, by the platform
    team) to the responsible entity. The term keeps running from the original receipt."""
    permissions.require(by, workflow.ROUTE.permission, query)
    query = locked(query)
    workflow.check(workflow.ROUTE, query)
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
    event_add(query, QueryEvent.Kind.ROUTED, text=entity.name, public=True, by=by)
    if was_triage:
        stat_bump(scopes=[entity.pk], month=month_of(terms.local_today()), query=query, received=1)
    audit(
        query,
        "query.route",
        by=by,
        before=before,
        after={"state": query.state, "entity": entity.pk},
        request=request,
    )
    return query


@transaction.atomic
def query_assign(*, query: Query, to_user: Any, by: Any, request: Any = None) -> Query:
    """Assign (or reassign, inside the entity) a query to a response manager."""
    permissions.require(by, workflow.ASSIGN.permission, query)
    query = locked(query)
    workflow.check(workflow.ASSIGN, query)
    if to_user is None or not to_user.is_active:
        raise InvalidInput(_("Elija un gestor activo."), field="assigned_to")
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
    event_add(query, QueryEvent.Kind.ASSIGNED, text=to_user.get_username(), by=by)
    audit(
        query,
        "query.assign",
        by=by,
        before=before,
        after={"state": query.state, "assigned_to": to_user.pk},
        request=request,
    )
    return query


# --- transfer (Ley 1755 art. 21) -----------------------------------------------------------------


def _transfer_destination(query: Query, *, to_entity: Any, to_authority: str) -> None:
    """Exactly one destination: another active entity on Urna or an outside authority."""
    if (to_entity is None) == (not to_authority):
        raise InvalidInput(
            _("Indique una entidad de destino o, si no está en Urna, el nombre de la autoridad."),
            field="to_entity",
        )
    if to_entity is not None and (not to_entity.active or to_entity.pk == query.entity_id):
        raise InvalidInput(_("Elija otra entidad activa."), field="to_entity")


def _move_to_entity(query: Query, to_entity: Any, *, now: Any, month: date) -> None:
    """On Urna the destination receives the query now: its own term starts on receipt."""
    query.entity = to_entity
    query.state = QueryState.NEW
    query.assigned_to = None
    query.term_days = term_days_for(type=query.type, entity=to_entity)
    query.term_start = terms.receipt_date(now, entity=to_entity)
    query.due_date = terms.due_date(filed_at=now, business_days=query.term_days, entity=to_entity)
    query.extended_at = None
    query.extension_reason = ""
    stat_bump(scopes=[to_entity.pk], month=month, query=query, received=1)


def _leave_urna(query: Query, to_authority: str, *, now: Any) -> None:
    """To an outside authority the query leaves Urna, which keeps where it went."""
    query.state = QueryState.TRANSFERRED
    query.external_authority = to_authority[:200]
    query.closed_at = now


def _transfer_notice(query: Query, *, to_entity: Any, destination: str) -> None:
    if to_entity is not None:
        body = _(
            "Su solicitud %(receipt)s fue trasladada a %(to)s, la autoridad competente, que debe "
            "responder a más tardar el %(due)s."
        ) % {"receipt": query.receipt, "to": destination, "due": date_es(query.due_date)}
    else:
        body = _(
            "Su solicitud %(receipt)s fue trasladada a %(to)s, la autoridad competente, que le "
            "responderá directamente."
        ) % {"receipt": query.receipt, "to": destination}
    deliver(query, subject=_("Su solicitud %(r)s fue trasladada") % {"r": query.receipt}, body=body)


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
    permissions.require(by, workflow.TRANSFER.permission, query)
    query = locked(query)
    workflow.check(workflow.TRANSFER, query)
    to_authority = (to_authority or "").strip()
    _transfer_destination(query, to_entity=to_entity, to_authority=to_authority)
    reason = clean_text(reason, field="reason")
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
    month = month_of(today)
    stat_bump(scopes=[0, from_entity.pk], month=month, query=query, transferred=1)
    query.transferred_at = now
    query.transferred_from = from_entity
    if to_entity is not None:
        _move_to_entity(query, to_entity, now=now, month=month)
        destination = to_entity.name
    else:
        _leave_urna(query, to_authority, now=now)
        destination = to_authority
    query.save()
    event_add(query, QueryEvent.Kind.TRANSFERRED, text=destination, public=True, by=by)
    audit(
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
    _transfer_notice(query, to_entity=to_entity, destination=destination)
    return query
