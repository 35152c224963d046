"""Writes of the queries workflow: intake from every channel, routing, the managers' actions.

Every function runs in a transaction, checks permission through ``urna.accounts.permissions``
and the state through ``urna.queries.workflow``, records the step in the query's history and in
the audit log, updates the SLA counters and queues the message to the citizen (through the
channel they used). One module per part of the workflow:

- ``intake``: filing from every channel (``routing`` proposes the entity);
- ``assignment``: triage routing, assignment to a manager, transfer to the competent authority;
- ``deadlines``: suspension for completion, the citizen's completion, the one extension;
- ``answers``: answer, close, publication, answer templates;
- ``casefile``: internal notes and attachments;
- ``stats``: the SLA counters and their rebuild;
- ``common``: history, audit, row lock, text checks and messages to the citizen.

The names below are the public API (``from urna.queries import services``).
"""

from urna.queries.models import TEXT_MAX, TEXT_MIN
from urna.queries.selectors import (
    extension_limit,
    publication_draft,
    query_get_by_receipt,
    term_days_for,
)
from urna.queries.services.answers import (
    answer_template_create,
    query_answer,
    query_close,
    query_publish,
    query_unpublish,
)
from urna.queries.services.assignment import (
    TRANSFER_DAYS,
    query_assign,
    query_route,
    query_transfer,
)
from urna.queries.services.casefile import (
    ATTACHMENT_MAX_BYTES,
    query_attachment_add,
    query_note_add,
)
from urna.queries.services.common import SMS_MAX, status_url
from urna.queries.services.deadlines import (
    query_complete,
    query_extend,
    query_request_completion,
)
from urna.queries.services.intake import (
    QuerySubmitResult,
    query_from_contribution,
    query_submit,
)
from urna.queries.services.routing import route_proposal
from urna.queries.services.stats import query_stats_rebuild

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "SMS_MAX",
    "TEXT_MAX",
    "TEXT_MIN",
    "TRANSFER_DAYS",
    "QuerySubmitResult",
    "answer_template_create",
    "extension_limit",
    "publication_draft",
    "query_answer",
    "query_assign",
    "query_attachment_add",
    "query_close",
    "query_complete",
    "query_extend",
    "query_from_contribution",
    "query_get_by_receipt",
    "query_note_add",
    "query_publish",
    "query_request_completion",
    "query_route",
    "query_stats_rebuild",
    "query_submit",
    "query_transfer",
    "query_unpublish",
    "route_proposal",
    "status_url",
    "term_days_for",
]
