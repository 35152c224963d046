"""Where the activity figures come from: one entry per table of citizens' activity.

Each ``Activity`` says how a row of its table is placed in a month (``stamp``), a channel, an
entity and a department, whom it reached (a contact or an account), which interaction it counts
as, and whether it is inbound or outbound traffic. The engine reads every entry the same way, by
month, through indexed id ranges (``spans``). A new source of interactions (the surveys of issue
#17, the deliberation votes) is one more entry here and its key in ``definitions``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf, Substr

from urna.channels.models import InboundMessage
from urna.channels.selectors import UNSENT
from urna.deliberation.models import Vote as DeliberationVote
from urna.exercises.models import Contribution, Support
from urna.messaging.models import OutboundMessage
from urna.queries.models import Query
from urna.surveys.models import Response as SurveyResponse

# Submissions whose channel adapter stored the provider's message first carry an idempotency
# key derived from it (``urna.channels.intake.idempotency_key``): that message is already
# counted as inbound traffic, so the submission is not counted again.
CHANNEL_KEY_PREFIX = "ch:"
CAMPAIGN_RELATED_TYPE = "campaigns.campaign"
# A query handed over from an exercise repeats a contribution already counted.
EXERCISE_CHANNEL = "exercise"
# Survey answers on these channels arrived as stored inbound messages, already counted.
MESSAGE_CHANNELS = ("sms", "whatsapp", "ussd")


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


@dataclass(frozen=True)
class Activity:
    name: str  # also the name of its watermark
    rows: Callable[[], QuerySet]  # the rows that count at all
    stamp: str  # the moment that places a row in a month
    channel: Any = F("channel")  # an expression; "" when the table has no channel
    entity: Any = None  # expression of the entity id, or None
    department: Any = None  # expression of the department's DANE code, or None
    contact: str | None = None  # the person reached: a contact, else an account
    user: str | None = None
    interaction: Any = None  # expression: the interaction key a row counts for ("" for none)
    inbound: Any = None  # expression: True for a row counted as inbound traffic
    outbound: bool = False  # every row is a message that went out
    campaign: Any = None  # expression: True for a message of a campaign


ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        name="contributions",
        rows=lambda: Contribution.objects.all(),
        stamp="created_at",
        entity=F("exercise__owner_id"),
        department=Coalesce("department_id", "exercise__owner__department_id"),
        contact="contact_id",
        user="user_id",
        interaction=Case(
            When(kind=Contribution.Kind.ANSWER, then=_text("interactions_votes")),
            default=_text("interactions_contributions"),
        ),
        inbound=_flag(~Q(idempotency_key__startswith=CHANNEL_KEY_PREFIX)),
    ),
    Activity(
        name="queries",
        rows=lambda: Query.objects.all(),
        stamp="filed_at",
        entity=F("entity_id"),
        department=Coalesce(Substr("municipality_id", 1, 2), "entity__department_id"),
        contact="contact_id",
        user="user_id",
        interaction=Case(
            When(channel=EXERCISE_CHANNEL, then=_text("")),
            default=_text("interactions_queries"),
        ),
        inbound=_flag(
            ~Q(idempotency_key__startswith=CHANNEL_KEY_PREFIX) & ~Q(channel=EXERCISE_CHANNEL)
        ),
    ),
    Activity(
        name="supports",
        rows=lambda: Support.objects.all(),
        stamp="created_at",
        channel=_text(""),
        entity=F("contribution__exercise__owner_id"),
        department=Coalesce(
            "contribution__department_id", "contribution__exercise__owner__department_id"
        ),
        interaction=_text("interactions_supports"),
    ),
    Activity(
        # A completed survey response, in the month it was started: the rows' spans cover every
        # response, and ``changes.survey_completions`` marks the month of one completed later.
        name="survey_responses",
        rows=lambda: SurveyResponse.objects.filter(status=SurveyResponse.Status.COMPLETE),
        stamp="started_at",
        entity=F("survey__entity_id"),
        department=Coalesce(NullIf("department", _text("")), "survey__entity__department_id"),
        contact="contact_id",
        interaction=_text("interactions_surveys"),
        inbound=_flag(~Q(channel__in=MESSAGE_CHANNELS)),
    ),
    Activity(
        # A vote on a deliberation's statement, in the month it was first cast: a changed vote
        # is the same row (``urna.deliberation.services._vote_upsert``), so it is counted once.
        name="deliberation_votes",
        rows=lambda: DeliberationVote.objects.all(),
        stamp="created_at",
        entity=F("deliberation__exercise__owner_id"),
        department=F("deliberation__exercise__owner__department_id"),
        contact="participant__contact_id",
        user="participant__user_id",
        interaction=_text("interactions_deliberation"),
        inbound=_flag(~Q(channel__in=MESSAGE_CHANNELS)),
    ),
    Activity(
        name="inbound",
        rows=lambda: InboundMessage.objects.all(),
        stamp="received_at",
        inbound=Value(True, output_field=BooleanField()),
    ),
    Activity(
        name="outbound",
        # Messages that went out: not those held back (no consent) nor a cancelled dispatch's.
        rows=lambda: OutboundMessage.objects.exclude(status__in=UNSENT),
        stamp="created_at",
        entity=F("dispatch__entity_id"),
        department=F("contact__department_id"),
        contact="contact_id",
        outbound=True,
        campaign=_flag(Q(dispatch__related_type=CAMPAIGN_RELATED_TYPE)),
    ),
)

BY_NAME: dict[str, Activity] = {a.name: a for a in ACTIVITIES}
