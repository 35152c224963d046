"""The end of a query: the answer to the citizen (counted in the SLA figures), closing, and
publishing the question and answer without personal data; and the entities' answer templates."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts import permissions
from urna.audit.services import audit_record
from urna.core.errors import InvalidInput
from urna.core.privacy import mask_personal_data
from urna.core.text import search_normalise
from urna.queries import terms, workflow
from urna.queries.models import AnswerTemplate, Query, QueryEvent, QueryState
from urna.queries.placeholders import placeholders_check
from urna.queries.services.common import (
    audit,
    clean_text,
    deliver,
    event_add,
    local_date,
    locked,
    month_of,
    status_url,
)
from urna.queries.services.stats import days_bump, stat_bump


@transaction.atomic
def query_answer(*, query: Query, text: str, by: Any, request: Any = None) -> Query:
    """Answer the citizen: the answer goes out through their channel and on the status page."""
    permissions.require(by, workflow.ANSWER.permission, query)
    query = locked(query)
    workflow.check(workflow.ANSWER, query)
    text = clean_text(text, field="text", maximum=20000)
    now = timezone.now()
    answered_on = local_date(now)
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
    month = month_of(answered_on)
    stat_bump(scopes=scopes, month=month, query=query, answered=1, answered_within_term=int(within))
    days_bump(scopes=scopes, month=month, query=query, days=taken)
    event_add(query, QueryEvent.Kind.ANSWERED, public=True, by=by)
    audit(
        query,
        "query.answer",
        by=by,
        before=before,
        after={"state": query.state, "business_days_taken": taken, "within_term": within},
        request=request,
    )
    deliver(
        query,
        subject=_("Respuesta a su solicitud %(r)s") % {"r": query.receipt},
        body=_("Respuesta de %(entity)s a su solicitud %(receipt)s:\n\n%(text)s")
        % {"entity": query.entity.name, "receipt": query.receipt, "text": text}
        + "\n\n"
        + _("Su solicitud y la respuesta: %(url)s") % {"url": status_url(query)},
        sms_body=_("%(entity)s responde (%(receipt)s): %(text)s")
        % {"entity": query.entity.acronym, "receipt": query.receipt, "text": text},
    )
    return query


@transaction.atomic
def query_close(*, query: Query, by: Any, reason: str = "", request: Any = None) -> Query:
    """Close a query: after its answer, or without one with a reason (the citizen did not
    complete it within a month — art. 17 desistimiento —, a duplicate, …)."""
    permissions.require(by, workflow.CLOSE.permission, query)
    query = locked(query)
    workflow.check(workflow.CLOSE, query)
    reason = (reason or "").strip()
    if query.state != QueryState.ANSWERED:
        reason = clean_text(reason, field="reason")
    before = {"state": query.state}
    query.state = QueryState.CLOSED
    query.closed_at = timezone.now()
    query.close_reason = reason[:300]
    query.save(update_fields=["state", "closed_at", "close_reason", "updated_at"])
    event_add(query, QueryEvent.Kind.CLOSED, text=reason[:300], public=True, by=by)
    audit(query, "query.close", by=by, before=before, after={"state": query.state}, request=request)
    return query


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
    permissions.require(by, workflow.PUBLISH.permission, query)
    query = locked(query)
    workflow.check(workflow.PUBLISH, query)
    if not (query.publication_consent or consent_recorded):
        raise InvalidInput(
            _("Falta la autorización del ciudadano para publicar su pregunta."), field="consent"
        )
    names = [query.contact.name] if query.contact_id and query.contact.name else []
    question = mask_personal_data(clean_text(public_question, field="public_question"), names=names)
    answer = mask_personal_data(
        clean_text(public_answer, field="public_answer", maximum=20000), names=names
    )
    consent_before = query.publication_consent
    query.publication_consent = True
    query.public_question = question
    query.public_answer = answer
    query.search_text = search_normalise(f"{question} {answer}")
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
        event_add(
            query,
            QueryEvent.Kind.NOTE,
            text=_("Autorización de publicación registrada por el gestor."),
            by=by,
        )
    event_add(query, QueryEvent.Kind.PUBLISHED, public=True, by=by)
    audit(
        query,
        "query.publish",
        by=by,
        after={"published": True, "consent_by": "manager" if not consent_before else "citizen"},
        request=request,
    )
    return query


@transaction.atomic
def query_unpublish(*, query: Query, by: Any, request: Any = None) -> Query:
    permissions.require(by, workflow.UNPUBLISH.permission, query)
    query = locked(query)
    workflow.check(workflow.UNPUBLISH, query)
    query.published_at = None
    query.save(update_fields=["published_at", "updated_at"])
    audit(query, "query.unpublish", by=by, after={"published": False}, request=request)
    return query


@transaction.atomic
def answer_template_create(*, entity: Any, title: str, body: str, by: Any) -> AnswerTemplate:
    permissions.require(by, "query.answer", entity)
    title = clean_text(title, field="title", minimum=3, maximum=120)
    body = clean_text(body, field="body", maximum=20000)
    placeholders_check(body)
    if AnswerTemplate.objects.filter(entity=entity, title=title).exists():
        raise InvalidInput(_("Ya existe una plantilla con ese título."), field="title")
    template = AnswerTemplate.objects.create(entity=entity, title=title, body=body, created_by=by)
    audit_record(action="answer_template.create", obj=template, actor=by, entity=entity)
    return template
