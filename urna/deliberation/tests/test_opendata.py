"""The open-data sources of a deliberation: the vote matrix and the groups, without personal
data — participants only by their row id (the published table turns it into an opaque hash),
only published statements, masked texts."""

from urna.deliberation import opendata, services
from urna.deliberation.models import Participant
from urna.deliberation.recompute import deliberation_recompute
from urna.opendata.tables import exercise_tables


def test_the_vote_matrix_and_groups_carry_no_personal_data(
    deliberation, statements, manager, exercise, moderator
):
    who = services.participant_get_or_create(deliberation=deliberation, user=manager)
    texts = [f"Afirmación abierta número {i} del ejercicio." for i in range(5)]
    published = statements["published"] + [
        services.statement_add(deliberation=deliberation, text=t, by=manager) for t in texts
    ]
    for i in range(12):
        person = (
            who
            if i == 0
            else services.participant_get_or_create(
                deliberation=deliberation, anonymous_key=f"anon-{i}"
            )
        )
        for j, s in enumerate(published):
            value = 1 if (i + j) % 3 else -1
            services.vote_cast(participant=person, statement_id=s.pk, value=value, channel="web")
    deliberation_recompute(deliberation_id=deliberation.pk, force=True)

    votes = list(opendata.vote_rows(exercise))
    statements_rows = list(opendata.statement_rows(exercise))
    placed = list(opendata.participant_group_rows(exercise))
    groups = list(opendata.group_statement_rows(exercise))

    assert len(votes) == 12 * len(published)
    participant_ids = set(Participant.objects.values_list("pk", flat=True))
    assert {row[0] for row in votes} <= participant_ids
    assert all(isinstance(v, int) for row in votes for v in row[:3])
    published_ids = {s.pk for s in published}
    assert {row[1] for row in votes} == published_ids
    assert statements["pending"].pk not in {row[0] for row in statements_rows}
    everything = repr((votes, statements_rows, placed, groups))
    for personal in (manager.username, "anon-1", "autor", "navegador1"):
        assert personal not in everything
    assert {row[1] for row in placed} <= set("ABCDE")
    assert {row[0] for row in groups} <= {"representativa", "consenso"}


def test_an_exercise_without_deliberation_has_empty_tables(exercise):
    for source in (
        opendata.vote_rows,
        opendata.statement_rows,
        opendata.participant_group_rows,
        opendata.group_statement_rows,
    ):
        assert list(source(exercise)) == []


def test_the_exercise_dataset_carries_the_tables_only_with_a_deliberation(
    deliberation, statements, manager, exercise
):
    names = {"deliberacion-afirmaciones", "deliberacion-votos"}
    names |= {"deliberacion-participantes", "deliberacion-grupos"}
    for i in range(3):
        person = services.participant_get_or_create(
            deliberation=deliberation, anonymous_key=f"anon-{i}"
        )
        for s in statements["published"]:
            services.vote_cast(participant=person, statement_id=s.pk, value=1, channel="web")

    tables = {t.name: t for t in exercise_tables(exercise)}
    votes = tables["deliberacion-votos"]
    rows = list(votes.rows(exercise))
    csv = b"".join(votes.csv(exercise)).decode()

    assert names <= set(tables)
    assert len(rows) == 9
    pks = {str(pk) for pk in Participant.objects.values_list("pk", flat=True)}
    assert not {row[0] for row in rows} & pks  # pseudonyms, not row ids
    assert csv.splitlines()[0] == "participante,afirmacion_id,voto,canal"
    assert "anon-" not in csv


def test_an_exercise_without_deliberation_publishes_no_deliberation_tables(exercise):
    assert not [t for t in exercise_tables(exercise) if t.name.startswith("deliberacion")]
