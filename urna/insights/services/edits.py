"""The analysts' edits of the current analysis: rename a theme, mark it as a finding, merge,
split, move contributions between themes, pin quotes. Each checks ``insights.edit`` on the
exercise, refuses a replaced analysis or a theme already merged or split, writes the audit log and
stamps the analysis (open data and the report follow)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core.errors import Conflict, InvalidInput, NotFound
from urna.insights import pipeline
from urna.insights.models import Analysis, Assignment, DuplicateGroup, Operation, Theme
from urna.insights.selectors import analysis_current
from urna.insights.services.common import (
    CONCLUSION_MIN,
    IN_CHUNK,
    LABEL_MAX,
    MAX_PINNED,
    chunks,
    recount,
    report_changed,
    touch,
)


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
        touch(analysis)
        transaction.on_commit(lambda: report_changed(analysis.exercise))
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
        touch(analysis)
        transaction.on_commit(lambda: report_changed(analysis.exercise))
    return theme


def apply_merge(source: Theme, target: Theme) -> None:
    Assignment.objects.filter(theme=source).update(theme=target)
    DuplicateGroup.objects.filter(theme=source).update(theme=target)
    target.pinned_ids = list(dict.fromkeys([*target.pinned_ids, *source.pinned_ids]))[:MAX_PINNED]
    if source.is_finding and not target.is_finding:
        target.is_finding, target.conclusion = True, source.conclusion
    target.save(update_fields=["pinned_ids", "is_finding", "conclusion"])
    source.merged_into = target
    source.live = False
    source.save(update_fields=["merged_into", "live"])
    recount([source.pk, target.pk])


def theme_merge(*, source: Theme, target: Theme, by: Any, request: Any = None) -> Theme:
    """Fold ``source`` into ``target``: its contributions, groups and pinned quotes."""
    analysis = _editable(source, by)
    _editable(target, by)
    if source.analysis_id != target.analysis_id or source.pk == target.pk:
        raise InvalidInput(_("Elija otro tema del mismo análisis."), field="target")
    with transaction.atomic():
        apply_merge(source, target)
        Operation.objects.create(
            analysis=analysis,
            kind=Operation.Kind.MERGE,
            data={"source": source.pk, "target": target.pk},
            by=by,
        )
        _audit("insights.theme_merge", target, by, request, source=source.pk, target=target.pk)
        touch(analysis)
        transaction.on_commit(lambda: report_changed(analysis.exercise))
    target.refresh_from_db()
    return target


def apply_split(theme: Theme) -> tuple[Theme, Theme]:
    """Re-cluster a theme's members in two; the halves become new themes of the analysis."""
    rows = list(
        Assignment.objects.filter(theme=theme)
        .order_by("contribution_id")
        .values_list("contribution_id", "contribution__text")
    )
    result = pipeline.analyse(rows, k=2)
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
        for chunk in chunks(ids, IN_CHUNK):
            Assignment.objects.filter(analysis=theme.analysis, contribution_id__in=chunk).update(
                theme=half
            )
    for group in DuplicateGroup.objects.filter(theme=theme):
        half = half_of.get(group.representative_id, halves[0])
        DuplicateGroup.objects.filter(pk=group.pk).update(theme=half)
    theme.split_into = [h.pk for h in halves]
    theme.live = False
    theme.save(update_fields=["split_into", "live"])
    recount([theme.pk, *theme.split_into])
    for half in halves:
        half.refresh_from_db()
    return halves[0], halves[1]


def theme_split(*, theme: Theme, by: Any, request: Any = None) -> tuple[Theme, Theme]:
    """Split a theme in two by clustering its contributions again."""
    analysis = _editable(theme, by)
    with transaction.atomic():
        halves = apply_split(theme)
        Operation.objects.create(
            analysis=analysis,
            kind=Operation.Kind.SPLIT,
            data={"theme": theme.pk, "into": [h.pk for h in halves]},
            by=by,
        )
        _audit("insights.theme_split", theme, by, request, into=[h.pk for h in halves])
        touch(analysis)
        transaction.on_commit(lambda: report_changed(analysis.exercise))
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
        for chunk in chunks(ids, IN_CHUNK):
            rows = Assignment.objects.filter(analysis=analysis, contribution_id__in=chunk)
            sources |= set(rows.values_list("theme_id", flat=True))
            moved += rows.update(theme=to, analyst_moved=True)
        if moved != len(ids):
            raise NotFound(_("Algunos aportes no están en este análisis."))
        recount([*sources, to.pk if to else None])
        audit_record(
            action="insights.move",
            obj=analysis,
            actor=by,
            entity=analysis.exercise.owner,
            after={"contributions": ids[:200], "count": moved, "to": to.pk if to else None},
            ip=client_ip(request),
        )
        touch(analysis)
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
        touch(analysis)
        transaction.on_commit(lambda: report_changed(analysis.exercise))
    return theme
