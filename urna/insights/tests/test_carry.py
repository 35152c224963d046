"""Analysts' edits survive a re-run of the analysis, where their texts still exist."""

import pytest

from urna.exercises.models import Contribution
from urna.insights import services
from urna.insights.models import Assignment, Operation, Theme
from urna.insights.tests.conftest import add_contributions, opinions
from urna.insights.tests.test_analysis import run, theme_of

pytestmark = pytest.mark.django_db


def members(theme):
    return set(Assignment.objects.filter(theme=theme).values_list("contribution_id", flat=True))


def ids(corpus, prefix):
    return {c.pk for key, (c, _) in corpus.items() if key.startswith(prefix)}


def test_rename_merge_move_pin_and_finding_survive_a_rerun(exercise, corpus, analyst):
    # Given an analysis edited by an analyst
    first = run(exercise, analyst)
    roads = theme_of(first, corpus["roads-0"][0])
    health = theme_of(first, corpus["health-0"][0])
    credit = theme_of(first, corpus["credit-0"][0])
    services.theme_rename(theme=roads, label="Vías terciarias", by=analyst)
    health = services.theme_merge(source=credit, target=health, by=analyst)
    services.theme_rename(theme=health, label="Salud y crédito", by=analyst)
    services.theme_finding(
        theme=health, is_finding=True, conclusion="Piden salud rural y crédito barato.", by=analyst
    )
    moved = corpus["health-3"][0]
    services.contributions_move(analysis=first, contribution_ids=[moved.pk], to=roads, by=analyst)
    pinned = corpus["roads-7"][0]
    services.quote_pin(theme=roads, contribution_id=pinned.pk, pinned=True, by=analyst)
    lost_pin = corpus["health-5"][0]
    services.quote_pin(theme=health, contribution_id=lost_pin.pk, pinned=True, by=analyst)
    # ... then new contributions arrive and one pinned text is hidden by a moderator
    new = add_contributions(exercise, [t for _, _, t in opinions(5, seed=99, prefix="new-")])
    Contribution.objects.filter(pk=lost_pin.pk).update(moderation="hidden")

    # When the analysis runs again
    second = run(exercise, analyst)

    # Then every edit is on the new analysis
    live = list(Theme.objects.filter(analysis=second, live=True).order_by("-size"))
    assert [t.name for t in live] == ["Salud y crédito", "Vías terciarias"]
    health2, roads2 = live
    assert health2.is_finding is True
    assert health2.conclusion == "Piden salud rural y crédito barato."
    assert health2.pinned_ids == []  # its text is hidden now: not analysed, not quoted
    assert roads2.pinned_ids == [pinned.pk]
    assert not roads2.is_finding
    old_roads = ids(corpus, "roads-") | ids(corpus, "camp-")
    old_health_credit = (ids(corpus, "health-") | ids(corpus, "credit-")) - {moved.pk, lost_pin.pk}
    assert old_roads | {moved.pk} <= members(roads2)
    assert old_health_credit <= members(health2)
    assert Assignment.objects.get(analysis=second, contribution=moved).analyst_moved is True
    # The new texts were classified by topic (5 roads, 10 health or credit).
    new_ids = {c.pk for c in new}
    assert len(new_ids & members(roads2)) == 5
    assert len(new_ids & members(health2)) == 10
    assert (roads2.size, health2.size) == (42 + 1 + 5, 59 - 1 + 10)
    assert list(Operation.objects.filter(analysis=second).values_list("kind", flat=True)) == [
        "merge"
    ]


def test_a_split_is_replayed_and_its_halves_keep_their_names(exercise, analyst):
    # Given three topics in two themes; the theme holding two of them is split and renamed
    items = opinions(25)
    made = add_contributions(exercise, [text for _, _, text in items])
    topic_of = {c.pk: t for (_, t, _), c in zip(items, made, strict=True)}
    first = run(exercise, analyst, k=2)
    themes = {t: {topic_of[c] for c in members(t)} for t in Theme.objects.filter(analysis=first)}
    (mixed,) = [t for t, topics in themes.items() if len(topics) == 2]
    halves = services.theme_split(theme=mixed, by=analyst)
    half_topics = [{topic_of[c] for c in members(h)} for h in halves]
    assert sorted(map(len, half_topics)) == [1, 1]
    assert half_topics[0] | half_topics[1] == themes[mixed]
    names = {}
    for half, topics in zip(halves, half_topics, strict=True):
        (topic,) = topics
        names[topic] = f"Mitad {topic}"
        services.theme_rename(theme=half, label=names[topic], by=analyst)

    # When it runs again with more texts
    add_contributions(exercise, [text for _, _, text in opinions(4, seed=5)])
    second = run(exercise, analyst, k=2)

    # Then the theme is split again and each half has its name back, with its topic's texts
    live = {t.name: t for t in Theme.objects.filter(analysis=second, live=True)}
    assert set(names.values()) <= set(live)
    for topic, name in names.items():
        assert {topic_of[c] for c in members(live[name]) if c in topic_of} == {topic}
        assert live[name].size == 25 + 4
    assert list(Operation.objects.filter(analysis=second).values_list("kind", flat=True)) == [
        "split"
    ]


def test_edits_on_a_replaced_analysis_are_refused(exercise, corpus, analyst):
    from urna.core.errors import Conflict

    first = run(exercise, analyst)
    run(exercise, analyst)
    old = Theme.objects.filter(analysis=first).first()

    with pytest.raises(Conflict):
        services.theme_rename(theme=old, label="Tarde", by=analyst)

    old.refresh_from_db()
    assert old.analyst_label == ""
