"""Acceptance of issue #14: the demo Pacto Agrario (AGRO) is answered completely through the
matrix, by campaign groups and themes, and its results are published."""

from io import StringIO

import pytest
from django.urls import reverse

from urna.accounts.demo import demo_load as accounts_demo
from urna.accounts.models import Role
from urna.entities.demo import demo_load as entities_demo
from urna.entities.models import Entity
from urna.exercises import services as exercise_services
from urna.exercises.demo import demo_load as exercises_demo
from urna.exercises.models import Exercise
from urna.insights.demo import demo_load as insights_demo
from urna.insights.models import DuplicateGroup
from urna.insights.selectors import analysis_current, live_themes
from urna.jobs.services import run_pending
from urna.results import selectors

pytestmark = pytest.mark.django_db

REASON = "Se incorpora al Pacto Agrario en la línea de acción correspondiente."


def _answer(client, exercise, **data):
    response = client.post(
        reverse("results:answer_many", args=[exercise.slug]),
        {"decision": "partial", "reason": REASON, "keep": "on", **data},
    )
    assert response.status_code == 302
    # A selection larger than the inline limit was queued: the worker answers it.
    run_pending()
    return response


def test_demo_agrarian_pact_is_answered_through_the_matrix_and_published(
    client, national_entities, make_staff
):
    out = StringIO()
    entities_demo(stdout=out)
    accounts_demo(stdout=out)
    exercises_demo(stdout=out)
    insights_demo(stdout=out)
    exercise = Exercise.objects.get(code="AGRO")
    manager = make_staff(Entity.objects.get(acronym="MINAGRICULTURA"), Role.MANAGER)
    exercise_services.exercise_transition(exercise=exercise, to="analysis", by=manager)
    exercise.refresh_from_db()
    analysis = analysis_current(exercise)
    client.force_login(manager)
    total = selectors.matrix_progress(exercise).total
    assert total > 3000

    campaigns = list(DuplicateGroup.objects.filter(analysis=analysis, size__gte=2)[:5])
    for group in campaigns:
        _answer(client, exercise, selection="campaign", campana=group.pk)
    after_campaigns = selectors.matrix_progress(exercise).answered
    for theme in live_themes(analysis):
        _answer(client, exercise, selection="theme", tema=theme.pk)
    after_themes = selectors.matrix_progress(exercise).answered
    # What no theme holds (unclassified, the exercise's own opinions): the whole filter.
    _answer(client, exercise, selection="filter", respondidos="no", title="Otros aportes")
    page = client.get(reverse("results:matrix", args=[exercise.slug])).content.decode()
    published = client.post(
        reverse("exercises:staff_transition", args=[exercise.slug]), {"to": "results"}
    )

    assert 0 < after_campaigns < after_themes < total
    progress = selectors.matrix_progress(exercise)
    assert progress.complete and progress.total == total
    assert f"{selectors.number_es(total)} de {selectors.number_es(total)} respondidos" in page
    assert published.status_code == 302
    exercise.refresh_from_db()
    assert exercise.status == "results" and exercise.results_published_at is not None
