"""Reads of the insights app: the workspace, breakdowns with the small-cell rule, public themes.

Public outputs (``themes_public``, ``findings_for_exercise``, ``breakdown_public``) show only
visible contributions, pass quotes through ``mask_personal_data`` and always apply complementary
small-cell suppression. The staff workspace suppresses cells of fewer than ``MIN_CELL`` people
too, without the complementary cells (staff see the exact totals anyway).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from urna.accounts.permissions import entity_ids_for
from urna.core.privacy import mask_personal_data
from urna.exercises.models import Contribution, Exercise
from urna.insights.models import Analysis, Assignment, DuplicateGroup, ModerationFlag, Theme
from urna.insights.pipeline import MISSING_VALUE, UNCLASSIFIED_ID, Breakdown, breakdown_table
from urna.territory.models import Department

MIN_CELL = 5
QUOTES_SHOWN = 5
# Every exercise's analysis stamp, read by open data for each dataset of its catalogue.
STAMPS_CACHE_KEY = "insights:analysis-stamps"
STAMPS_CACHE_SECONDS = 60
# Staff aggregates of an analysis (breakdowns, themes over time) are keyed by the analysis'
# last change; the timeout only bounds how long an erased demographic stays counted.
STAFF_CACHE_SECONDS = 600

# URL value → (label, contribution field).
DIMENSIONS: dict[str, tuple[Any, str]] = {
    "canal": (gettext_lazy("Canal"), "channel"),
    "departamento": (gettext_lazy("Departamento"), "department_id"),
    "edad": (gettext_lazy("Rango de edad"), "age_range"),
    "genero": (gettext_lazy("Género"), "gender"),
    "etnia": (gettext_lazy("Grupo étnico"), "ethnic_group"),
}


def analysed_contributions(exercise: Any):
    """The contributions an analysis reads: visible or awaiting moderation, with text."""
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


def exercises_for_analysis(*, user: Any) -> QuerySet:
    """Exercises the user may analyse, with their latest analysis' status."""
    latest = Analysis.objects.filter(exercise=OuterRef("pk")).order_by("-id")
    return (
        Exercise.objects.for_entities(entity_ids_for(user, "insights.view"))
        .exclude(status=Exercise.Status.DRAFT)
        .select_related("owner")
        .annotate(
            analysis_status=Subquery(latest.values("status")[:1]),
            analysis_finished=Subquery(latest.values("finished_at")[:1]),
        )
        .order_by("-created_at", "-id")
    )


def analysis_stamp(exercise: Any) -> Any:
    """When the exercise's current analysis last changed (None without one).

    Open data asks this for every dataset of its catalogue, so every exercise's stamp is read
    in one query and cached; the writing process drops the cache at once, other processes see
    a change within ``STAMPS_CACHE_SECONDS`` (open data caches its own stamps as long).
    """
    stamps = cache.get(STAMPS_CACHE_KEY)
    if stamps is None:
        stamps = dict(
            Analysis.objects.filter(status=Analysis.Status.DONE)
            .values("exercise_id")
            .annotate(stamp=Max("updated_at"))
            .order_by()
            .values_list("exercise_id", "stamp")
        )
        cache.set(STAMPS_CACHE_KEY, stamps, STAMPS_CACHE_SECONDS)
    return stamps.get(exercise.pk)


def analysis_latest(exercise: Any) -> Analysis | None:
    """The most recent analysis, whatever its status (for the progress bar)."""
    return Analysis.objects.filter(exercise=exercise).order_by("-id").first()


def live_themes(analysis: Analysis) -> QuerySet[Theme]:
    return Theme.objects.filter(analysis=analysis, live=True).order_by("-size", "key")


@dataclass
class ThemeView:
    theme: Theme
    quotes: list[dict[str, Any]]  # {"id", "text", "pinned"}


def _quote_texts(ids: set[int], *, public: bool) -> dict[int, str]:
    qs = Contribution.objects.filter(pk__in=ids)
    if public:
        qs = qs.filter(moderation=Contribution.Moderation.VISIBLE)
    return dict(qs.values_list("pk", "text"))


def _quotes_of(theme: Theme, texts: dict[int, str], limit: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pinned = set(theme.pinned_ids)
    for cid in dict.fromkeys([*theme.pinned_ids, *theme.quote_ids]):
        if cid in texts and len(out) < limit:
            out.append({"id": cid, "text": texts[cid], "pinned": cid in pinned})
    return out


def themes_with_quotes(
    analysis: Analysis, *, limit: int = QUOTES_SHOWN, public: bool = False
) -> list[ThemeView]:
    """Live themes, largest first, with their quotes (pinned first). Two queries."""
    themes = list(live_themes(analysis))
    ids = {cid for t in themes for cid in (*t.pinned_ids, *t.quote_ids)}
    texts = _quote_texts(ids, public=public)
    return [ThemeView(theme=t, quotes=_quotes_of(t, texts, limit)) for t in themes]


def unclassified_count(analysis: Analysis) -> int:
    return Assignment.objects.filter(analysis=analysis, theme__isnull=True).count()


def duplicate_groups(analysis: Analysis) -> QuerySet[DuplicateGroup]:
    """Groups of two or more near-identical texts, largest first, with the representative's
    text and the group's current theme (paginate it)."""
    return (
        DuplicateGroup.objects.filter(analysis=analysis)
        .select_related("representative", "theme")
        .order_by("-size", "key")
    )


def theme_members(analysis: Analysis, theme: Theme | None) -> QuerySet[Assignment]:
    """The contributions of a theme (None: the unclassified ones), oldest first (paginate it)."""
    qs = Assignment.objects.filter(analysis=analysis)
    qs = qs.filter(theme=theme) if theme is not None else qs.filter(theme__isnull=True)
    return qs.select_related("contribution", "group").order_by("contribution_id")


def group_members(group: DuplicateGroup) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(group=group)
        .select_related("contribution", "theme")
        .order_by("contribution_id")
    )


def open_flags(exercise: Any) -> QuerySet[ModerationFlag]:
    return (
        ModerationFlag.objects.filter(exercise=exercise, resolved_at__isnull=True)
        .select_related("contribution")
        .order_by("-id")
    )


def open_flag_count(exercise: Any) -> int:
    return ModerationFlag.objects.filter(exercise=exercise, resolved_at__isnull=True).count()


# --- breakdowns ----------------------------------------------------------------------------------


def staff_cached(analysis: Analysis, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, cached until the analysis changes (a run, an analyst's edit): the staff
    pages' aggregates over 100,000 assignments cost a few hundred milliseconds each, and the
    analysis job warms them when it finishes (``analysis_warm``)."""
    key = f"insights:{name}:{analysis.pk}:{analysis.updated_at.timestamp()}:{get_language()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, STAFF_CACHE_SECONDS)
    return value


def _value_labels(field: str, values: set[Any]) -> dict[Any, str]:
    if field == "department_id":
        names = dict(Department.objects.filter(pk__in=values).values_list("pk", "name"))
        return {v: names.get(v, str(v)) for v in values}
    choices = {
        "channel": Contribution.Channel,
        "age_range": Contribution.AgeRange,
        "gender": Contribution.Gender,
        "ethnic_group": Contribution.EthnicGroup,
    }[field]
    labels = dict(choices.choices)
    return {v: str(labels.get(v, v)) for v in values}


def _people() -> dict[str, Any]:
    """Distinct people, as SQL aggregates: a contact, else a user account, else the
    contribution itself counts as one person."""
    no_contact = Q(contribution__contact__isnull=True)
    return {
        "contacts": Count("contribution__contact", distinct=True),
        "users": Count("contribution__user", distinct=True, filter=no_contact),
        "anonymous": Count("id", filter=no_contact & Q(contribution__user__isnull=True)),
    }


def breakdown(
    analysis: Analysis,
    *,
    dimension: str,
    public: bool = True,
    min_cell: int = MIN_CELL,
) -> Breakdown:
    """Live themes (and the unclassified) by a contribution attribute, aggregated in SQL.

    Cells counting 1 to ``min_cell - 1`` people are suppressed; with ``public`` the smallest
    other cell of a row or column holding a single suppressed cell is suppressed too, so no
    small cell can be recovered by subtraction from the published totals.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    if not public:
        return staff_cached(
            analysis,
            f"breakdown:{dimension}:{min_cell}",
            lambda: _breakdown(analysis, dimension, public=False, min_cell=min_cell),
        )
    return _breakdown(analysis, dimension, public=True, min_cell=min_cell)


def _breakdown(analysis: Analysis, dimension: str, *, public: bool, min_cell: int) -> Breakdown:
    field = DIMENSIONS[dimension][1]
    path = f"contribution__{field}"
    base = Assignment.objects.filter(analysis=analysis)
    if public:
        base = base.filter(contribution__moderation=Contribution.Moderation.VISIBLE)
    cells = list(base.values("theme_id", path).annotate(n=Count("id"), **_people()).order_by())
    columns = list(base.values(path).annotate(n=Count("id"), **_people()).order_by())
    themes = list(live_themes(analysis).values_list("pk", "analyst_label", "label"))
    rows_meta = [(pk, analyst or label) for pk, analyst, label in themes]
    if any(c["theme_id"] is None for c in cells):
        rows_meta.append((None, _("Sin clasificar")))
    raw_values = {c[path] for c in columns}
    labels = _value_labels(field, {v for v in raw_values if v not in (None, "")})

    def label(v: Any) -> str:
        return str(MISSING_VALUE) if v in (None, "") else labels[v]

    values = sorted({label(v) for v in raw_values})
    col = {v: n for n, v in enumerate(values)}
    row = {pk: n for n, (pk, _) in enumerate(rows_meta)}
    contributions, people = _counts(
        cells,
        shape=(len(rows_meta), len(values)),
        where=lambda c: (row.get(c["theme_id"]), col[label(c[path])]),
    )
    column_contributions, column_people = _counts(
        columns, shape=(len(values),), where=lambda c: col[label(c[path])]
    )
    return breakdown_table(
        dimension=dimension,
        min_cell=min_cell,
        values=values,
        rows=[(pk if pk is not None else UNCLASSIFIED_ID, name) for pk, name in rows_meta],
        contributions=contributions,
        people=people,
        column_contributions=column_contributions,
        column_people=column_people,
        complementary=public,
    )


def _counts(
    groups: list[dict[str, Any]], *, shape: tuple[int, ...], where: Callable[[dict], Any]
) -> tuple[np.ndarray, np.ndarray]:
    """Contributions and people of aggregated rows, summed into arrays of ``shape`` at the
    index ``where(group)`` gives (a row index of None: a theme no longer live, left out)."""
    contributions = np.zeros(shape, np.int64)
    people = np.zeros(shape, np.int64)
    for group in groups:
        index = where(group)
        if isinstance(index, tuple) and index[0] is None:
            continue
        contributions[index] += group["n"]
        people[index] += group["contacts"] + group["users"] + group["anonymous"]
    return contributions, people


# --- public --------------------------------------------------------------------------------------


def themes_public(exercise: Any, *, quotes: int = 3) -> list[dict[str, Any]]:
    """The current analysis' themes for the results page and the report, largest first:
    ``[{"id", "label", "size", "distinct_size", "quotes": [str], "is_finding", "conclusion"}]``.
    Quotes are visible contributions only, anonymised. Empty without an analysis."""
    analysis = analysis_current(exercise)
    if analysis is None:
        return []
    out = []
    for view in themes_with_quotes(analysis, limit=quotes, public=True):
        t = view.theme
        out.append(
            {
                "id": t.pk,
                "label": t.name,
                "size": t.size,
                "distinct_size": t.distinct_size,
                "quotes": [mask_personal_data(q["text"]) for q in view.quotes],
                "is_finding": t.is_finding,
                "conclusion": t.conclusion if t.is_finding else "",
            }
        )
    return out


def findings_for_exercise(exercise: Any, *, quotes: int = 3) -> list[dict[str, Any]]:
    """The themes analysts marked as findings, with their conclusions (public, anonymised)."""
    return [t for t in themes_public(exercise, quotes=quotes) if t["is_finding"]]


def breakdown_public(exercise: Any, *, dimension: str) -> dict[str, Any] | None:
    """A breakdown of the current analysis for public pages (complementary suppression)."""
    analysis = analysis_current(exercise)
    if analysis is None:
        return None
    return breakdown(analysis, dimension=dimension, public=True).to_dict()
