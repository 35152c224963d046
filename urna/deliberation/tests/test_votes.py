"""Vote intake: bad input refused with a clear Spanish message, one vote per participant and
statement (a new vote replaces the old), participants named once, and what a channel needs."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from urna.core.errors import Conflict, InvalidInput, NotFound
from urna.deliberation import selectors, services
from urna.deliberation.models import Deliberation, Participant, Vote
from urna.exercises import services as exercise_services


def test_a_vote_is_stored_once_and_a_new_one_replaces_it(statements, participant):
    statement = statements["published"][0]

    services.vote_cast(participant=participant, statement_id=statement.pk, value=1, channel="web")
    services.vote_cast(
        participant=participant, statement_id=statement.pk, value=-1, channel="whatsapp"
    )

    votes = list(Vote.objects.filter(participant=participant).values_list("value", "channel"))
    assert votes == [(-1, "whatsapp")]


def test_the_database_refuses_a_second_row_for_the_same_participant_and_statement(
    statements, participant
):
    statement = statements["published"][0]
    services.vote_cast(participant=participant, statement_id=statement.pk, value=1, channel="web")

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            deliberation=participant.deliberation,
            statement=statement,
            participant=participant,
            value=0,
            channel="web",
        )


@pytest.mark.parametrize(
    ("which", "error", "message"),
    [
        ("pending", Conflict, "Esa afirmación aún espera moderación: todavía no se puede votar."),
        (
            "rejected",
            Conflict,
            "Esa afirmación fue retirada por moderación y ya no recibe votos.",
        ),
    ],
)
def test_a_vote_on_a_statement_not_published_is_refused(
    statements, participant, which, error, message
):
    with pytest.raises(error) as caught:
        services.vote_cast(
            participant=participant, statement_id=statements[which].pk, value=1, channel="web"
        )

    assert caught.value.message == message
    assert caught.value.field == "statement"
    assert not Vote.objects.exists()


def test_a_vote_on_a_statement_of_another_deliberation_is_not_found(
    statements, participant, manager, agriculture
):
    other_exercise = exercise_services.exercise_create(
        by=manager,
        owner=agriculture,
        title="Otro ejercicio",
        summary="Otro ejercicio de prueba.",
        kind="policy",
        closes_at=timezone.now() + timedelta(days=30),
    )
    exercise_services.exercise_transition(exercise=other_exercise, to="open", by=manager)
    other = Deliberation.objects.create(exercise=other_exercise, question="¿Otra pregunta?")
    stranger = services.participant_get_or_create(deliberation=other, anonymous_key="x1")

    with pytest.raises(NotFound) as caught:
        services.vote_cast(
            participant=stranger,
            statement_id=statements["published"][0].pk,
            value=1,
            channel="web",
        )

    assert caught.value.message == "Esa afirmación no existe en esta deliberación."


@pytest.mark.parametrize("value", [2, -2, 7, "tal vez", "", None, True])
def test_a_value_out_of_range_is_refused(statements, participant, value):
    with pytest.raises(InvalidInput) as caught:
        services.vote_cast(
            participant=participant,
            statement_id=statements["published"][0].pk,
            value=value,
            channel="web",
        )

    assert caught.value.message == (
        "Voto no válido: responda 1 (de acuerdo), 2 (en desacuerdo) o 3 (paso)."
    )
    assert caught.value.field == "value"
    assert not Vote.objects.exists()


def test_a_closed_deliberation_takes_no_vote(statements, participant, manager):
    services.deliberation_update(deliberation=participant.deliberation, by=manager, status="closed")

    with pytest.raises(Conflict) as caught:
        services.vote_cast(
            participant=participant,
            statement_id=statements["published"][0].pk,
            value=1,
            channel="web",
        )

    assert caught.value.message == (
        "Esta deliberación está cerrada: no recibe votos ni afirmaciones."
    )
    assert not Vote.objects.exists()


def test_an_exercise_out_of_its_participation_phase_closes_its_deliberation(
    statements, participant, manager, exercise
):
    exercise_services.exercise_transition(exercise=exercise, to="analysis", by=manager)
    participant.deliberation.exercise.refresh_from_db()

    with pytest.raises(Conflict):
        services.vote_cast(
            participant=participant,
            statement_id=statements["published"][0].pk,
            value=0,
            channel="web",
        )


def test_an_unknown_channel_is_refused(statements, participant):
    with pytest.raises(InvalidInput) as caught:
        services.vote_cast(
            participant=participant,
            statement_id=statements["published"][0].pk,
            value=1,
            channel="fax",
        )
    assert caught.value.message == "Canal no válido."


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1", 1), ("Sí", 1), ("de acuerdo", 1), ("2", -1), ("NO", -1), ("3", 0), ("paso", 0)],
)
def test_channels_send_votes_as_words_or_keys(raw, value):
    assert services.vote_parse(raw) == value


def test_a_participant_is_one_row_per_person_and_deliberation(deliberation, manager):
    first = services.participant_get_or_create(deliberation=deliberation, anonymous_key="abc")
    again = services.participant_get_or_create(deliberation=deliberation, anonymous_key="abc")
    as_user = services.participant_get_or_create(deliberation=deliberation, user=manager)

    assert first.pk == again.pk
    assert as_user.pk != first.pk
    assert Participant.objects.filter(deliberation=deliberation).count() == 2


def test_a_channel_walks_the_statements_one_at_a_time(statements, participant):
    seen = []
    while (statement := selectors.next_statement_for(participant)) is not None:
        seen.append(statement.pk)
        services.vote_cast(
            participant=participant, statement_id=statement.pk, value="1", channel="ussd"
        )

    assert sorted(seen) == sorted(s.pk for s in statements["published"])
    progress = selectors.progress_for(participant)
    assert (progress.voted, progress.published, progress.remaining) == (3, 3, 0)
