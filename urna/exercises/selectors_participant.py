"""Reads about one participant and about where participation came from: what this browser or
account supported and answered, a citizen's own contributions, queries and follows ("Mis
aportes"), and the published contributions of an exercise by department (its map).

The map counts published contributions only and hides departments with fewer than ``MIN_CELL``
of them, as the other public breakdowns do.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from urna.contacts.models import Contact
from urna.core.charts import choropleth_map
from urna.exercises.models import (
    Contribution,
    Exercise,
    ExerciseFollower,
    QuestionAnswerer,
    Support,
)
from urna.queries.models import Query
from urna.territory.models import Department

# Departments with fewer published contributions are shown as hidden (as in open data and the
# analysts' breakdowns): a count of 1 or 2 in a small department can point at a person.
MIN_CELL = 5
MAP_SECONDS = 60


def supported_ids(key: str | None, contribution_ids: Iterable[int]) -> set[int]:
    """Which of these proposals the participant (``participants.participant_key``) supported."""
    ids = list(contribution_ids)
    if key is None or not ids:
        return set()
    return set(
        Support.objects.filter(contribution_id__in=ids, supporter=key).values_list(
            "contribution_id", flat=True
        )
    )


def answered_question_ids(key: str | None, exercise: Exercise) -> set[int]:
    """The closed questions of the exercise the participant already answered."""
    if key is None:
        return set()
    return set(
        QuestionAnswerer.objects.filter(question__exercise=exercise, answerer=key).values_list(
            "question_id", flat=True
        )
    )


# --- participation by department ---------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentCount:
    code: str
    name: str
    count: int | None  # None: fewer than MIN_CELL, hidden


@dataclass(frozen=True)
class ParticipationMap:
    svg: SafeString
    rows: list[DepartmentCount]  # every department with contributions, most first
    placed: int  # published contributions with a department
    unplaced: int  # published contributions without one (no municipality given)
    min_cell: int


def participation_map(exercise: Exercise) -> ParticipationMap | None:
    """Published contributions per department as a choropleth and its table (cached a minute);
    None when no published contribution names a municipality."""
    key = f"exercise-map:{exercise.pk}:{exercise.updated_at.timestamp()}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    counts = dict(
        Contribution.objects.filter(exercise=exercise, moderation=Contribution.Moderation.VISIBLE)
        .values_list("department_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    unplaced = counts.pop(None, 0)
    result: ParticipationMap | None = None
    if counts:
        names = _department_names()
        values = {code: (n if n >= MIN_CELL else None) for code, n in counts.items()}
        rows = [DepartmentCount(code, names.get(code, code), values[code]) for code in counts]
        rows.sort(key=lambda r: (r.count is None, -(r.count or 0), r.name))
        svg = choropleth_map(
            values,
            names=names,
            title=_("Aportes publicados por departamento"),
            unit=_("aportes"),
            hidden_label=_("menos de %(n)s aportes: oculto") % {"n": MIN_CELL},
            none_label=_("sin aportes"),
            credit=_(
                "Contornos: svg-maps / MapSVG (CC BY 4.0), simplificados. No son límites oficiales."
            ),
        )
        result = ParticipationMap(svg, rows, sum(counts.values()), unplaced, MIN_CELL)
    cache.set(key, result or False, MAP_SECONDS)
    return result


def _department_names() -> dict[str, str]:
    """Every department's name by DANE code (reference data: cached an hour); the map names
    all 33, not only those with contributions."""
    return cache.get_or_set(
        "department-names",
        lambda: dict(Department.objects.values_list("code", "display_name")),
        3600,
    )


# --- "Mis aportes" -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MyActivity:
    contributions: QuerySet[Contribution]
    queries: QuerySet[Query]
    supports: QuerySet[Support]
    follows: QuerySet[ExerciseFollower]


def account_addresses(user: Any) -> Q:
    """The contacts an account's own email and phone name."""
    condition = Q(pk__in=[])
    if user.email:
        condition |= Q(email=user.email.lower())
    if user.phone:
        condition |= Q(phone=user.phone)
    return condition


def my_activity(*, user: Any, limit: int = 200) -> MyActivity:
    """What a citizen's account sent and follows, newest first (at most ``limit`` of each)."""
    contributions = (
        Contribution.objects.filter(user=user)
        .select_related("exercise", "question", "article", "response")
        .only(
            "id",
            "kind",
            "public_text",
            "choice",
            "receipt",
            "moderation",
            "created_at",
            "support_count",
            "exercise__title",
            "exercise__slug",
            "exercise__status",
            "question__text",
            "article__label",
            "response__decision",
        )
        .order_by("-id")[:limit]
    )
    queries = (
        Query.objects.filter(user=user)
        .select_related("entity")
        .only("id", "receipt", "type", "state", "filed_at", "due_date", "entity__name")
        .order_by("-filed_at")[:limit]
    )
    supports = (
        Support.objects.filter(user=user)
        .select_related("contribution", "contribution__exercise")
        .only(
            "id",
            "created_at",
            "contribution__id",
            "contribution__public_text",
            "contribution__support_count",
            "contribution__exercise__title",
            "contribution__exercise__slug",
            "contribution__exercise__support_threshold",
        )
        .order_by("-id")[:limit]
    )
    follows = (
        ExerciseFollower.objects.filter(
            contact__in=Contact.objects.filter(account_addresses(user)), stopped_at__isnull=True
        )
        .select_related("exercise")
        .order_by("-created_at")[:limit]
    )
    return MyActivity(contributions, queries, supports, follows)


def account_follows(user: Any, exercise: Exercise) -> bool:
    """The citizen's account follows the exercise (through its own email or phone)."""
    if not getattr(user, "is_authenticated", False) or user.is_staff:
        return False
    return ExerciseFollower.objects.filter(
        exercise=exercise,
        contact__in=Contact.objects.filter(account_addresses(user)),
        stopped_at__isnull=True,
    ).exists()
