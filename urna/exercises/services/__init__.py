"""Writes for participation exercises, one module per subdomain:

- ``intake``: the one door every channel submits a contribution through (validate → rate-limit
  → store);
- ``supports``: a participant backs a proposal, once;
- ``choices``: answers to closed questions in the forms channels send them;
- ``insert``: the intake's own INSERT of a contribution;
- ``moderation``: show, hold or hide a contribution; the masked copy of its text;
- ``replies``: a participant answers a published contribution (threads two levels deep);
- ``editing``: creating an exercise and changing its fields;
- ``transitions``: the state machine at work (the one place a status changes), scheduled closing;
- ``content``: the body text, articles, closed questions and documents;
- ``updates``: participants hear back: the exercise's updates, its followers, and the news
  (results published, an update posted) told once to both.

Reads are in ``urna.exercises.selectors``. The public functions are re-exported here, so
``from urna.exercises import services; services.contribution_submit(...)`` keeps working.
"""

from urna.core.text import code_normalise, text_normalise
from urna.exercises.services.choices import choice_parse
from urna.exercises.services.content import (
    DOCUMENT_MAX_BYTES,
    article_add,
    document_attach,
    document_check,
    document_type,
    markdown_render,
    question_add,
)
from urna.exercises.services.editing import (
    EDITABLE_FIELDS,
    LATE_EDITABLE_FIELDS,
    RESERVED_SLUGS,
    exercise_create,
    exercise_update,
    topics_get_or_create,
)
from urna.exercises.services.intake import (
    CHANNELS,
    DEFAULT_RATES,
    DEMOGRAPHICS,
    KINDS,
    TEXT_MAX,
    TEXT_MIN,
    CleanContribution,
    SubmitResult,
    contribution_rate_limit,
    contribution_store,
    contribution_submit,
    contribution_validate,
    exercise_accepts_contributions,
)
from urna.exercises.services.moderation import contribution_moderate, contributions_mask
from urna.exercises.services.replies import (
    reply_counts_adjust,
    reply_published_tell,
    reply_submit,
    reply_target,
)
from urna.exercises.services.supports import support_add
from urna.exercises.services.transitions import (
    DRAFT_MIN_COMMENT_DAYS,
    comment_days,
    draft_min_comment_days,
    exercise_transition,
    exercises_close_due,
)
from urna.exercises.services.updates import (
    BROADCAST_TASK,
    audience_counts,
    audience_routes,
    broadcast_queue,
    exercise_broadcast,
    exercise_broadcast_run,
    exercise_follow,
    exercise_unfollow,
    follow_channel,
    follow_code_send,
    follow_code_valid,
    reply_channel,
    update_create,
    update_document_attach,
    update_edit,
    update_publish,
)

__all__ = [
    "BROADCAST_TASK",
    "CHANNELS",
    "DEFAULT_RATES",
    "DEMOGRAPHICS",
    "DOCUMENT_MAX_BYTES",
    "DRAFT_MIN_COMMENT_DAYS",
    "EDITABLE_FIELDS",
    "KINDS",
    "LATE_EDITABLE_FIELDS",
    "RESERVED_SLUGS",
    "TEXT_MAX",
    "TEXT_MIN",
    "CleanContribution",
    "SubmitResult",
    # The in-process snapshots of the intake (tests clear them between tests).
    "article_add",
    "audience_counts",
    "audience_routes",
    "broadcast_queue",
    "choice_parse",
    "code_normalise",
    "comment_days",
    "contribution_moderate",
    "contribution_rate_limit",
    "contribution_store",
    "contribution_submit",
    "contribution_validate",
    "contributions_mask",
    "document_attach",
    "document_check",
    "document_type",
    "draft_min_comment_days",
    "exercise_accepts_contributions",
    "exercise_broadcast",
    "exercise_broadcast_run",
    "exercise_create",
    "exercise_follow",
    "exercise_transition",
    "exercise_unfollow",
    "exercise_update",
    "exercises_close_due",
    "follow_channel",
    "follow_code_send",
    "follow_code_valid",
    "markdown_render",
    "question_add",
    "reply_channel",
    "reply_counts_adjust",
    "reply_published_tell",
    "reply_submit",
    "reply_target",
    "support_add",
    "text_normalise",
    "topics_get_or_create",
    "update_create",
    "update_document_attach",
    "update_edit",
    "update_publish",
]
