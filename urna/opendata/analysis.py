"""The one place where open data reads the insights app's analysis of an exercise.

``analysis_columns(exercise)`` returns the query expressions that give, for each contribution,
its theme id, theme label and duplicate-group id, as ``annotate()`` arguments for the
contributions queryset. The export then reads them in the same SQL statement as the rest of the
row: one LEFT JOIN to the contribution's assignment in the exercise's current analysis (and from
there to its theme), so no per-row queries and no million-entry dictionaries in memory.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, F, FilteredRelation, IntegerField, Max, Q, Value
from django.db.models.functions import Coalesce, NullIf

from urna.insights.models import Analysis
from urna.insights.selectors import analysis_current, analysis_stamp, themes_public


def _current_id(exercise: Any) -> int | None:
    analysis = analysis_current(exercise)
    return analysis.pk if analysis is not None else None


def analysis_columns(exercise: Any) -> dict[str, Any]:
    """``{"theme_id": expr, "theme_label": expr, "duplicate_group": expr}`` for ``exercise``."""
    current = _current_id(exercise)
    if current is None:
        return {
            "_theme_id": Value(None, output_field=IntegerField()),
            "_theme_label": Value(None, output_field=CharField()),
            "_duplicate_group": Value(None, output_field=IntegerField()),
        }
    return {
        "_insight": FilteredRelation(
            "insight_assignments", condition=Q(insight_assignments__analysis_id=current)
        ),
        "_theme_id": F("_insight__theme_id"),
        "_theme_label": Coalesce(
            NullIf(F("_insight__theme__analyst_label"), Value("")),
            F("_insight__theme__label"),
            output_field=CharField(),
        ),
        "_duplicate_group": F("_insight__group_id"),
    }


def analysis_themes(exercise: Any, *, quotes: int = 3) -> list[dict[str, Any]]:
    """Themes of the exercise with representative quotes and the analysts' findings, largest
    first: ``[{"label", "size", "quotes": [str], "finding": str}]``. Empty without analysis.
    Quotes are visible contributions only, already anonymised."""
    return [
        {
            "label": t["label"],
            "size": t["size"],
            "quotes": t["quotes"],
            "finding": t["conclusion"] if t["is_finding"] else "",
        }
        for t in themes_public(exercise, quotes=quotes)
    ]


def analysis_modified(exercise: Any) -> Any:
    """When the exercise's analysis last changed (None without analysis). Cached for all
    exercises at once (one query per catalogue, not one per dataset)."""
    return analysis_stamp(exercise)


def analyses_modified(exercises: Any) -> Any:
    """When any analysis of these exercises last changed (None without analyses): part of the
    catalogue's cache version, so an analyst's edit refreshes the catalogue."""
    return (
        Analysis.objects.filter(status=Analysis.Status.DONE, exercise__in=exercises)
        .aggregate(stamp=Max("updated_at"))
        .get("stamp")
    )
