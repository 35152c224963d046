"""Writes of the results matrix, one module per subdomain:

- ``answers``: one contribution's answer, and the bulk write many answers share;
- ``batches``: one answer for a selection (ticked rows, campaign, theme, filter), inline or in a
  background job by chunks;
- ``notices``: the message to the citizen whose contribution was answered;
- ``templates``: the entity's reusable answers.

Reads are in ``urna.results.selectors``.
"""

from urna.results.services.answers import (
    RESPONDABLE_STATUSES,
    answer_clean,
    answers_write,
    contribution_respond,
)
from urna.results.services.batches import (
    BATCH_TASK,
    CHUNK,
    INLINE_MAX,
    answer_batch_run,
    answer_batch_start,
    contribution_respond_group,
    selection_queryset,
)
from urna.results.services.notices import answer_version, answers_notify, notice_text
from urna.results.services.templates import (
    answer_template_create,
    answer_template_delete,
    answer_template_update,
)

__all__ = [
    "BATCH_TASK",
    "CHUNK",
    "INLINE_MAX",
    "RESPONDABLE_STATUSES",
    "answer_batch_run",
    "answer_batch_start",
    "answer_clean",
    "answer_template_create",
    "answer_template_delete",
    "answer_template_update",
    "answer_version",
    "answers_notify",
    "answers_write",
    "contribution_respond",
    "contribution_respond_group",
    "notice_text",
    "selection_queryset",
]
