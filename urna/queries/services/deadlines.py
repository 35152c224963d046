"""The legal term of a query while the entity works on it: suspended while the citizen
completes an incomplete request (Ley 1755 art. 17), restarted in full when they do, and extended
once, before it expires, with a reason (art. 14 parágrafo)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts import permissions
from urna.core.errors import InvalidInput
from urna.queries import terms, workflow
from urna.queries.models import Query, QueryEvent, QueryState
from urna.queries.selectors import extension_limit
from urna.queries.services.common import (
    audit,
    clean_text,
    date_es,
    deliver,
    event_add,
    locked,
    status_url,
)


@transaction.atomic
def query_request_completion(*, query: Query, text: str, by: Any, request: Any = None) -> Query:
    """Ask the citizen to complete an incomplete request (Ley 1755 art. 17): the term is
    suspended until they answer, and then starts again in full."""
    permissions.require(by, workflow.REQUEST_COMPLETION.permission, query)
    query = locked(query)
    workflow.check(workflow.REQUEST_COMPLETION, query)
    text = clean_text(text, field="text")
    before = {"state": query.state, "due_date": query.due_date.isoformat()}
    query.state = QueryState.AWAITING_CITIZEN
    query.suspended_at = timezone.now()
    query.completion_request = text
    query.save(update_fields=["state", "suspended_at", "completion_request", "updated_at"])
    event_add(query, QueryEvent.Kind.COMPLETION_REQUESTED, text=text, public=True, by=by)
    audit(
        query,
        "query.request_completion",
        by=by,
        before=before,
        after={"state": query.state},
        request=request,
    )
    deliver(
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
    query = locked(query)
    workflow.check(workflow.COMPLETE, query)
    text = clean_text(text, field="text", minimum=2)
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
    event_add(query, QueryEvent.Kind.COMPLETED, text=text, public=True, label=label)
    audit(
        query,
        "query.complete",
        label=label,
        before=before,
        after={"state": query.state, "due_date": query.due_date.isoformat()},
        request=request,
    )
    return query


def _new_due_date_check(query: Query, new_due_date: Any) -> None:
    if not isinstance(new_due_date, date) or new_due_date <= query.due_date:
        raise InvalidInput(
            _("La nueva fecha debe ser posterior al vencimiento actual."), field="new_due_date"
        )
    limit = extension_limit(query)
    if new_due_date > limit:
        raise InvalidInput(
            _("La nueva fecha no puede pasar del %(limit)s (el doble del término legal).")
            % {"limit": date_es(limit)},
            field="new_due_date",
        )
    if not terms.is_business_day(new_due_date, entity=query.entity_id):
        raise InvalidInput(_("La nueva fecha debe ser un día hábil."), field="new_due_date")


@transaction.atomic
def query_extend(
    *, query: Query, new_due_date: date, reason: str, by: Any, request: Any = None
) -> Query:
    """Extend the term once, before it expires, with a reason; the citizen is told."""
    permissions.require(by, workflow.EXTEND.permission, query)
    query = locked(query)
    workflow.check(workflow.EXTEND, query)  # once, before the term expires
    reason = clean_text(reason, field="reason")
    _new_due_date_check(query, new_due_date)
    before = {"due_date": query.due_date.isoformat()}
    query.due_date = new_due_date
    query.extended_at = timezone.now()
    query.extension_reason = reason
    query.save(update_fields=["due_date", "extended_at", "extension_reason", "updated_at"])
    event_add(query, QueryEvent.Kind.EXTENDED, text=reason, public=True, by=by)
    audit(
        query,
        "query.extend",
        by=by,
        before=before,
        after={"due_date": new_due_date.isoformat()},
        request=request,
    )
    deliver(
        query,
        subject=_("Nueva fecha de respuesta para %(r)s") % {"r": query.receipt},
        body=_(
            "La entidad prorrogó el plazo de su solicitud %(receipt)s hasta el %(due)s. Motivo: "
            "%(reason)s"
        )
        % {"receipt": query.receipt, "due": date_es(new_due_date), "reason": reason},
    )
    return query
