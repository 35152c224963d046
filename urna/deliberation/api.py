"""Public API of deliberations: the stored groups and consensus, the published statements, and
voting from an app.

An app names its participant with an opaque id of its own (``participant``, 8 to 64
characters: a random id kept on the device); only a keyed hash of it is stored. Nothing here
returns personal data: statements are shown masked, participants never.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from urna.core.channels import Channel
from urna.core.errors import NotFound
from urna.core.network import client_network
from urna.deliberation import selectors, services
from urna.deliberation.models import Deliberation
from urna.exercises.participants import participant_hash

router = Router(tags=["deliberación"])


class StatementOut(Schema):
    id: int
    text: str


class GroupStatementOut(Schema):
    statement: int
    text: str
    direction: str
    agree_pct: int
    disagree_pct: int


class GroupOut(Schema):
    group: str
    participants: int
    statements: list[GroupStatementOut]


class ConsensusOut(Schema):
    statement: int
    text: str
    pct: int


class ResultOut(Schema):
    computed_at: datetime
    votes: int
    participants: int
    placed: int
    groups: list[GroupOut]
    consensus_agree: list[ConsensusOut]
    consensus_disagree: list[ConsensusOut]


class DeliberationOut(Schema):
    exercise: str
    question: str
    status: str
    accepts_votes: bool
    accepts_proposals: bool
    min_votes: int
    is_example: bool
    result: ResultOut | None


class VoteIn(Schema):
    statement: int
    value: int = Field(..., ge=-1, le=1, description="1 de acuerdo, -1 en desacuerdo, 0 paso")
    participant: str = Field(..., min_length=8, max_length=64)


class VoteOut(Schema):
    value: int
    next: StatementOut | None


def _get(slug: str) -> Deliberation:
    deliberation = selectors.deliberation_public(slug)
    if deliberation is None:
        raise NotFound("No existe una deliberación pública con ese identificador.")
    return deliberation


def _result(deliberation: Deliberation) -> ResultOut | None:
    view = selectors.result_view(deliberation)
    if view is None:
        return None
    return ResultOut(
        computed_at=view.result.computed_at,
        votes=view.result.vote_count,
        participants=view.result.participant_count,
        placed=view.result.placed_count,
        groups=[
            GroupOut(
                group=g.letter,
                participants=g.size,
                statements=[GroupStatementOut(**s) for s in g.statements],
            )
            for g in view.groups
        ],
        consensus_agree=[ConsensusOut(**c) for c in view.consensus.get("agree", [])],
        consensus_disagree=[ConsensusOut(**c) for c in view.consensus.get("disagree", [])],
    )


@router.get("/exercises/{slug}/deliberation", response=DeliberationOut)
def deliberation_detail(request: HttpRequest, slug: str):
    """The deliberation of an exercise with its last computed groups and consensus."""
    deliberation = _get(slug)
    return DeliberationOut(
        exercise=deliberation.exercise.slug,
        question=deliberation.question,
        status=deliberation.status,
        accepts_votes=services.deliberation_accepts_votes(deliberation),
        accepts_proposals=deliberation.accepts_proposals,
        min_votes=deliberation.min_votes,
        is_example=deliberation.is_example,
        result=_result(deliberation),
    )


@router.get("/exercises/{slug}/deliberation/statements", response=list[StatementOut])
def deliberation_statements(request: HttpRequest, slug: str):
    """The published statements, in the order they were added."""
    return [
        StatementOut(id=s.pk, text=s.public_text)
        for s in selectors.published_statements(_get(slug)).only("pk", "public_text")
    ]


@router.post("/exercises/{slug}/deliberation/votes", response=VoteOut)
def deliberation_vote(request: HttpRequest, slug: str, payload: VoteIn):
    """Vote on a statement (a second vote replaces the first); answers the next statement."""
    deliberation = _get(slug)
    key = participant_hash(f"api:{payload.participant}")
    services.rate_limit("vote", identity=key, network=client_network(request))
    participant = services.participant_get_or_create(deliberation=deliberation, anonymous_key=key)
    value = services.vote_cast(
        participant=participant,
        statement_id=payload.statement,
        value=payload.value,
        channel=Channel.API,
    )
    following = selectors.next_statement_for(participant)
    return VoteOut(
        value=value,
        next=StatementOut(id=following.pk, text=following.public_text) if following else None,
    )
