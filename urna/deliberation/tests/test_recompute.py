"""The recompute job: votes mark the deliberation dirty and queue one job per time slot, never
sooner than N seconds after the last recompute started; the job stores what pages read."""

from datetime import timedelta

import pytest
from django.utils import timezone

from urna.deliberation import services
from urna.deliberation.maths import projection_unpack
from urna.deliberation.models import Deliberation, DeliberationResult
from urna.deliberation.recompute import RECOMPUTE_TASK, deliberation_recompute
from urna.jobs.models import Job


def _jobs():
    return list(Job.objects.filter(name=RECOMPUTE_TASK, status=Job.Status.QUEUED).order_by("id"))


def _vote_all(deliberation, statements, people, value=1):
    for i in range(people):
        who = services.participant_get_or_create(deliberation=deliberation, anonymous_key=f"p{i}")
        for s in statements:
            services.vote_cast(participant=who, statement_id=s.pk, value=value, channel="web")


def test_many_votes_queue_a_single_recompute(deliberation, statements):
    Job.objects.filter(name=RECOMPUTE_TASK).delete()  # the moderation in the fixture queued one
    Deliberation.objects.filter(pk=deliberation.pk).update(dirty=False)

    _vote_all(deliberation, statements["published"], people=5)

    jobs = _jobs()
    assert len(jobs) == 1
    assert jobs[0].kwargs == {"deliberation_id": deliberation.pk}
    assert Deliberation.objects.get(pk=deliberation.pk).dirty is True


def test_the_next_recompute_waits_for_the_interval(deliberation, statements):
    _vote_all(deliberation, statements["published"], people=3)
    Job.objects.filter(name=RECOMPUTE_TASK).delete()

    outcome = deliberation_recompute(deliberation_id=deliberation.pk)
    started = Deliberation.objects.get(pk=deliberation.pk).recomputed_at
    assert outcome["participants"] == 3
    assert Deliberation.objects.get(pk=deliberation.pk).dirty is False

    # A vote during or after the run marks it dirty again and queues the next slot.
    _vote_all(deliberation, statements["published"][:1], people=1, value=-1)
    (job,) = _jobs()
    assert job.run_at >= started + timedelta(seconds=deliberation.recompute_seconds)
    assert job.unique_key.startswith(f"{RECOMPUTE_TASK}:{deliberation.pk}:")

    # Run early (another worker, a retry): it takes nothing and reschedules itself.
    assert deliberation_recompute(deliberation_id=deliberation.pk) == {"skipped": "throttled"}
    assert Deliberation.objects.get(pk=deliberation.pk).recomputed_at == started

    # Once the interval has passed it runs (p0's second vote replaced the first: still 9).
    Deliberation.objects.filter(pk=deliberation.pk).update(
        recomputed_at=timezone.now() - timedelta(seconds=deliberation.recompute_seconds)
    )
    assert deliberation_recompute(deliberation_id=deliberation.pk)["votes"] == 9


def test_the_result_holds_groups_consensus_and_every_placed_participant(deliberation, manager):
    texts = [f"Afirmación de prueba número {i}." for i in range(8)]
    published = [
        services.statement_add(deliberation=deliberation, text=t, by=manager) for t in texts
    ]
    for i in range(30):
        who = services.participant_get_or_create(deliberation=deliberation, anonymous_key=f"q{i}")
        camp = i % 3
        for j, s in enumerate(published):
            value = 1 if j == 0 else (1 if (j + camp) % 3 == 0 else -1)
            services.vote_cast(participant=who, statement_id=s.pk, value=value, channel="web")

    deliberation_recompute(deliberation_id=deliberation.pk, force=True)

    result = DeliberationResult.objects.get(deliberation=deliberation)
    assert (result.participant_count, result.placed_count, result.vote_count) == (30, 30, 240)
    assert result.k == 3
    assert sorted(g["size"] for g in result.groups) == [10, 10, 10]
    assert all(g["repness"] for g in result.groups)
    assert [c["statement"] for c in result.consensus["agree"]][:1] == [published[0].pk]
    assert len(result.map_points) == 30
    ids, xy, groups = projection_unpack(result.projection)
    assert len(ids) == 30 and xy.shape == (30, 2) and set(groups.tolist()) == {0, 1, 2}


def test_a_rejected_statement_leaves_the_groups_and_requests_a_recompute(
    deliberation, statements, moderator
):
    _vote_all(deliberation, statements["published"], people=3)
    deliberation_recompute(deliberation_id=deliberation.pk, force=True)
    Job.objects.filter(name=RECOMPUTE_TASK).delete()

    services.statement_moderate(
        statement=statements["published"][0],
        to="rejected",
        reason="Repite otra afirmación.",
        by=moderator,
    )

    assert len(_jobs()) == 1
    deliberation_recompute(deliberation_id=deliberation.pk, force=True)
    result = DeliberationResult.objects.get(deliberation=deliberation)
    assert result.statement_count == 2
    assert str(statements["published"][0].pk) not in result.statement_stats


@pytest.mark.django_db
def test_a_deleted_deliberation_is_skipped():
    assert deliberation_recompute(deliberation_id=999999) == {"skipped": "deleted"}
