"""The answering rules the matrix had before it moved here (issue #14): partners answer shared
exercises, answers are public once results are published, analysts do not answer."""

import pytest

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.core.errors import Conflict, InvalidInput, PermissionDenied
from urna.exercises import services as exercise_services
from urna.exercises.models import ContributionResponse
from urna.results import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise(make_exercise):
    return make_exercise(status="open")


@pytest.fixture
def opinion(exercise):
    return exercise_services.contribution_submit(
        exercise=exercise, kind="opinion", text="Texto con un insulto", channel="web"
    ).contribution


def test_partner_entity_staff_act_on_shared_exercises(make_exercise, education, make_staff):
    exercise = make_exercise(status="open", partners=[education])
    partner_manager = make_staff(education, Role.MANAGER, username="aliada")
    contribution = exercise_services.contribution_submit(
        exercise=exercise, kind="proposal", text="Propuesta", channel="web"
    ).contribution

    services.contribution_respond(
        contribution=contribution,
        decision="accepted",
        reason="Se incorpora al plan.",
        by=partner_manager,
    )

    assert contribution.response.decision == "accepted"


def test_results_matrix_individual_and_grouped_answers(exercise, manager):
    contributions = [
        exercise_services.contribution_submit(
            exercise=exercise, kind="opinion", text=f"Vías terciarias {i}", channel="sms"
        ).contribution
        for i in range(3)
    ]
    single = exercise_services.contribution_submit(
        exercise=exercise, kind="proposal", text="Crédito barato", channel="web"
    ).contribution
    exercise_services.exercise_transition(exercise=exercise, to="analysis", by=manager)
    exercise.refresh_from_db()

    group = services.contribution_respond_group(
        exercise=exercise,
        contribution_ids=[c.pk for c in contributions],
        title="Vías terciarias",
        decision="partial",
        reason="Se incluirá un programa de vías en el plan plurianual.",
        by=manager,
    )
    with pytest.raises(InvalidInput):
        services.contribution_respond(
            contribution=single, decision="accepted", reason="corta", by=manager
        )
    services.contribution_respond(
        contribution=single,
        decision="not_accepted",
        reason="No corresponde a este decreto.",
        by=manager,
    )
    exercise_services.exercise_transition(exercise=exercise, to="results", by=manager)

    assert group.responses.count() == 3
    assert ContributionResponse.objects.filter(decision="partial").count() == 3
    assert ContributionResponse.objects.get(contribution=single).decision == "not_accepted"
    assert AuditEntry.objects.filter(action="contribution.respond_group").count() == 1
    # One entry per answer: three for the group's members, one for the single answer.
    assert AuditEntry.objects.filter(action="contribution.respond").count() == 4
    with pytest.raises(Conflict):
        services.contribution_respond(
            contribution=single,
            decision="accepted",
            reason="Cambio tardío de respuesta.",
            by=manager,
        )


def test_answers_are_public_only_once_results_are_published(client, exercise, manager):
    contribution = exercise_services.contribution_submit(
        exercise=exercise, kind="opinion", text="Más crédito", channel="web"
    ).contribution
    exercise_services.exercise_transition(exercise=exercise, to="analysis", by=manager)
    services.contribution_respond(
        contribution=contribution,
        decision="accepted",
        reason="Se acoge la propuesta.",
        by=manager,
    )

    before = client.get(f"/api/v1/contributions/{contribution.receipt}").json()
    exercise_services.exercise_transition(exercise=exercise, to="results", by=manager)
    after = client.get(f"/api/v1/contributions/{contribution.receipt}").json()
    results_page = client.get(f"/ejercicios/{exercise.slug}/resultados/").content.decode()

    assert before["response"] is None
    assert after["response"] == {
        "decision": "accepted",
        "decision_label": "Aceptado",
        "reason": "Se acoge la propuesta.",
        "group": None,
    }
    assert "Se acoge la propuesta." in results_page


def test_analyst_cannot_answer(exercise, opinion, agriculture, make_staff):
    analyst = make_staff(agriculture, Role.ANALYST, username="analista")

    with pytest.raises(PermissionDenied):
        services.contribution_respond(
            contribution=opinion,
            decision="accepted",
            reason="Sin permiso para esto.",
            by=analyst,
        )
    assert not ContributionResponse.objects.exists()
