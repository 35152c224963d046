import pytest

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.core.errors import Conflict, InvalidInput, PermissionDenied
from urna.exercises import services as exercise_services
from urna.exercises.models import ContributionResponse, ResponseGroup
from urna.results import services
from urna.results.models import AnswerBatch
from urna.results.tests.conftest import submit

pytestmark = pytest.mark.django_db

REASON = "Se incluirá un programa de vías terciarias en el plan plurianual."


def test_campaign_group_answer_gives_each_member_the_answer_and_an_audit_entry(seeded, manager):
    exercise, group = seeded["exercise"], seeded["group"]

    batch = services.answer_batch_start(
        exercise=exercise,
        kind="campaign",
        selection={"group": group.pk},
        title="Campaña de vías",
        decision="partial",
        reason=REASON,
        by=manager,
    )

    ids = {c.pk for c in seeded["campaign"]}
    responses = ContributionResponse.objects.filter(group=batch.group)
    assert set(responses.values_list("contribution_id", flat=True)) == ids
    assert set(responses.values_list("decision", "reason")) == {("partial", REASON)}
    assert (batch.status, batch.total, batch.answered, batch.skipped) == ("done", 4, 4, 0)
    entries = AuditEntry.objects.filter(action="contribution.respond")
    assert {int(e.object_id) for e in entries} == ids
    assert entries.first().after == {
        "decision": "partial",
        "reason": REASON,
        "group": batch.group.pk,
    }
    assert AuditEntry.objects.filter(action="contribution.respond_group").count() == 1


def test_theme_answer_keeps_answers_already_given_unless_asked(seeded, manager):
    exercise = seeded["exercise"]
    first = seeded["roads"][0]
    services.contribution_respond(
        contribution=first, decision="accepted", reason="Respuesta individual previa.", by=manager
    )

    kept = services.answer_batch_start(
        exercise=exercise,
        kind="theme",
        selection={"theme": seeded["road_theme"].pk},
        title="Vías",
        decision="not_accepted",
        reason=REASON,
        by=manager,
    )
    first.refresh_from_db()
    assert (kept.answered, kept.skipped) == (5, 1)
    assert first.response.decision == "accepted"

    overwritten = services.answer_batch_start(
        exercise=exercise,
        kind="theme",
        selection={"theme": seeded["road_theme"].pk},
        title="Vías (corregida)",
        decision="partial",
        reason=REASON,
        overwrite=True,
        by=manager,
    )
    first.refresh_from_db()
    assert (overwritten.answered, overwritten.skipped) == (6, 0)
    assert first.response.decision == "partial"
    audit = AuditEntry.objects.filter(action="contribution.respond", object_id=str(first.pk))
    assert [e.before for e in audit.order_by("id")] == [
        None,
        {"decision": "accepted", "reason": "Respuesta individual previa."},
    ]
    # Credit contributions were never part of the theme.
    assert not ContributionResponse.objects.filter(contribution__in=seeded["credit"]).exists()


def test_whole_filter_answer_reaches_every_row_of_the_filter_not_only_the_page(seeded, manager):
    exercise = seeded["exercise"]

    batch = services.answer_batch_start(
        exercise=exercise,
        kind="filter",
        selection={"filters": {"q": "crédito"}},
        title="Crédito",
        decision="accepted",
        reason="Se amplía la línea de crédito de fomento.",
        by=manager,
    )

    assert batch.answered == 3
    assert set(
        ContributionResponse.objects.filter(group=batch.group).values_list(
            "contribution_id", flat=True
        )
    ) == {c.pk for c in seeded["credit"]}


def test_ticked_rows_answer_replaces_earlier_answers_and_checks_ids(seeded, manager, education):
    exercise = seeded["exercise"]
    ids = [c.pk for c in seeded["credit"][:2]]

    with pytest.raises(InvalidInput):
        services.contribution_respond_group(
            exercise=exercise,
            contribution_ids=[*ids, 999999],
            title="Crédito",
            decision="accepted",
            reason=REASON,
            by=manager,
        )
    group = services.contribution_respond_group(
        exercise=exercise,
        contribution_ids=ids,
        title="Crédito",
        decision="accepted",
        reason=REASON,
        by=manager,
    )

    assert group.responses.count() == 2
    assert ResponseGroup.objects.count() == 1


def test_answers_need_permission_a_reason_and_a_respondable_exercise(
    seeded, manager, make_staff, agriculture, education
):
    exercise = seeded["exercise"]
    analyst = make_staff(agriculture, Role.ANALYST, username="analista")
    outsider = make_staff(education, Role.MANAGER, username="otra")
    kwargs = {
        "exercise": exercise,
        "kind": "theme",
        "selection": {"theme": seeded["road_theme"].pk},
        "title": "Vías",
        "decision": "accepted",
    }

    for user in (analyst, outsider):
        with pytest.raises(PermissionDenied):
            services.answer_batch_start(reason=REASON, by=user, **kwargs)
    with pytest.raises(InvalidInput):
        services.answer_batch_start(reason="corta", by=manager, **kwargs)

    assert not ContributionResponse.objects.exists()
    assert not AnswerBatch.objects.exists()


def test_publishing_is_refused_until_every_contribution_is_answered(seeded, manager):
    exercise = seeded["exercise"]
    services.answer_batch_start(
        exercise=exercise,
        kind="theme",
        selection={"theme": seeded["road_theme"].pk},
        title="Vías",
        decision="accepted",
        reason=REASON,
        by=manager,
    )
    with pytest.raises(Conflict):
        exercise_services.exercise_transition(exercise=exercise, to="results", by=manager)

    services.answer_batch_start(
        exercise=exercise,
        kind="filter",
        selection={"filters": {"answered": False}},
        title="El resto",
        decision="partial",
        reason=REASON,
        by=manager,
    )
    exercise_services.exercise_transition(exercise=exercise, to="results", by=manager)

    exercise.refresh_from_db()
    assert exercise.status == "results"
    with pytest.raises(Conflict):
        services.contribution_respond(
            contribution=seeded["credit"][0], decision="accepted", reason=REASON, by=manager
        )


def test_answers_to_closed_questions_are_not_answered_individually(make_exercise, manager):
    exercise = make_exercise(status="draft")
    exercise_services.question_add(
        exercise=exercise, by=manager, kind="yes_no", text="¿Está de acuerdo?", options=[]
    )
    exercise_services.exercise_transition(exercise=exercise, to="open", by=manager)
    answer = submit(exercise, "", kind="answer", question=1, choice="si")

    with pytest.raises(InvalidInput):
        services.contribution_respond(
            contribution=answer, decision="accepted", reason=REASON, by=manager
        )
