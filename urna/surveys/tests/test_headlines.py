"""The perception survey's headline results for the indicators, hand-counted: of four
respondents two know Urna, one of them uses it and is satisfied (4 of 5)."""

import pytest

from urna.surveys import services
from urna.surveys.headlines import perception_headlines
from urna.surveys.results import results_compute

from .conftest import FULL_PATH, SHORT_PATH

pytestmark = pytest.mark.django_db

KNOWS_NOT_USES = [*SHORT_PATH[:3], ("conoce_urna", "1"), ("como_conocio", "1"), ("usa_urna", "2")]


def test_knowledge_use_and_satisfaction_of_a_published_survey(survey):
    paths = [FULL_PATH, KNOWS_NOT_USES, SHORT_PATH, SHORT_PATH]
    for n, path in enumerate(paths):
        services.response_submit(survey=survey, channel="ussd", values=path, key=f"h{n}")
    results_compute(survey_id=survey.pk)
    assert perception_headlines() == []  # not published yet
    survey.published = True
    survey.save(update_fields=["published"])
    [row] = perception_headlines(entity_id=survey.entity_id)
    assert (row["survey"], row["year"], row["weighted"]) == (
        "percepcion",
        survey.opened_at.year,
        False,
    )
    estimates = row["estimates"]
    assert (estimates["perception_knowledge"]["value"], estimates["perception_knowledge"]["n"]) == (
        0.5,
        4,
    )
    assert (estimates["perception_use"]["value"], estimates["perception_use"]["n"]) == (0.25, 4)
    satisfaction = estimates["perception_satisfaction"]
    assert (satisfaction["value"], satisfaction["n"]) == (1.0, 1)
    # 95 % margin with equal weights: 1.96 × sqrt(0.5 × 0.5 / 4) = 0.49
    assert estimates["perception_knowledge"]["moe"] == pytest.approx(0.49, abs=0.001)
    assert perception_headlines(entity_id=survey.entity_id + 999) == []
