from datetime import timedelta

import pytest
from django.utils import timezone

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.core.errors import Conflict, InvalidInput, PermissionDenied
from urna.exercises import services
from urna.exercises.models import Exercise
from urna.exercises.phases import PHASES, TRANSITIONS, next_statuses

pytestmark = pytest.mark.django_db


def test_every_status_has_a_phase_and_transitions_only_move_forward_or_reopen():
    assert set(PHASES) == set(Exercise.Status.values)
    assert next_statuses("draft") == ["information", "open"]
    assert next_statuses("results") == []
    assert ("open", "results") not in TRANSITIONS


def test_publish_open_close_and_publish_results_with_audit(make_exercise, manager):
    exercise = make_exercise(status="draft")

    services.exercise_transition(exercise=exercise, to="open", by=manager)
    services.exercise_transition(exercise=exercise, to="analysis", by=manager)
    services.exercise_transition(exercise=exercise, to="results", by=manager)

    exercise.refresh_from_db()
    assert exercise.status == "results"
    assert exercise.results_published_at is not None
    actions = list(
        AuditEntry.objects.for_object(exercise).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["exercise.create", "exercise.open", "exercise.analysis", "exercise.results"]


def test_a_transition_not_declared_is_refused(make_exercise, manager):
    exercise = make_exercise(status="open")

    with pytest.raises(Conflict):
        services.exercise_transition(exercise=exercise, to="results", by=manager)

    exercise.refresh_from_db()
    assert exercise.status == "open"


def test_results_need_every_contribution_answered(make_exercise, manager):
    exercise = make_exercise(status="open")
    services.contribution_submit(
        exercise=exercise, kind="opinion", text="Una opinión", channel="web"
    )
    services.exercise_transition(exercise=exercise, to="analysis", by=manager)

    with pytest.raises(Conflict, match="Faltan 1 aportes"):
        services.exercise_transition(exercise=exercise, to="results", by=manager)

    exercise.refresh_from_db()
    assert exercise.status == "analysis"


def test_staff_of_another_entity_cannot_move_the_exercise(make_exercise, education, make_staff):
    exercise = make_exercise(status="draft")
    outsider = make_staff(education, Role.MANAGER, username="otro")

    with pytest.raises(PermissionDenied):
        services.exercise_transition(exercise=exercise, to="open", by=outsider)

    exercise.refresh_from_db()
    assert exercise.status == "draft"
    assert AuditEntry.objects.filter(action="exercise.open").count() == 0


def test_opening_needs_a_future_closing_date(make_exercise, manager):
    exercise = make_exercise(status="draft")
    Exercise.objects.filter(pk=exercise.pk).update(closes_at=None)
    exercise.refresh_from_db()

    with pytest.raises(InvalidInput) as error:
        services.exercise_transition(exercise=exercise, to="open", by=manager)

    assert error.value.field == "closes_at"


def test_scheduled_closing_moves_past_due_exercises_to_analysis(make_exercise):
    due = make_exercise(status="open", title="Ejercicio vencido")
    running = make_exercise(status="open", title="Ejercicio vigente")
    Exercise.objects.filter(pk=due.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    assert services.exercises_close_due() == 1

    due.refresh_from_db()
    running.refresh_from_db()
    assert (due.status, running.status) == ("analysis", "open")
    entry = AuditEntry.objects.get(action="exercise.analysis")
    assert entry.actor is None and entry.actor_label == "system:cierre"


# --- the 15-day rule for draft regulations ------------------------------------------------


def test_draft_regulation_open_fewer_than_15_days_needs_a_justification(make_exercise, manager):
    exercise = make_exercise(status="draft", kind="draft_regulation", days=10)

    with pytest.raises(InvalidInput) as error:
        services.exercise_transition(exercise=exercise, to="open", by=manager)

    assert error.value.field == "justification"
    assert "10 días" in error.value.message and "15 días" in error.value.message
    exercise.refresh_from_db()
    assert exercise.status == "draft"


def test_justification_is_recorded_in_the_audit_log_and_shown_publicly(
    make_exercise, manager, client
):
    exercise = make_exercise(status="draft", kind="draft_regulation", days=10)
    reason = "Urgencia: la ley ordena expedir el decreto antes de fin de mes."

    services.exercise_transition(exercise=exercise, to="open", by=manager, justification=reason)

    exercise.refresh_from_db()
    assert exercise.status == "open"
    assert exercise.short_period_justification == reason
    entry = AuditEntry.objects.get(action="exercise.open")
    assert entry.after["justification"] == reason
    assert entry.after["comment_days"] == 10
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "Plazo de comentarios reducido" in html
    assert reason in html


def test_fifteen_days_or_other_kinds_need_no_justification(make_exercise, manager):
    regulation = make_exercise(status="draft", kind="draft_regulation", days=15, title="Decreto")
    policy = make_exercise(status="draft", kind="policy", days=3, title="Política corta")

    services.exercise_transition(exercise=regulation, to="open", by=manager)
    services.exercise_transition(exercise=policy, to="open", by=manager)

    assert (regulation.status, policy.status) == ("open", "open")
    assert regulation.short_period_justification == ""


def test_minimum_period_is_configurable(make_exercise, manager, settings):
    settings.URNA_DRAFT_MIN_COMMENT_DAYS = 30
    exercise = make_exercise(status="draft", kind="draft_regulation", days=20)

    with pytest.raises(InvalidInput, match="30 días"):
        services.exercise_transition(exercise=exercise, to="open", by=manager)
