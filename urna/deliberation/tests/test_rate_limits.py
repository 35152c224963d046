"""Web and API votes and proposals are rate limited per participant and per network, with a
clear Spanish message and HTTP 429."""

import pytest
from django.urls import reverse

from urna.deliberation.models import Statement, Vote

pytestmark = pytest.mark.django_db


def test_a_browser_voting_too_fast_gets_429(client, statements, exercise, settings):
    settings.URNA_DELIBERATION_RATES = {"vote": "2/60"}
    url = reverse("deliberation:vote", kwargs={"slug": exercise.slug})
    published = statements["published"]
    for statement in published[:2]:
        assert client.post(url, {"statement": statement.pk, "value": "1"}).status_code == 302

    response = client.post(url, {"statement": published[2].pk, "value": "1"})

    assert response.status_code == 429
    assert "Ha votado muchas veces en muy poco tiempo" in response.content.decode()
    assert Vote.objects.count() == 2


def test_new_browsers_from_one_network_meet_its_limit(client, statements, exercise, settings):
    settings.URNA_DELIBERATION_RATES = {"vote-network": "3/60"}
    url = reverse("deliberation:vote", kwargs={"slug": exercise.slug})
    statement = statements["published"][0]
    codes = []
    for _ in range(4):
        client.cookies.clear()  # a script without cookies: a new participant each time
        codes.append(client.post(url, {"statement": statement.pk, "value": "1"}).status_code)
    assert codes == [302, 302, 302, 429]
    assert Vote.objects.count() == 3


def test_the_api_limits_votes_with_a_clear_message(client, statements, exercise, settings):
    settings.URNA_DELIBERATION_RATES = {"vote": "1/60"}
    base = f"/api/v1/exercises/{exercise.slug}/deliberation/votes"
    body = {"statement": statements["published"][0].pk, "value": 1, "participant": "app-0001"}
    assert client.post(base, body, content_type="application/json").status_code == 200

    refused = client.post(base, body, content_type="application/json")

    assert refused.status_code == 429
    assert "Ha votado muchas veces" in refused.content.decode()


def test_proposals_too_fast_get_429(client, deliberation, exercise, settings):
    settings.URNA_DELIBERATION_RATES = {"proposal": "1/3600"}
    url = reverse("deliberation:propose", kwargs={"slug": exercise.slug})
    assert client.post(url, {"text": "Primero los caminos veredales."}).status_code == 302

    response = client.post(url, {"text": "Después los centros de acopio."})

    assert response.status_code == 429
    assert "Ha propuesto muchas afirmaciones en poco tiempo" in response.content.decode()
    assert Statement.objects.filter(origin=Statement.Origin.PARTICIPANT).count() == 1
