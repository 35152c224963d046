"""Reads of deliberations: the public one of an exercise, the next statement for a participant,
the stored results as pages and the API show them, and the staff's moderation queue.

Pages read the stored ``DeliberationResult`` only; nothing here runs the maths.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import Mod

from urna.core.text import code_normalise
from urna.deliberation.models import Deliberation, DeliberationResult, Participant, Statement, Vote
from urna.exercises.models import Exercise

GROUP_LETTERS = "ABCDE"


def deliberation_public(slug: str) -> Deliberation | None:
    """The deliberation of a public exercise (not a draft), with its exercise. Every vote from
    the web or the API reads it: two indexed reads, without the ORM's query building (which
    cost five times the reads themselves, bench/deliberation.py)."""
    exercises = Exercise._meta.db_table
    found = next(
        iter(
            Exercise.objects.raw(
                f"SELECT * FROM {exercises} WHERE slug = %s AND status <> %s LIMIT 1",  # noqa: S608 - the models' own tables
                [slug, Exercise.Status.DRAFT.value],
            )
        ),
        None,
    )
    if found is None:
        return None
    deliberation = next(
        iter(
            Deliberation.objects.raw(
                f"SELECT * FROM {Deliberation._meta.db_table} WHERE exercise_id = %s LIMIT 1",  # noqa: S608
                [found.pk],
            )
        ),
        None,
    )
    if deliberation is not None:
        deliberation.exercise = found
    return deliberation


def deliberations_open(limit: int = 5) -> list[Deliberation]:
    """Open deliberations on exercises open now, newest first: what SMS, WhatsApp and USSD
    list."""
    return list(
        Deliberation.objects.select_related("exercise")
        .filter(status=Deliberation.Status.OPEN, exercise__in=Exercise.objects.open_now())
        .order_by("-id")[:limit]
    )


def deliberation_by_code(code: str) -> Deliberation | None:
    """The open deliberation of the open exercise with this short code (any case)."""
    code = code_normalise(code)
    if not code:
        return None
    return (
        Deliberation.objects.select_related("exercise")
        .filter(status=Deliberation.Status.OPEN, exercise__in=Exercise.objects.open_now())
        .filter(exercise__code=code)
        .first()
    )


def deliberation_of(exercise: Exercise) -> Deliberation | None:
    return Deliberation.objects.select_related("exercise").filter(exercise=exercise).first()


def next_statement_for(participant: Participant) -> Statement | None:
    """The next published statement the participant has not voted on, or None when none is
    left. The order is a fixed shuffle per participant, so a deliberation with many statements
    gets votes on all of them rather than on its first ones only."""
    voted = Vote.objects.filter(participant_id=participant.pk, statement_id=OuterRef("pk"))
    return (
        Statement.objects.filter(
            deliberation_id=participant.deliberation_id,
            moderation=Statement.Moderation.PUBLISHED,
        )
        .filter(~Exists(voted))
        .annotate(rank=Mod(F("id") * 7919 + participant.pk * 104729, 1000003))
        .order_by("rank", "id")
        .first()
    )


def statement_to_show(
    deliberation: Deliberation, participant: Participant | None
) -> Statement | None:
    """What the voting page shows: the participant's next statement, or for someone who has not
    voted yet the first published one."""
    if participant is not None:
        return next_statement_for(participant)
    return (
        Statement.objects.filter(
            deliberation=deliberation, moderation=Statement.Moderation.PUBLISHED
        )
        .order_by("id")
        .first()
    )


@dataclass(frozen=True)
class Progress:
    voted: int
    published: int

    @property
    def remaining(self) -> int:
        return max(0, self.published - self.voted)


def progress_for(participant: Participant) -> Progress:
    published = Statement.objects.filter(
        deliberation_id=participant.deliberation_id, moderation=Statement.Moderation.PUBLISHED
    )
    voted = Vote.objects.filter(
        participant_id=participant.pk, statement__moderation=Statement.Moderation.PUBLISHED
    ).count()
    return Progress(voted=voted, published=published.count())


def participant_find(
    deliberation: Deliberation, *, user: Any = None, anonymous_key: str | None = None
) -> Participant | None:
    """The participant a request already is (None before its first vote or proposal)."""
    if user is not None and getattr(user, "is_authenticated", False):
        lookup: dict[str, Any] = {"user": user}
    elif anonymous_key:
        lookup = {"anonymous_key": anonymous_key}
    else:
        return None
    found = Participant.objects.filter(deliberation=deliberation, **lookup).first()
    if found is not None:
        found.deliberation = deliberation
    return found


# --- the stored results, for the public page, the API and open data ------------------------------


@dataclass
class GroupView:
    id: int
    letter: str
    size: int
    share: float
    ellipse: dict[str, float]
    centre: list[float]
    statements: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ResultView:
    result: DeliberationResult
    groups: list[GroupView]
    consensus: dict[str, list[dict[str, Any]]]
    texts: dict[int, str]


def _pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def result_view(deliberation: Deliberation) -> ResultView | None:
    """The last stored result with the statements' public texts, or None before the first."""
    result = (
        DeliberationResult.objects.filter(deliberation=deliberation).defer("projection").first()
    )
    if result is None:
        return None
    wanted = {r["statement"] for g in result.groups for r in g["repness"]}
    wanted |= {c["statement"] for items in result.consensus.values() for c in items}
    texts = dict(
        Statement.objects.filter(
            pk__in=wanted, moderation=Statement.Moderation.PUBLISHED
        ).values_list("pk", "public_text")
    )
    placed = max(1, result.placed_count)
    groups = []
    for g in result.groups:
        view = GroupView(
            id=g["id"],
            letter=GROUP_LETTERS[g["id"]],
            size=g["size"],
            share=round(100 * g["size"] / placed),
            ellipse=g["ellipse"],
            centre=g["centre"],
        )
        for r in g["repness"]:
            if r["statement"] not in texts:  # rejected since the last recompute
                continue
            view.statements.append(
                {
                    **r,
                    "text": texts[r["statement"]],
                    "agree_pct": _pct(r["agree"], r["seen"]),
                    "disagree_pct": _pct(r["disagree"], r["seen"]),
                }
            )
        groups.append(view)
    consensus = {
        direction: [
            {
                **c,
                "text": texts[c["statement"]],
                "pct": _pct(c["agree_or_disagree"], c["seen"]),
                "groups": _group_shares(result, c["statement"], direction),
            }
            for c in items
            if c["statement"] in texts
        ]
        for direction, items in result.consensus.items()
    }
    return ResultView(result=result, groups=groups, consensus=consensus, texts=texts)


def _group_shares(result: DeliberationResult, statement_id: int, direction: str) -> list[int]:
    """Per group, the share (%) that agreed (or disagreed) with a statement."""
    stats = result.statement_stats.get(str(statement_id), {})
    column = 0 if direction == "agree" else 1
    return [_pct(counts[column], counts[2]) for counts in stats.get("groups", [])]


def statement_counts(deliberation: Deliberation) -> dict[str, int]:
    counts = dict(
        Statement.objects.filter(deliberation=deliberation)
        .values_list("moderation")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {state: counts.get(state, 0) for state in Statement.Moderation.values}


def published_statements(deliberation: Deliberation) -> Any:
    return Statement.objects.filter(
        deliberation=deliberation, moderation=Statement.Moderation.PUBLISHED
    ).order_by("id")


def moderation_queue(deliberation: Deliberation) -> Any:
    """Statements for the moderators: pending first, then the rest, newest first."""
    return (
        Statement.objects.filter(deliberation=deliberation)
        .annotate(
            pending=ExpressionWrapper(
                Q(moderation=Statement.Moderation.PENDING), output_field=BooleanField()
            )
        )
        .order_by("-pending", "-id")
    )
