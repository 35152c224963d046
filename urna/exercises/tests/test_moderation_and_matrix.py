import pytest

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.core.errors import Conflict, InvalidInput, PermissionDenied
from urna.entities.models import Entity
from urna.exercises import services
from urna.exercises.models import Contribution, ContributionResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise(make_exercise):
    return make_exercise(status="open")


@pytest.fixture
def opinion(exercise):
    return services.contribution_submit(
        exercise=exercise, kind="opinion", text="Texto con un insulto", channel="web"
    ).contribution


@pytest.fixture
def moderator(agriculture, make_staff):
    return make_staff(agriculture, Role.MODERATOR, username="moderador")


def test_hiding_needs_a_public_reason_and_is_audited(opinion, moderator):
    with pytest.raises(InvalidInput):
        services.contribution_moderate(contribution=opinion, to="hidden", by=moderator)
    opinion.refresh_from_db()
    assert opinion.moderation == "visible"

    services.contribution_moderate(
        contribution=opinion, to="hidden", reason="Lenguaje ofensivo", by=moderator
    )

    opinion.refresh_from_db()
    assert (opinion.moderation, opinion.hidden_reason) == ("hidden", "Lenguaje ofensivo")
    assert opinion.moderated_by == moderator
    entry = AuditEntry.objects.get(action="contribution.moderate")
    assert entry.before == {"moderation": "visible", "hidden_reason": ""}
    assert entry.after == {"moderation": "hidden", "hidden_reason": "Lenguaje ofensivo"}
    # Nothing is deleted: the text is kept.
    assert Contribution.objects.get(pk=opinion.pk).text == "Texto con un insulto"


def test_hidden_contribution_leaves_public_output_but_its_author_sees_the_reason(
    client, exercise, opinion, moderator
):
    services.contribution_moderate(
        contribution=opinion, to="hidden", reason="Lenguaje ofensivo", by=moderator
    )

    listing = client.get(f"/api/v1/exercises/{exercise.slug}/contributions").json()
    page = client.get(exercise.get_absolute_url()).content.decode()
    status = client.get(f"/r/{opinion.receipt}").content.decode()
    api_status = client.get(f"/api/v1/contributions/{opinion.receipt}").json()

    assert listing["count"] == 0 and listing["items"] == []
    assert "Texto con un insulto" not in page
    assert "1 oculto por moderación" in page
    assert "Lenguaje ofensivo" in status and "Texto con un insulto" not in status
    assert api_status["moderation"] == "hidden"
    assert api_status["hidden_reason"] == "Lenguaje ofensivo"
    assert api_status["text"] is None


def test_moderators_of_another_entity_cannot_moderate(opinion, education, make_staff):
    outsider = make_staff(education, Role.MODERATOR, username="otra")

    with pytest.raises(PermissionDenied):
        services.contribution_moderate(
            contribution=opinion, to="hidden", reason="Sin permiso", by=outsider
        )

    opinion.refresh_from_db()
    assert opinion.moderation == "visible"
    assert not AuditEntry.objects.filter(action="contribution.moderate").exists()


def test_platform_moderator_moderates_every_entity(opinion, make_staff):
    platform = make_staff(Entity.objects.get(acronym="URNA"), Role.MODERATOR, username="plat")

    services.contribution_moderate(contribution=opinion, to="pending", by=platform)

    opinion.refresh_from_db()
    assert opinion.moderation == "pending"


def test_partner_entity_staff_act_on_shared_exercises(make_exercise, education, make_staff):
    exercise = make_exercise(status="open", partners=[education])
    partner_manager = make_staff(education, Role.MANAGER, username="aliada")
    contribution = services.contribution_submit(
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
        services.contribution_submit(
            exercise=exercise, kind="opinion", text=f"Vías terciarias {i}", channel="sms"
        ).contribution
        for i in range(3)
    ]
    single = services.contribution_submit(
        exercise=exercise, kind="proposal", text="Crédito barato", channel="web"
    ).contribution
    services.exercise_transition(exercise=exercise, to="analysis", by=manager)
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
    services.exercise_transition(exercise=exercise, to="results", by=manager)

    assert group.responses.count() == 3
    assert ContributionResponse.objects.filter(decision="partial").count() == 3
    assert ContributionResponse.objects.get(contribution=single).decision == "not_accepted"
    assert AuditEntry.objects.filter(action="contribution.respond_group").count() == 1
    assert AuditEntry.objects.filter(action="contribution.respond").count() == 1
    with pytest.raises(Conflict):
        services.contribution_respond(
            contribution=single,
            decision="accepted",
            reason="Cambio tardío de respuesta.",
            by=manager,
        )


def test_answers_are_public_only_once_results_are_published(client, exercise, manager):
    contribution = services.contribution_submit(
        exercise=exercise, kind="opinion", text="Más crédito", channel="web"
    ).contribution
    services.exercise_transition(exercise=exercise, to="analysis", by=manager)
    services.contribution_respond(
        contribution=contribution,
        decision="accepted",
        reason="Se acoge la propuesta.",
        by=manager,
    )

    before = client.get(f"/api/v1/contributions/{contribution.receipt}").json()
    services.exercise_transition(exercise=exercise, to="results", by=manager)
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
