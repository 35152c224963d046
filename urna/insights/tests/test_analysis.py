"""The analysis job on a small fixed corpus, run through the job queue."""

import pytest

from urna.audit.models import AuditEntry
from urna.core.errors import Conflict, PermissionDenied
from urna.exercises.models import Contribution
from urna.insights import services
from urna.insights.models import Analysis, Assignment, DuplicateGroup, ModerationFlag, Theme
from urna.insights.tests.conftest import add_contributions
from urna.jobs.models import Job
from urna.jobs.services import run_pending

pytestmark = pytest.mark.django_db


def run(exercise, by, k=3):
    analysis = services.analysis_start(exercise=exercise, by=by, k=k)
    run_pending()
    analysis.refresh_from_db()
    return analysis


def theme_of(analysis, contribution):
    return Assignment.objects.get(analysis=analysis, contribution=contribution).theme


def test_the_job_stores_themes_groups_and_statistics(exercise, corpus, analyst):
    analysis = run(exercise, analyst)

    assert analysis.status == Analysis.Status.DONE
    assert analysis.progress == 1
    assert analysis.statistics["contributions"] == 105
    assert analysis.statistics["distinct_contributions"] == 94  # the campaign counts once
    assert Job.objects.get(pk=analysis.job_id).status == Job.Status.DONE
    assert Assignment.objects.filter(analysis=analysis).count() == 105
    # Each topic lands in exactly one theme, and the three themes differ.
    by_topic = {}
    for contribution, topic in corpus.values():
        if topic:
            by_topic.setdefault(topic, set()).add(theme_of(analysis, contribution).pk)
    assert all(len(themes) == 1 for themes in by_topic.values())
    assert len({next(iter(t)) for t in by_topic.values()}) == 3
    roads = Theme.objects.get(pk=next(iter(by_topic["roads"])))
    assert (roads.size, roads.distinct_size) == (42, 31)
    # Short texts stay unclassified.
    assert [theme_of(analysis, corpus[k][0]) for k in ("short-1", "short-2", "short-3")] == [
        None
    ] * 3


def test_the_campaign_is_one_group_with_a_representative_in_it(exercise, corpus, analyst):
    analysis = run(exercise, analyst)

    group = DuplicateGroup.objects.get(analysis=analysis)
    members = set(Assignment.objects.filter(group=group).values_list("contribution_id", flat=True))
    campaign = {corpus[f"camp-{i}"][0].pk for i in range(12)}
    assert group.size == 12
    assert members == campaign
    assert group.representative_id in campaign
    assert group.theme == theme_of(analysis, corpus["camp-0"][0])


def test_quotes_belong_to_their_theme(exercise, corpus, analyst):
    analysis = run(exercise, analyst)

    for theme in Theme.objects.filter(analysis=analysis):
        members = set(
            Assignment.objects.filter(theme=theme).values_list("contribution_id", flat=True)
        )
        assert 3 <= len(theme.quote_ids) <= 5
        assert set(theme.quote_ids) <= members


def test_hidden_contributions_and_answers_are_not_analysed(exercise, corpus, analyst):
    hidden = corpus["health-0"][0]
    Contribution.objects.filter(pk=hidden.pk).update(moderation=Contribution.Moderation.HIDDEN)
    add_contributions(exercise, [""], kind=Contribution.Kind.ANSWER)

    analysis = run(exercise, analyst)

    assert analysis.statistics["contributions"] == 104
    assert not Assignment.objects.filter(analysis=analysis, contribution=hidden).exists()


def test_likely_abuse_and_personal_data_are_flagged_never_hidden(exercise, corpus, analyst):
    phone, insult, threat, email = add_contributions(
        exercise,
        [
            "Llámenme al 310 555 1234 para contarles lo de la vía de la vereda.",
            "Ese alcalde es un malparido que no arregla nada de la carretera.",
            "Si no arreglan el puente los vamos a matar a todos.",
            "Escríbanme a campesino.vereda@example.com sobre el crédito agrario.",
        ],
    )

    run(exercise, analyst)

    flags = set(ModerationFlag.objects.values_list("contribution_id", "code"))
    assert flags == {
        (phone.pk, "phone"),
        (insult.pk, "insult"),
        (threat.pk, "threat"),
        (email.pk, "email"),
    }
    assert set(
        Contribution.objects.filter(pk__in=[phone.pk, insult.pk, threat.pk, email.pk]).values_list(
            "moderation", flat=True
        )
    ) == {Contribution.Moderation.VISIBLE}
    # A second run raises no flag twice.
    run(exercise, analyst)
    assert ModerationFlag.objects.count() == 4


def test_one_analysis_at_a_time_per_exercise(exercise, corpus, analyst):
    services.analysis_start(exercise=exercise, by=analyst)

    with pytest.raises(Conflict):
        services.analysis_start(exercise=exercise, by=analyst)

    assert Analysis.objects.count() == 1
    assert Job.objects.filter(name="insights.analyse").count() == 1


def test_the_run_is_audited_and_needs_permission(exercise, corpus, analyst, outsider):
    with pytest.raises(PermissionDenied):
        services.analysis_start(exercise=exercise, by=outsider)
    assert Analysis.objects.count() == 0

    analysis = run(exercise, analyst)

    actions = list(
        AuditEntry.objects.filter(object_type="insights.analysis", object_id=str(analysis.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["insights.run", "insights.done"]


def test_a_second_run_prunes_the_first_runs_memberships(exercise, corpus, analyst):
    first = run(exercise, analyst)
    second = run(exercise, analyst)

    assert second.previous_id == first.pk
    assert Assignment.objects.filter(analysis=first).count() == 0
    assert Assignment.objects.filter(analysis=second).count() == 105
    assert services.analysis_current(exercise) == second


def test_a_failed_run_is_recorded_and_leaves_nothing_behind(exercise, corpus, analyst, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disco lleno")

    monkeypatch.setattr("urna.insights.pipeline.analyse", broken)

    analysis = services.analysis_start(exercise=exercise, by=analyst)
    run_pending()
    analysis.refresh_from_db()

    assert analysis.status == Analysis.Status.FAILED
    assert analysis.error == "RuntimeError: disco lleno"
    assert Theme.objects.filter(analysis=analysis).count() == 0
    assert services.analysis_current(exercise) is None
