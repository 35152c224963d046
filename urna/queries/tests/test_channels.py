"""Queries use the platform's one channel list: each social network is its own channel, and old
rows filed as "social" stay valid."""

import pytest

from urna.core.channels import Channel
from urna.queries import services
from urna.queries.models import Query, QueryChannel

pytestmark = pytest.mark.django_db


def test_the_query_channel_is_the_platform_channel():
    assert QueryChannel is Channel
    assert Query._meta.get_field("channel").choices == Channel.choices


@pytest.mark.parametrize("channel", ["facebook", "instagram", "x", "tv", "social"])
def test_every_platform_channel_files_a_query(channel, agri, clock):
    result = services.query_submit(
        type="peticion",
        text="Solicito información sobre el programa de vivienda rural.",
        channel=channel,
        entity=agri,
    )

    assert Query.objects.get(pk=result.query.pk).channel == channel


@pytest.mark.parametrize("channel", ["instagram", "x", "tv"])
def test_the_api_files_by_every_channel(channel, client, clock, agri):
    response = client.post(
        "/api/v1/queries",
        {
            "type": "peticion",
            "text": "Solicito información del programa de vivienda rural.",
            "channel": channel,
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    assert Query.objects.get(receipt=response.json()["receipt"]).channel == channel


def test_the_api_refuses_the_exercise_channel(client, clock, agri):
    response = client.post(
        "/api/v1/queries",
        {
            "type": "peticion",
            "text": "Solicito información del programa de vivienda rural.",
            "channel": "exercise",
        },
        content_type="application/json",
    )

    assert response.status_code == 422
    assert Query.objects.count() == 0


def test_a_question_from_facebook_keeps_its_network(exercise_question, clock):
    _exercise, contribution = exercise_question("facebook", "UC-2026-0000009")

    query = services.query_from_contribution(contribution=contribution)

    assert query.channel == Channel.FACEBOOK
