"""Reads of an exercise's timeline, "¿Qué pasó después?": the phases it went through, its
results and the updates its entity published, oldest first.

The phases come from the audit log of its transitions (``exercise.<status>``, written by
``services.exercise_transition``), so a participation period reopened shows twice; an exercise
loaded without that history falls back to the dates it keeps.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.audit.models import AuditEntry
from urna.exercises.models import Decision, Exercise, ExerciseUpdate, ExerciseUpdateDocument
from urna.exercises.selectors import decision_counts

S = Exercise.Status


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "phase", "results" or "update"
    at: datetime
    label: str  # what kind of step it is, shown above the title
    title: str
    text: str = ""
    body_html: str = ""
    url: str = ""
    anchor: str = ""
    documents: list[ExerciseUpdateDocument] = field(default_factory=list)
    decisions: list[tuple[str, int]] = field(default_factory=list)


def _phase_title(status: str, again: bool) -> str:
    titles = {
        S.INFORMATION: _("Se publicó la información del ejercicio"),
        S.OPEN: _("Se reabrió la participación") if again else _("Se abrió la participación"),
        S.ANALYSIS: _("Cerró la participación: la entidad analiza los aportes"),
        S.RESULTS: _("La entidad publicó los resultados y la respuesta a cada aporte"),
    }
    return titles[status]


def _transitions(exercise: Exercise) -> list[tuple[str, datetime]]:
    """(status, when) of each public phase the exercise entered, in order."""
    actions = {f"exercise.{s}": s for s in (S.INFORMATION, S.OPEN, S.ANALYSIS, S.RESULTS)}
    rows = (
        AuditEntry.objects.for_object(exercise)
        .filter(action__in=list(actions))
        .order_by("at", "id")
        .values_list("action", "at")
    )
    found = [(actions[action], at) for action, at in rows]
    if found:
        return found
    now = timezone.now()
    # Opened straight from a draft, it was published when it opened: one step, not two.
    informed = exercise.published_at if exercise.published_at != exercise.opens_at else None
    dates = [
        (S.INFORMATION, informed),
        (S.OPEN, exercise.opens_at),
        (S.ANALYSIS, exercise.closes_at),
        (S.RESULTS, exercise.results_published_at),
    ]
    return [(status, at) for status, at in dates if at is not None and at <= now]


def published_updates(exercise: Exercise) -> QuerySet[ExerciseUpdate]:
    return (
        ExerciseUpdate.objects.published()
        .filter(exercise=exercise)
        .select_related("entity")
        .prefetch_related(Prefetch("documents", queryset=ExerciseUpdateDocument.objects.all()))
        .order_by("published_at", "id")
    )


def exercise_timeline(exercise: Exercise) -> list[TimelineEntry]:
    """What happened to ``exercise``, oldest first: its phases, its results (with the count of
    each decision) and its published updates with their documents. Drafts never appear."""
    entries: list[TimelineEntry] = []
    opened = False
    for status, at in _transitions(exercise):
        if status == S.RESULTS:
            decisions = decision_counts(exercise)
            entries.append(
                TimelineEntry(
                    kind="results",
                    at=at,
                    label=str(S.RESULTS.label),
                    title=_phase_title(status, False),
                    url=reverse("exercises:results", kwargs={"slug": exercise.slug}),
                    decisions=[
                        (label, decisions[value])
                        for value, label in Decision.choices
                        if decisions.get(value)
                    ],
                    anchor=f"fase-{len(entries)}",
                )
            )
            continue
        entries.append(
            TimelineEntry(
                kind="phase",
                at=at,
                label=str(S(status).label),
                title=_phase_title(status, opened and status == S.OPEN),
                anchor=f"fase-{len(entries)}",
            )
        )
        opened = opened or status == S.OPEN
    for update in published_updates(exercise):
        entries.append(
            TimelineEntry(
                kind="update",
                at=update.published_at,
                label=update.get_kind_display(),
                title=update.title,
                text=update.entity.name,
                body_html=update.body_html,
                documents=list(update.documents.all()),
                anchor=f"novedad-{update.pk}",
            )
        )
    entries.sort(key=lambda entry: entry.at)
    return entries
