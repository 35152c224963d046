"""Perception surveys in the indicators: completed responses are interactions (a response
completed after the refresh passed its row still counts, so rebuild = incremental), and the
published waves' headline shares are percentages, the year's being its latest wave's."""

import pytest

from urna.accounts.models import Role
from urna.indicators.engine import reads
from urna.indicators.engine.refresh import indicators_rebuild, indicators_refresh
from urna.indicators.models import IndicatorFact
from urna.surveys import services
from urna.surveys.models import Response
from urna.surveys.results import results_compute
from urna.surveys.tests.conftest import FULL_PATH, SHORT_PATH, TEMPLATE

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(agriculture, make_staff):
    """The perception survey template, imported and opened (as the surveys' own tests do)."""
    manager = make_staff(agriculture, Role.MANAGER, username="gestora")
    with TEMPLATE.open("rb") as handle:
        created = services.survey_import(
            entity=agriculture, file=handle, filename="percepcion.xlsx", by=manager
        )
    return services.survey_transition(survey=created, action="open", by=manager)


def facts() -> dict:
    return {
        (f.key, f.year, f.month, f.scope_kind, f.scope, f.dim): f.value
        for f in IndicatorFact.objects.all()
    }


def test_survey_responses_count_once_complete_even_when_completed_after_a_refresh(survey):
    year, month = survey.opened_at.year, survey.opened_at.month
    services.response_submit(survey=survey, channel="ussd", values=SHORT_PATH, key="u1")
    web = services.response_start(survey=survey, channel="web")
    indicators_refresh(settle_seconds=0)
    first = reads.values(years=[year], month=month)[("interactions_surveys", year)]

    # The web response, stored before that refresh, is completed after it.
    errors = services.response_answer(response=web, values=dict(SHORT_PATH))
    indicators_refresh(settle_seconds=0)
    incremental = facts()
    indicators_rebuild()

    assert errors == {}
    assert Response.objects.get(pk=web.pk).status == Response.Status.COMPLETE
    assert first == 1
    assert reads.values(years=[year], month=month)[("interactions_surveys", year)] == 2
    entity = reads.values(years=[year], scope_kind="entity", scope=str(survey.entity_id))
    assert entity[("interactions_surveys", year)] == 2
    # USSD answers came as inbound messages (counted there); the web one is inbound traffic.
    assert reads.breakdown(key="channel_inbound", year=year).get("web") == 1
    assert incremental == facts()


def test_published_perception_waves_give_percentages(survey):
    year = survey.opened_at.year
    for n, path in enumerate([FULL_PATH, SHORT_PATH, SHORT_PATH, SHORT_PATH]):
        services.response_submit(survey=survey, channel="ussd", values=path, key=f"p{n}")
    results_compute(survey_id=survey.pk)
    indicators_refresh(settle_seconds=0)
    assert reads.values(years=[year])[("perception_knowledge", year)] is None  # unpublished

    survey.published = True
    survey.save(update_fields=["published", "updated_at"])
    indicators_refresh(settle_seconds=0)
    values = reads.values(years=[year])

    # Hand count: 1 of 4 knows Urna and uses it; that one is satisfied (4 of 5).
    assert values[("perception_knowledge", year)] == 25.0
    assert values[("perception_use", year)] == 25.0
    assert values[("perception_satisfaction", year)] == 100.0
    month = reads.values(years=[year], month=survey.opened_at.month)
    assert month[("perception_use", year)] == 25.0
