"""Carrying the analysts' edits from an exercise's previous analysis to a new run.

The new run's themes are matched one-to-one to the previous run's themes by the overlap of their
members as the pipeline gave them (Jaccard over the contributions present in both runs, at least
``MATCH_THRESHOLD``). The previous run's merges and splits are then replayed in order on the
matched themes, every matched theme takes the analyst's name, finding, conclusion and pinned
quotes (those whose contribution is still analysed), and contributions an analyst moved go back
to the theme they were moved to when that theme survives.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db import transaction

from urna.core.errors import Conflict
from urna.insights.models import Analysis, Assignment, Operation, Theme
from urna.insights.services.common import IN_CHUNK, chunks, recount
from urna.insights.services.edits import apply_merge, apply_split

MATCH_THRESHOLD = 0.5


def _jaccard_matches(
    old_of: dict[int, int | None], new_of: dict[int, int | None]
) -> list[tuple[float, int, int]]:
    """(jaccard, old theme, new theme) for every overlapping pair, over common contributions."""
    common = old_of.keys() & new_of.keys()
    pairs: Counter = Counter()
    old_size: Counter = Counter()
    new_size: Counter = Counter()
    for cid in common:
        a, b = old_of[cid], new_of[cid]
        if a is not None:
            old_size[a] += 1
        if b is not None:
            new_size[b] += 1
        if a is not None and b is not None:
            pairs[(a, b)] += 1
    scored = [
        (inter / (old_size[a] + new_size[b] - inter), a, b) for (a, b), inter in pairs.items()
    ]
    return sorted(scored, key=lambda s: (-s[0], s[1], s[2]))


def _one_to_one(scored: list[tuple[float, int, int]]) -> dict[int, int]:
    mapping: dict[int, int] = {}
    taken: set[int] = set()
    for score, a, b in scored:
        if score < MATCH_THRESHOLD:
            break
        if a in mapping or b in taken:
            continue
        mapping[a] = b
        taken.add(b)
    return mapping


def carry_edits(old: Analysis, new: Analysis) -> None:
    old_base = dict(
        Assignment.objects.filter(analysis=old).values_list("contribution_id", "base_theme_id")
    )
    new_base = dict(
        Assignment.objects.filter(analysis=new).values_list("contribution_id", "base_theme_id")
    )
    engine_themes = set(
        Theme.objects.filter(analysis=old, origin=Theme.Origin.ENGINE).values_list("pk", flat=True)
    )
    old_base = {c: (t if t in engine_themes else None) for c, t in old_base.items()}
    mapping = _one_to_one(_jaccard_matches(old_base, new_base))
    # Themes that disappeared by a replayed merge map to the theme they went into, for moves.
    absorbed: dict[int, int] = {}
    for op in Operation.objects.filter(analysis=old).order_by("id"):
        if op.kind == Operation.Kind.MERGE:
            source, target = mapping.get(op.data["source"]), mapping.get(op.data["target"])
            if source and target and source != target:
                source_theme = Theme.objects.get(pk=source)
                target_theme = Theme.objects.get(pk=target)
                if source_theme.live and target_theme.live:
                    with transaction.atomic():
                        apply_merge(source_theme, target_theme)
                        Operation.objects.create(
                            analysis=new,
                            kind=op.kind,
                            data={"source": source, "target": target},
                            by=op.by,
                        )
                    absorbed[op.data["source"]] = target
        elif op.kind == Operation.Kind.SPLIT:
            parent = mapping.get(op.data["theme"])
            theme = Theme.objects.filter(pk=parent).first() if parent else None
            if theme is None or not theme.live:
                continue
            try:
                with transaction.atomic():
                    halves = apply_split(theme)
                    Operation.objects.create(
                        analysis=new,
                        kind=op.kind,
                        data={"theme": theme.pk, "into": [h.pk for h in halves]},
                        by=op.by,
                    )
            except Conflict:
                continue
            old_members = dict(
                Assignment.objects.filter(analysis=old, theme_id__in=op.data["into"]).values_list(
                    "contribution_id", "theme_id"
                )
            )
            new_members = dict(
                Assignment.objects.filter(
                    analysis=new, theme_id__in=[h.pk for h in halves]
                ).values_list("contribution_id", "theme_id")
            )
            for score, a, b in _jaccard_matches(old_members, new_members):
                if score > 0 and a not in mapping and b not in mapping.values():
                    mapping[a] = b
    _carry_attributes(old, new, mapping)
    _carry_moves(old, new, {**absorbed, **mapping})
    recount(Theme.objects.filter(analysis=new).values_list("pk", flat=True))


def _carry_attributes(old: Analysis, new: Analysis, mapping: dict[int, int]) -> None:
    present = set(Assignment.objects.filter(analysis=new).values_list("contribution_id", flat=True))
    targets = {t.pk: t for t in Theme.objects.filter(analysis=new, pk__in=mapping.values())}
    for theme in Theme.objects.filter(analysis=old, pk__in=mapping.keys()):
        target = targets.get(mapping[theme.pk])
        if target is None or not theme.live:
            continue
        target.analyst_label = theme.analyst_label
        target.is_finding = theme.is_finding
        target.conclusion = theme.conclusion
        target.pinned_ids = [cid for cid in theme.pinned_ids if cid in present]
        target.save(update_fields=["analyst_label", "is_finding", "conclusion", "pinned_ids"])


def _carry_moves(old: Analysis, new: Analysis, mapping: dict[int, int]) -> None:
    moved = Assignment.objects.filter(analysis=old, analyst_moved=True).values_list(
        "contribution_id", "theme_id"
    )
    live = set(Theme.objects.filter(analysis=new, live=True).values_list("pk", flat=True))
    by_target: dict[int | None, list[int]] = defaultdict(list)
    for contribution_id, theme_id in moved:
        if theme_id is None:
            by_target[None].append(contribution_id)
            continue
        target = mapping.get(theme_id)
        if target in live:
            by_target[target].append(contribution_id)
    for target, ids in by_target.items():
        for chunk in chunks(ids, IN_CHUNK):
            Assignment.objects.filter(analysis=new, contribution_id__in=chunk).update(
                theme_id=target, analyst_moved=True
            )
