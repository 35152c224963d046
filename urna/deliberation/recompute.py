"""Recomputing a deliberation's groups in the background, at most once every N seconds.

A vote (or a moderation) calls ``recompute_request``: the first one since the last recompute
started flips the deliberation's ``dirty`` flag and queues the ``deliberation.recompute`` job
for no sooner than ``recompute_seconds`` after that start; every later vote finds the flag
already set and costs one indexed read. The job's unique key names its time
slot, so two requests never queue two jobs for one slot, while the running job never blocks the
next one from being queued.

``deliberation_recompute`` claims the slot (clears the flag, stamps ``recomputed_at``; a second
worker finds the slot taken and reschedules instead), reads the votes on published statements
straight from the covering index, runs ``maths.analyse`` and stores ``DeliberationResult``.
Votes that arrive meanwhile flip the flag again and queue the next slot.
"""

import math
import time
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from threadpoolctl import threadpool_limits

from urna.deliberation import maths
from urna.deliberation.models import Deliberation, DeliberationResult, Statement, Vote
from urna.jobs.registry import enqueue

RECOMPUTE_TASK = "deliberation.recompute"
MAP_POINTS = 1500
FETCH_ROWS = 200_000


def _slot(deliberation_id: int, interval: int, run_at: datetime) -> tuple[datetime, str]:
    slot = math.ceil(run_at.timestamp() / interval)
    at = datetime.fromtimestamp(slot * interval, tz=run_at.tzinfo)
    return at, f"{RECOMPUTE_TASK}:{deliberation_id}:{slot}"


def _schedule(deliberation_id: int, interval: int, last: datetime | None) -> None:
    now = timezone.now()
    earliest = now if last is None else max(now, last + timedelta(seconds=interval))
    run_at, key = _slot(deliberation_id, interval, earliest)
    enqueue(RECOMPUTE_TASK, run_at=run_at, unique_key=key, deliberation_id=deliberation_id)


def recompute_request(deliberation: Deliberation) -> None:
    """The votes changed: queue a recompute unless one is queued already. The common case (a
    job is queued: the flag is set) is one read and no write; the flip and the job are written
    together, in one transaction."""
    if not Deliberation.objects.filter(pk=deliberation.pk, dirty=False).exists():
        return
    with transaction.atomic():
        if not Deliberation.objects.filter(pk=deliberation.pk, dirty=False).update(dirty=True):
            return
        interval, last = (
            Deliberation.objects.filter(pk=deliberation.pk)
            .values_list("recompute_seconds", "recomputed_at")
            .get()
        )
        _schedule(deliberation.pk, interval, last)


def recompute_now(deliberation: Deliberation) -> None:
    """Staff asked for a recompute: queue one that skips the throttle (once at a time)."""
    enqueue(
        RECOMPUTE_TASK,
        unique_key=f"{RECOMPUTE_TASK}:{deliberation.pk}:now",
        deliberation_id=deliberation.pk,
        force=True,
    )


def votes_read(deliberation_id: int) -> maths.Matrix:
    """The votes on the deliberation's published statements, as a matrix. One pass over the
    covering index ``delib_vote_matrix``, fetched in blocks into numpy arrays."""
    published = np.array(
        Statement.objects.filter(
            deliberation_id=deliberation_id, moderation=Statement.Moderation.PUBLISHED
        ).values_list("pk", flat=True),
        dtype=np.int64,
    )
    table = Vote._meta.db_table
    blocks = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT participant_id, statement_id, value FROM {table} "  # noqa: S608 - model's own table
            "WHERE deliberation_id = %s",
            [deliberation_id],
        )
        while rows := cursor.fetchmany(FETCH_ROWS):
            blocks.append(np.array(rows, dtype=np.int64).reshape(-1, 3))
    votes = np.concatenate(blocks) if blocks else np.zeros((0, 3), dtype=np.int64)
    votes = votes[np.isin(votes[:, 1], published)]
    return maths.matrix_build(votes[:, 0], votes[:, 1], votes[:, 2])


def _claim(deliberation_id: int, interval: int, force: bool) -> bool:
    now = timezone.now()
    due = Q(recomputed_at__isnull=True) | Q(recomputed_at__lte=now - timedelta(seconds=interval))
    claimed = Deliberation.objects.filter(Q(pk=deliberation_id) & (Q() if force else due)).update(
        dirty=False, recomputed_at=now
    )
    return bool(claimed)


def _previous(deliberation_id: int) -> maths.Previous:
    stored = (
        DeliberationResult.objects.filter(deliberation_id=deliberation_id)
        .values_list("k", "groups", "components")
        .first()
    )
    if stored is None:
        return maths.Previous()
    k, groups, components = stored
    return maths.Previous(
        k=k,
        centres=[g["centre"] for g in groups],
        components={int(s): v for s, v in components.items()},
    )


def deliberation_recompute(*, deliberation_id: int, force: bool = False) -> dict[str, Any]:
    """Recompute and store the groups (the job's body). ``force`` skips the throttle (staff's
    "recompute now", the demo); otherwise a slot claimed less than ``recompute_seconds`` ago is
    left to the job queued after it."""
    deliberation = Deliberation.objects.filter(pk=deliberation_id).first()
    if deliberation is None:
        return {"skipped": "deleted"}
    if not _claim(deliberation_id, deliberation.recompute_seconds, force):
        deliberation.refresh_from_db(fields=["recomputed_at"])
        _schedule(deliberation_id, deliberation.recompute_seconds, deliberation.recomputed_at)
        return {"skipped": "throttled"}
    started = time.perf_counter()
    matrix = votes_read(deliberation_id)
    # One thread: the web workers share the machine's cores, and BLAS/OpenMP threads spinning
    # on a busy core made the maths two to three times slower than one thread (bench, 2 cores).
    with threadpool_limits(limits=1):
        analysis = maths.analyse(
            matrix, min_votes=deliberation.min_votes, previous=_previous(deliberation_id)
        )
    fields = result_fields(analysis)
    fields["seconds"] = round(time.perf_counter() - started, 3)
    with transaction.atomic():
        DeliberationResult.objects.update_or_create(deliberation=deliberation, defaults=fields)
    return {
        "k": analysis.k,
        "participants": fields["participant_count"],
        "votes": fields["vote_count"],
        "seconds": fields["seconds"],
    }


def _group_entry(analysis: maths.Analysis, g: int) -> dict[str, Any]:
    members = analysis.projection[analysis.labels == g]
    index = {int(s): j for j, s in enumerate(analysis.statement_ids)}
    repness = []
    for item in analysis.repness[g]:
        j = index[item["tid"]]
        repness.append(
            {
                "statement": item["tid"],
                "direction": item["repful-for"],
                "best_agree": bool(item.get("best-agree")),
                "agree": int(analysis.stats["na"][g, j]),
                "disagree": int(analysis.stats["nd"][g, j]),
                "seen": int(analysis.stats["ns"][g, j]),
                "p": round(item["p-success"], 4),
                "p_test": round(item["p-test"], 4),
                "repness": round(item["repness"], 4),
                "repness_test": round(item["repness-test"], 4),
            }
        )
    return {
        "id": g,
        "size": len(members),
        "centre": [float(c) for c in analysis.centres[g]],
        "ellipse": {k: round(v, 4) for k, v in maths.ellipse(members).items()},
        "repness": repness,
    }


def _statement_stats(analysis: maths.Analysis) -> dict[str, Any]:
    stats: dict[str, Any] = {}
    for j, s in enumerate(analysis.statement_ids):
        entry = {
            "agree": int(analysis.overall["na"][j]),
            "disagree": int(analysis.overall["nd"][j]),
            "seen": int(analysis.overall["ns"][j]),
            "groups": [
                [int(analysis.stats[n][g, j]) for n in ("na", "nd", "ns")]
                for g in range(analysis.k)
            ],
        }
        if analysis.k:
            entry["group_consensus"] = round(float(analysis.group_consensus["agree"][j]), 4)
        stats[str(int(s))] = entry
    return stats


def _map_points(analysis: maths.Analysis) -> list[list[float]]:
    placed = np.flatnonzero(analysis.placed)
    if len(placed) > MAP_POINTS:
        placed = np.sort(
            np.random.default_rng(maths.SEED).choice(placed, MAP_POINTS, replace=False)
        )
    return [
        [
            round(float(analysis.projection[i, 0]), 3),
            round(float(analysis.projection[i, 1]), 3),
            int(analysis.labels[i]),
        ]
        for i in placed
    ]


def result_fields(analysis: maths.Analysis) -> dict[str, Any]:
    """What ``DeliberationResult`` stores of an analysis (JSON-ready)."""
    consensus = {
        direction: [
            {
                "statement": item["tid"],
                "agree_or_disagree": item["n-success"],
                "seen": item["n-trials"],
                "p": round(item["p-success"], 4),
                "p_test": round(item["p-test"], 4),
            }
            for item in items
        ]
        for direction, items in analysis.consensus.items()
    }
    return {
        "computed_at": timezone.now(),
        "vote_count": int(analysis.votes.sum()),
        "participant_count": len(analysis.participant_ids),
        "placed_count": int(analysis.placed.sum()),
        "statement_count": len(analysis.statement_ids),
        "k": analysis.k,
        "silhouettes": {str(k): round(v, 4) for k, v in analysis.silhouettes.items()},
        "groups": [_group_entry(analysis, g) for g in range(analysis.k)],
        "consensus": consensus,
        "statement_stats": _statement_stats(analysis),
        "components": {
            str(int(s)): [round(float(v), 6) for v in analysis.components[:, j]]
            for j, s in enumerate(analysis.statement_ids)
        },
        "map_points": _map_points(analysis),
        "projection": maths.projection_pack(analysis),
    }
