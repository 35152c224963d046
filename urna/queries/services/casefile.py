"""What the entity's staff add to a query's file: internal notes (never shown to the citizen)
and attachments (sent with the answer when marked public)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from urna.accounts import permissions
from urna.core.errors import InvalidInput
from urna.queries import workflow
from urna.queries.models import Query, QueryAttachment, QueryEvent
from urna.queries.services.common import audit, clean_text, event_add

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def query_note_add(*, query: Query, text: str, by: Any, request: Any = None) -> QueryEvent:
    """An internal note: seen by the entity's staff, never by the citizen."""
    permissions.require(by, workflow.NOTE.permission, query)
    workflow.check(workflow.NOTE, query)
    text = clean_text(text, field="text", minimum=2)
    event = event_add(query, QueryEvent.Kind.NOTE, text=text, by=by)
    audit(query, "query.note", by=by, after={"event": event.pk}, request=request)
    return event


@transaction.atomic
def query_attachment_add(
    *, query: Query, file: Any, by: Any, public: bool = False, request: Any = None
) -> QueryAttachment:
    permissions.require(by, workflow.ATTACH.permission, query)
    workflow.check(workflow.ATTACH, query)
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
    event_add(query, QueryEvent.Kind.ATTACHMENT, text=name, public=public, by=by)
    audit(
        query,
        "query.attachment",
        by=by,
        after={"attachment": attachment.pk, "public": public},
        request=request,
    )
    return attachment
