"""The exercise state machine, declared as data.

Phases run information → participation open → analysis → results published. What each phase
allows (being public, taking contributions and supports, showing the results) and which transition
needs which permission live here, so no view or service tests a status with its own ``if``.
``services.exercise_transition`` is the only code that changes an exercise's status.
"""

from dataclasses import dataclass

from urna.exercises.models import Exercise

S = Exercise.Status


@dataclass(frozen=True)
class Phase:
    public: bool
    accepts_contributions: bool
    accepts_supports: bool
    shows_results: bool
    editable: bool  # title, body, articles, questions may still change


PHASES: dict[str, Phase] = {
    S.DRAFT: Phase(False, False, False, False, True),
    S.INFORMATION: Phase(True, False, False, False, True),
    S.OPEN: Phase(True, True, True, False, False),
    S.ANALYSIS: Phase(True, False, False, False, False),
    S.RESULTS: Phase(True, False, False, True, False),
}

# (from, to) → the permission action the transition needs.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.INFORMATION): "exercise.publish",
    (S.DRAFT, S.OPEN): "exercise.publish",
    (S.INFORMATION, S.OPEN): "exercise.publish",
    (S.OPEN, S.ANALYSIS): "exercise.close",
    # Reopening (an extended period) is a new publication for comments, with the same checks.
    (S.ANALYSIS, S.OPEN): "exercise.publish",
    (S.ANALYSIS, S.RESULTS): "exercise.results",
}


def phase(status: str) -> Phase:
    return PHASES[status]


def next_statuses(status: str) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == status]


def transition_action(frm: str, to: str) -> str | None:
    return TRANSITIONS.get((frm, to))
