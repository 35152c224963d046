"""The analysis reaches the exercise's own pages: findings on the results page, flags in the
moderators' queue."""

import pytest
from django.utils import timezone

from urna.exercises.models import Exercise
from urna.insights import services
from urna.insights.models import ModerationFlag
from urna.insights.tests.conftest import add_contributions
from urna.insights.tests.test_analysis import run, theme_of

pytestmark = pytest.mark.django_db


def test_results_page_shows_the_analysts_findings(client, exercise, corpus, analyst):
    analysis = run(exercise, analyst)
    roads = theme_of(analysis, corpus["roads-0"][0])
    services.theme_rename(theme=roads, label="Vías terciarias", by=analyst)
    services.theme_finding(
        theme=roads, is_finding=True, conclusion="El campo pide vías terciarias.", by=analyst
    )
    Exercise.objects.filter(pk=exercise.pk).update(
        status=Exercise.Status.RESULTS, results_published_at=timezone.now()
    )

    page = client.get(f"/ejercicios/{exercise.slug}/resultados/").content.decode()

    assert "Hallazgos del análisis" in page
    assert "Vías terciarias" in page
    assert "El campo pide vías terciarias." in page


def test_moderation_queue_filters_flagged_contributions(client, exercise, corpus, moderator):
    (insult,) = add_contributions(
        exercise, ["Ustedes son unos corruptos y ladrones, el ministro es un idiota."]
    )
    services.flags_scan(exercise=exercise)
    assert ModerationFlag.objects.filter(contribution=insult, resolved_at=None).exists()
    client.force_login(moderator)

    page = client.get(f"/ejercicios/gestion/{exercise.slug}/moderacion/?alertas=1").content.decode()

    assert "Alerta automática" in page
    assert insult.text in page
    assert corpus["roads-0"][0].text not in page
