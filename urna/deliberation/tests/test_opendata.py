"""The open-data sources of a deliberation: the vote matrix and the groups, without personal
data — participants only by their row id (the published table turns it into an opaque hash),
only published statements, masked texts."""

from urna.deliberation import opendata, services
from urna.deliberation.models import Participant
from urna.deliberation.recompute import deliberation_recompute


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
