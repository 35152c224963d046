"""Writes of the insights app: running an analysis, the analysts' edits, moderation flags.

``analysis_start`` queues a run (one at a time per exercise); the ``insights.analyse`` task calls
``analysis_run``, which reads the exercise's visible and pending contributions, runs the pipeline,
stores its result in chunks (short write transactions, so that on SQLite the site stays
responsive while 100k rows go in), carries the analysts' edits over from the previous analysis
and flags likely insults, threats and personal data for the moderators.

Carrying edits: the new run's themes are matched one-to-one to the previous run's themes by the
overlap of their members as the pipeline gave them (Jaccard over the contributions present in
both runs, at least ``MATCH_THRESHOLD``). The previous run's merges and splits are then replayed
in order on the matched themes, every matched theme takes the analyst's name, finding,
conclusion and pinned quotes (those whose contribution is still analysed), and contributions an
analyst moved go back to the theme they were moved to when that theme survives.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core.errors import Conflict, InvalidInput, NotFound
from urna.exercises.signals import results_changed
from urna.insights import moderation
from urna.insights.models import (
    Analysis,
    Assignment,
    DuplicateGroup,
    ModerationFlag,
    Operation,
    Theme,
)

logger = logging.getLogger("urna.insights")

CHUNK = 2000  # rows per write transaction
IN_CHUNK = 900  # ids per ``__in`` lookup (SQLite's variable limit on older builds)
MATCH_THRESHOLD = 0.5
MAX_PINNED = 5
K_MIN, K_MAX = 2, 30
LABEL_MAX = 200
CONCLUSION_MIN = 10
# Every exercise's analysis stamp, read by open data for each dataset of its catalogue.
STAMPS_CACHE_KEY = "insights:analysis-stamps"
STAMPS_CACHE_SECONDS = 60
# Share of the progress bar for the pipeline; the rest is storing and carrying edits.
PIPELINE_SHARE = 0.85


def analysed_contributions(exercise: Any):
    """The contributions an analysis reads: visible or awaiting moderation, with text."""
    from urna.exercises.models import Contribution

    return (
        Contribution.objects.filter(
            exercise=exercise,
            moderation__in=[Contribution.Moderation.VISIBLE, Contribution.Moderation.PENDING],
        )
        .exclude(text="")
        .order_by("id")
    )


def analysis_current(exercise: Any) -> Analysis | None:
    """The exercise's latest finished analysis (the one analysts edit and the public sees)."""
    return (
        Analysis.objects.filter(exercise=exercise, status=Analysis.Status.DONE)
        .order_by("-id")
        .first()
    )


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _touch(analysis: Analysis) -> None:
    analysis.updated_at = timezone.now()
    Analysis.objects.filter(pk=analysis.pk).update(updated_at=analysis.updated_at)
    _stamps_changed()


def _stamps_changed() -> None:
    # Now for this process's next read, and again after commit in case a read in between
    # cached the old value.
    cache.delete(STAMPS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(STAMPS_CACHE_KEY))


def _report_changed(exercise: Any) -> None:
    results_changed.send(sender=type(exercise), exercise=exercise)


# --- running an analysis -------------------------------------------------------------------------


def analysis_start(
    *, exercise: Any, by: Any, k: int | None = None, request: Any = None
) -> Analysis:
    """Queue an analysis of the exercise. Raises Conflict when one is already queued or running."""
    from urna.insights.tasks import analyse_task

    require(by, "insights.run", exercise)
    if k is not None and not K_MIN <= k <= K_MAX:
        raise InvalidInput(
            _("El número de temas debe estar entre %(min)s y %(max)s.")
            % {"min": K_MIN, "max": K_MAX},
            field="k",
        )
    busy = Conflict(_("Ya hay un análisis en curso para este ejercicio."), code="busy")
    with transaction.atomic():
        try:
            with transaction.atomic():
                analysis = Analysis.objects.create(exercise=exercise, k=k, run_by=by)
        except IntegrityError:
            raise busy from None
        job = analyse_task.enqueue(
            analysis_id=analysis.pk,
            unique_key=f"insights.analyse:{exercise.pk}",
            entity_id=exercise.owner_id,
        )
        if job is None:
            raise busy
        analysis.job_id = job.pk
        analysis.save(update_fields=["job_id"])
        audit_record(
            action="insights.run",
            obj=analysis,
            actor=by,
            entity=exercise.owner,
            after={"exercise": exercise.slug, "k": k},
            ip=client_ip(request),
        )
    return analysis


class _Progress:
    """Writes progress to the analysis row and its job, at most every 1% or every second."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.last_fraction = -1.0
        self.last_time = 0.0

    def __call__(self, note: str, fraction: float, *, force: bool = False) -> None:
        from urna.jobs.services import job_progress

        now = time.monotonic()
        if not force and fraction - self.last_fraction < 0.01 and now - self.last_time < 1:
            return
        self.last_fraction, self.last_time = fraction, now
        note = str(note)[:200]
        Analysis.objects.filter(pk=self.analysis.pk).update(progress=fraction, progress_note=note)
        job_progress(job_id=self.analysis.job_id, fraction=fraction, note=note)


STAGE_NOTES = {
    "text": gettext_lazy("Preparando los textos"),
    "duplicates": gettext_lazy("Buscando campañas y textos repetidos"),
    "themes": gettext_lazy("Agrupando en temas"),
    "done": gettext_lazy("Guardando los resultados"),
}


def _clear_results(analysis: Analysis) -> None:
    """Remove what a failed or interrupted run of this analysis stored (safe to run twice)."""
    Operation.objects.filter(analysis=analysis).delete()
    Assignment.objects.filter(analysis=analysis).delete()
    DuplicateGroup.objects.filter(analysis=analysis).delete()
    Theme.objects.filter(analysis=analysis).delete()


def analysis_run(*, analysis_id: int) -> dict[str, Any]:
    """Run a queued analysis now (the task's body; the demo calls it directly)."""
    from urna.insights.pipeline import analyse

    analysis = Analysis.objects.select_related("exercise").get(pk=analysis_id)
    if analysis.status == Analysis.Status.DONE:
        return {"analysis": analysis.pk, "skipped": True}
    exercise = analysis.exercise
    _clear_results(analysis)
    analysis.status = Analysis.Status.RUNNING
    analysis.started_at = timezone.now()
    analysis.error = ""
    analysis.save(update_fields=["status", "started_at", "error"])
    progress = _Progress(analysis)
    try:
        items = list(analysed_contributions(exercise).values_list("id", "text").iterator(5000))
        progress(STAGE_NOTES["text"], 0.0, force=True)
        result = analyse(
            items,
            k=analysis.k,
            progress=lambda stage, f: progress(
                str(STAGE_NOTES.get(stage, stage)), f * PIPELINE_SHARE
            ),
        )
        _store(analysis, result, progress)
        previous = analysis_current(exercise)
        if previous is not None:
            progress(_("Conservando los cambios de los analistas"), 0.95, force=True)
            _carry(previous, analysis)
        flags_scan(exercise=exercise, items=items)
    except Exception as exc:
        _clear_results(analysis)
        Analysis.objects.filter(pk=analysis.pk).update(
            status=Analysis.Status.FAILED,
            error=f"{exc.__class__.__name__}: {str(exc)[:400]}",
            finished_at=timezone.now(),
        )
        raise
    now = timezone.now()
    with transaction.atomic():
        Analysis.objects.filter(pk=analysis.pk).update(
            status=Analysis.Status.DONE,
            progress=1,
            progress_note="",
            statistics=_statistics_json(result.to_dict()["statistics"]),
            previous=previous,
            finished_at=now,
            updated_at=now,
        )
        audit_record(
            action="insights.done",
            obj=analysis,
            actor_label="system",
            entity=exercise.owner,
            after={"themes": len(result.themes), "contributions": len(items)},
        )
        transaction.on_commit(lambda: _report_changed(exercise))
        _stamps_changed()
    _prune(exercise, keep=analysis.pk)
    return {"analysis": analysis.pk, "themes": len(result.themes), "contributions": len(items)}


def _statistics_json(stats: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in stats.items() if key != "seconds"} | {
        "seconds": stats.get("seconds", {})
    }


def _store(analysis: Analysis, result: Any, progress: _Progress) -> None:
    themes = Theme.objects.bulk_create(
        [
            Theme(
                analysis=analysis,
                key=t.id,
                label=t.label[:LABEL_MAX],
                terms=t.terms,
                size=t.size,
                distinct_size=t.distinct_size,
                quote_ids=[q.id for q in t.quotes],
            )
            for t in result.themes
        ]
    )
    theme_pk = {t.key: t.pk for t in themes}
    group_of: dict[int, int] = {}
    for chunk in _chunks(result.duplicate_groups, CHUNK):
        with transaction.atomic():
            rows = DuplicateGroup.objects.bulk_create(
                [
                    DuplicateGroup(
                        analysis=analysis,
                        key=g.id,
                        size=g.size,
                        representative_id=g.representative_id,
                        exact=g.exact,
                        theme_id=theme_pk.get(g.theme_id),
                    )
                    for g in chunk
                ]
            )
        for group, row in zip(chunk, rows, strict=True):
            group_of.update(dict.fromkeys(group.member_ids, row.pk))
    theme_of = result.theme_of()
    ids = list(theme_of)
    for n, chunk in enumerate(_chunks(ids, CHUNK)):
        rows = []
        for contribution_id in chunk:
            theme = theme_pk.get(theme_of[contribution_id])
            rows.append(
                Assignment(
                    analysis=analysis,
                    contribution_id=contribution_id,
                    theme_id=theme,
                    base_theme_id=theme,
                    group_id=group_of.get(contribution_id),
                )
            )
        with transaction.atomic():
            Assignment.objects.bulk_create(rows)
        done = min(1.0, (n + 1) * CHUNK / max(len(ids), 1))
        progress(STAGE_NOTES["done"], PIPELINE_SHARE + (0.95 - PIPELINE_SHARE) * done)


def _prune(exercise: Any, *, keep: int) -> None:
    """Older analyses keep their themes (a small record) but not their 100k-row memberships."""
    old = list(
        Analysis.objects.filter(exercise=exercise, status=Analysis.Status.DONE)
        .exclude(pk=keep)
        .filter(Q(assignments__isnull=False) | Q(duplicate_groups__isnull=False))
        .values_list("pk", flat=True)
        .distinct()
    )
    for pk in old:
        Assignment.objects.filter(analysis_id=pk).delete()
        DuplicateGroup.objects.filter(analysis_id=pk).delete()


# --- carrying the analysts' edits to a new run ----------------------------------------------------


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


def _carry(old: Analysis, new: Analysis) -> None:
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
                        _merge(source_theme, target_theme)
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
                    halves = _split(theme)
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
    _recount(Theme.objects.filter(analysis=new).values_list("pk", flat=True))


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
        for chunk in _chunks(ids, IN_CHUNK):
            Assignment.objects.filter(analysis=new, contribution_id__in=chunk).update(
                theme_id=target, analyst_moved=True
            )


def _recount(theme_ids: Iterable[int]) -> None:
    """Recompute the sizes of themes: all contributions, and one per duplicate group."""
    theme_ids = [pk for pk in theme_ids if pk is not None]
    counts = {
        row["theme_id"]: row
        for row in Assignment.objects.filter(theme_id__in=theme_ids)
        .values("theme_id")
        .annotate(
            n=Count("id"),
            groups=Count("group_id", distinct=True),
            singles=Count("id", filter=Q(group__isnull=True)),
        )
        .order_by()
    }
    for pk in theme_ids:
        row = counts.get(pk)
        size = row["n"] if row else 0
        distinct = (row["groups"] + row["singles"]) if row else 0
        Theme.objects.filter(pk=pk).update(size=size, distinct_size=distinct)


# --- analyst edits -------------------------------------------------------------------------------


def _editable(theme: Theme, by: Any) -> Analysis:
    analysis = theme.analysis
    require(by, "insights.edit", analysis.exercise)
    current = analysis_current(analysis.exercise)
    if current is None or current.pk != analysis.pk:
        raise Conflict(_("Este análisis ya fue reemplazado por uno más reciente."), code="stale")
    if not theme.live:
        raise Conflict(_("Este tema ya fue fusionado o dividido."), code="not_live")
    return analysis


def _audit(action: str, theme: Theme, by: Any, request: Any, **changes: Any) -> None:
    audit_record(
        action=action,
        obj=theme,
        actor=by,
        entity=theme.analysis.exercise.owner,
        before=changes.pop("before", None),
        after=changes or None,
        ip=client_ip(request),
    )


def theme_rename(*, theme: Theme, label: str, by: Any, request: Any = None) -> Theme:
    """Give a theme the analyst's name (an empty name goes back to the automatic label)."""
    analysis = _editable(theme, by)
    label = " ".join((label or "").split())
    if len(label) > LABEL_MAX:
        raise InvalidInput(
            _("El nombre es demasiado largo (máximo %(n)s caracteres).") % {"n": LABEL_MAX},
            field="label",
        )
    with transaction.atomic():
        before = theme.analyst_label
        theme.analyst_label = label
        theme.save(update_fields=["analyst_label"])
        _audit("insights.theme_rename", theme, by, request, before={"label": before}, label=label)
        _touch(analysis)
        transaction.on_commit(lambda: _report_changed(analysis.exercise))
    return theme


def theme_finding(
    *, theme: Theme, is_finding: bool, conclusion: str, by: Any, request: Any = None
) -> Theme:
    """Mark (or unmark) a theme as a finding, with the analyst's written conclusion."""
    analysis = _editable(theme, by)
    conclusion = (conclusion or "").strip()
    if is_finding and len(conclusion) < CONCLUSION_MIN:
        raise InvalidInput(
            _("Escriba la conclusión del hallazgo (mínimo %(n)s caracteres).")
            % {"n": CONCLUSION_MIN},
            field="conclusion",
        )
    with transaction.atomic():
        before = {"is_finding": theme.is_finding, "conclusion": theme.conclusion}
        theme.is_finding = is_finding
        theme.conclusion = conclusion
        theme.save(update_fields=["is_finding", "conclusion"])
        _audit(
            "insights.theme_finding",
            theme,
            by,
            request,
            before=before,
            is_finding=is_finding,
            conclusion=conclusion,
        )
        _touch(analysis)
        transaction.on_commit(lambda: _report_changed(analysis.exercise))
    return theme


def _merge(source: Theme, target: Theme) -> None:
    Assignment.objects.filter(theme=source).update(theme=target)
    DuplicateGroup.objects.filter(theme=source).update(theme=target)
    target.pinned_ids = list(dict.fromkeys([*target.pinned_ids, *source.pinned_ids]))[:MAX_PINNED]
    if source.is_finding and not target.is_finding:
        target.is_finding, target.conclusion = True, source.conclusion
    target.save(update_fields=["pinned_ids", "is_finding", "conclusion"])
    source.merged_into = target
    source.live = False
    source.save(update_fields=["merged_into", "live"])
    _recount([source.pk, target.pk])


def theme_merge(*, source: Theme, target: Theme, by: Any, request: Any = None) -> Theme:
    """Fold ``source`` into ``target``: its contributions, groups and pinned quotes."""
    analysis = _editable(source, by)
    _editable(target, by)
    if source.analysis_id != target.analysis_id or source.pk == target.pk:
        raise InvalidInput(_("Elija otro tema del mismo análisis."), field="target")
    with transaction.atomic():
        _merge(source, target)
        Operation.objects.create(
            analysis=analysis,
            kind=Operation.Kind.MERGE,
            data={"source": source.pk, "target": target.pk},
            by=by,
        )
        _audit("insights.theme_merge", target, by, request, source=source.pk, target=target.pk)
        _touch(analysis)
        transaction.on_commit(lambda: _report_changed(analysis.exercise))
    target.refresh_from_db()
    return target


def _split(theme: Theme) -> tuple[Theme, Theme]:
    """Re-cluster a theme's members in two; the halves become new themes of the analysis."""
    from urna.insights.pipeline import analyse

    rows = list(
        Assignment.objects.filter(theme=theme)
        .order_by("contribution_id")
        .values_list("contribution_id", "contribution__text")
    )
    result = analyse(rows, k=2)
    if len(result.themes) < 2 or min(t.size for t in result.themes) == 0:
        raise Conflict(
            _("Este tema no tiene textos suficientemente distintos para dividirlo."),
            code="cannot_split",
        )
    last_key = Theme.objects.filter(analysis=theme.analysis).order_by("-key").first().key
    halves = []
    for n, part in enumerate(result.themes):
        halves.append(
            Theme.objects.create(
                analysis=theme.analysis,
                key=last_key + 1 + n,
                origin=Theme.Origin.SPLIT,
                label=part.label[:LABEL_MAX],
                terms=part.terms,
                quote_ids=[q.id for q in part.quotes],
                pinned_ids=[cid for cid in theme.pinned_ids if cid in set(part.member_ids)],
            )
        )
    # Texts too short to cluster again stay with the larger half.
    members = [list(result.themes[0].member_ids) + list(result.unclassified_ids)]
    members.append(list(result.themes[1].member_ids))
    half_of: dict[int, Theme] = {}
    for half, ids in zip(halves, members, strict=True):
        half_of.update(dict.fromkeys(ids, half))
        for chunk in _chunks(ids, IN_CHUNK):
            Assignment.objects.filter(analysis=theme.analysis, contribution_id__in=chunk).update(
                theme=half
            )
    for group in DuplicateGroup.objects.filter(theme=theme):
        half = half_of.get(group.representative_id, halves[0])
        DuplicateGroup.objects.filter(pk=group.pk).update(theme=half)
    theme.split_into = [h.pk for h in halves]
    theme.live = False
    theme.save(update_fields=["split_into", "live"])
    _recount([theme.pk, *theme.split_into])
    for half in halves:
        half.refresh_from_db()
    return halves[0], halves[1]


def theme_split(*, theme: Theme, by: Any, request: Any = None) -> tuple[Theme, Theme]:
    """Split a theme in two by clustering its contributions again."""
    analysis = _editable(theme, by)
    with transaction.atomic():
        halves = _split(theme)
        Operation.objects.create(
            analysis=analysis,
            kind=Operation.Kind.SPLIT,
            data={"theme": theme.pk, "into": [h.pk for h in halves]},
            by=by,
        )
        _audit("insights.theme_split", theme, by, request, into=[h.pk for h in halves])
        _touch(analysis)
        transaction.on_commit(lambda: _report_changed(analysis.exercise))
    return halves


def contributions_move(
    *,
    analysis: Analysis,
    contribution_ids: Sequence[int],
    to: Theme | None,
    by: Any,
    request: Any = None,
) -> int:
    """Move contributions to another theme (``to=None``: unclassified). Returns how many."""
    require(by, "insights.edit", analysis.exercise)
    current = analysis_current(analysis.exercise)
    if current is None or current.pk != analysis.pk:
        raise Conflict(_("Este análisis ya fue reemplazado por uno más reciente."), code="stale")
    if to is not None:
        if to.analysis_id != analysis.pk:
            raise InvalidInput(_("Elija un tema de este análisis."), field="to")
        if not to.live:
            raise Conflict(_("Este tema ya fue fusionado o dividido."), code="not_live")
    ids = sorted({int(c) for c in contribution_ids})
    if not ids:
        raise InvalidInput(_("Elija al menos un aporte."), field="contributions")
    with transaction.atomic():
        sources: set[int] = set()
        moved = 0
        for chunk in _chunks(ids, IN_CHUNK):
            rows = Assignment.objects.filter(analysis=analysis, contribution_id__in=chunk)
            sources |= set(rows.values_list("theme_id", flat=True))
            moved += rows.update(theme=to, analyst_moved=True)
        if moved != len(ids):
            raise NotFound(_("Algunos aportes no están en este análisis."))
        _recount([*sources, to.pk if to else None])
        audit_record(
            action="insights.move",
            obj=analysis,
            actor=by,
            entity=analysis.exercise.owner,
            after={"contributions": ids[:200], "count": moved, "to": to.pk if to else None},
            ip=client_ip(request),
        )
        _touch(analysis)
    return moved


def quote_pin(
    *, theme: Theme, contribution_id: int, pinned: bool, by: Any, request: Any = None
) -> Theme:
    """Pin (or unpin) one of the theme's contributions as a representative quote."""
    analysis = _editable(theme, by)
    contribution_id = int(contribution_id)
    if pinned:
        if not Assignment.objects.filter(theme=theme, contribution_id=contribution_id).exists():
            raise InvalidInput(_("Ese aporte no pertenece a este tema."), field="contribution")
        if contribution_id not in theme.pinned_ids and len(theme.pinned_ids) >= MAX_PINNED:
            raise Conflict(
                _("Un tema tiene como máximo %(n)s citas fijadas.") % {"n": MAX_PINNED},
                code="too_many_pins",
            )
        pins = list(dict.fromkeys([*theme.pinned_ids, contribution_id]))
    else:
        pins = [cid for cid in theme.pinned_ids if cid != contribution_id]
    with transaction.atomic():
        theme.pinned_ids = pins
        theme.save(update_fields=["pinned_ids"])
        _audit(
            "insights.quote_pin" if pinned else "insights.quote_unpin",
            theme,
            by,
            request,
            contribution=contribution_id,
        )
        _touch(analysis)
        transaction.on_commit(lambda: _report_changed(analysis.exercise))
    return theme


# --- moderation aid ------------------------------------------------------------------------------


def flags_scan(*, exercise: Any, items: Iterable[tuple[int, str]] | None = None) -> int:
    """Flag likely insults, threats and personal data; returns the number of new flags.

    Only flags: a moderator decides (``contribution_moderate``); nothing is hidden here. A flag
    already raised (resolved or not) for the same contribution and reason is not raised again.
    """
    if items is None:
        items = analysed_contributions(exercise).values_list("id", "text").iterator(5000)
    before = ModerationFlag.objects.filter(exercise=exercise).count()
    pending: list[ModerationFlag] = []

    def flush() -> None:
        with transaction.atomic():
            ModerationFlag.objects.bulk_create(pending, ignore_conflicts=True)
        pending.clear()

    for contribution_id, text in items:
        for code, reason in moderation.flag(text):
            pending.append(
                ModerationFlag(
                    contribution_id=contribution_id,
                    exercise_id=exercise.pk,
                    code=code,
                    reason=reason[:200],
                )
            )
        if len(pending) >= CHUNK:
            flush()
    if pending:
        flush()
    return ModerationFlag.objects.filter(exercise=exercise).count() - before


def flag_resolve(*, flag: ModerationFlag, by: Any, request: Any = None) -> ModerationFlag:
    """A moderator has looked at a flag (whatever they decided on the contribution)."""
    require(by, "contribution.moderate", flag.exercise)
    if flag.resolved_at is not None:
        return flag
    with transaction.atomic():
        flag.resolved_at = timezone.now()
        flag.resolved_by = by
        flag.save(update_fields=["resolved_at", "resolved_by"])
        audit_record(
            action="insights.flag_resolve",
            obj=flag,
            actor=by,
            entity=flag.exercise.owner,
            after={"code": flag.code},
            ip=client_ip(request),
        )
    return flag
