"""The raw rows of a deliberation's open-data tables, for ``urna.opendata`` (which sits above
and declares the columns, their treatment and anonymisation).

Each source takes an exercise and yields tuples; an exercise without a deliberation yields
nothing. Participants appear only by their row id, which the open-data table turns into an
opaque keyed hash (``OPAQUE_ID``): never an account, a contact, a cookie or a channel address.
Only published statements and the votes on them are published; statement texts are the
masked ones.
"""

from collections.abc import Iterator
from typing import Any

from urna.deliberation.maths import projection_unpack
from urna.deliberation.models import Deliberation, DeliberationResult, Statement, Vote
from urna.deliberation.selectors import GROUP_LETTERS

CHUNK = 5000


def _deliberation(exercise: Any) -> Deliberation | None:
    return Deliberation.objects.filter(exercise=exercise).first()


def statement_rows(exercise: Any) -> Iterator[tuple]:
    """(statement id, masked text, origin, agree, disagree, pass) of each published statement."""
    deliberation = _deliberation(exercise)
    if deliberation is None:
        return
    result = DeliberationResult.objects.filter(deliberation=deliberation).only("statement_stats")
    stats = result[0].statement_stats if result else {}
    for pk, text, origin in (
        Statement.objects.filter(
            deliberation=deliberation, moderation=Statement.Moderation.PUBLISHED
        )
        .order_by("id")
        .values_list("pk", "public_text", "origin")
    ):
        counts = stats.get(str(pk))
        agree = counts["agree"] if counts else None
        disagree = counts["disagree"] if counts else None
        passes = counts["seen"] - counts["agree"] - counts["disagree"] if counts else None
        yield (pk, text, origin, agree, disagree, passes)


def vote_rows(exercise: Any) -> Iterator[tuple]:
    """(participant row id, statement id, vote, channel) of every vote on a published
    statement, in participant order."""
    deliberation = _deliberation(exercise)
    if deliberation is None:
        return
    yield from (
        Vote.objects.filter(
            deliberation=deliberation, statement__moderation=Statement.Moderation.PUBLISHED
        )
        .order_by("participant_id", "statement_id")
        .values_list("participant_id", "statement_id", "value", "channel")
        .iterator(chunk_size=CHUNK)
    )


def participant_group_rows(exercise: Any) -> Iterator[tuple]:
    """(participant row id, group letter, x, y) of every participant placed in the last run."""
    deliberation = _deliberation(exercise)
    if deliberation is None:
        return
    blob = (
        DeliberationResult.objects.filter(deliberation=deliberation)
        .values_list("projection", flat=True)
        .first()
    )
    ids, xy, groups = projection_unpack(blob or b"")
    for pk, (x, y), g in zip(ids.tolist(), xy.tolist(), groups.tolist(), strict=True):
        yield (pk, GROUP_LETTERS[g] if g >= 0 else None, round(x, 4), round(y, 4))


def group_statement_rows(exercise: Any) -> Iterator[tuple]:
    """(kind, group letter or None, statement id, direction, agree, disagree, seen, p, p-test,
    repness, repness-test): the representative statements of each group (kind
    ``representativa``) and the consensus statements over everyone (kind ``consenso``)."""
    deliberation = _deliberation(exercise)
    if deliberation is None:
        return
    result = DeliberationResult.objects.filter(deliberation=deliberation).defer("projection")
    if not result:
        return
    result = result[0]
    for g in result.groups:
        for r in g["repness"]:
            yield (
                "representativa",
                GROUP_LETTERS[g["id"]],
                r["statement"],
                r["direction"],
                r["agree"],
                r["disagree"],
                r["seen"],
                r["p"],
                r["p_test"],
                r["repness"],
                r["repness_test"],
            )
    for direction, items in result.consensus.items():
        for c in items:
            stats = result.statement_stats.get(str(c["statement"]), {})
            yield (
                "consenso",
                None,
                c["statement"],
                direction,
                stats.get("agree"),
                stats.get("disagree"),
                c["seen"],
                c["p"],
                c["p_test"],
                None,
                None,
            )
