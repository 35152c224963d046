"""The staff API of the matrix, through the router (``urna.api`` mounts it under /api/v1)."""

import pytest
from ninja.testing import TestClient

from urna.accounts.models import Role
from urna.accounts.services import api_token_create
from urna.core.errors import InvalidInput, NotFound
from urna.exercises.models import ContributionResponse
from urna.results.api import router

pytestmark = pytest.mark.django_db

REASON = "Se incluirá un programa de vías terciarias en el plan plurianual."
client = TestClient(router)


def _auth(user):
    _token, raw = api_token_create(user=user, by=user, name="pruebas")
    return {"Authorization": f"Bearer {raw}"}


def test_the_list_pages_by_keyset_cursor_with_filters_and_masked_text(seeded, manager):
    exercise = seeded["exercise"]
    url = f"/staff/exercises/{exercise.slug}/matrix"
    headers = _auth(manager)

    first = client.get(f"{url}?limit=4", headers=headers).json()
    second = client.get(f"{url}?limit=4&after={first['next_cursor']}", headers=headers).json()
    sms = client.get(f"{url}?canal=sms&limit=50", headers=headers).json()

    ids = [c.pk for c in seeded["roads"] + seeded["campaign"] + seeded["credit"]]
    assert [r["id"] for r in first["items"] + second["items"]] == ids[:8]
    assert (first["answered"], first["total"]) == (0, 9)
    assert [r["id"] for r in sms["items"]] == [c.pk for c in seeded["campaign"]]
    assert sms["next_cursor"] is None


def test_answering_a_campaign_and_a_theme_by_api(seeded, manager):
    exercise = seeded["exercise"]
    url = f"/staff/exercises/{exercise.slug}/matrix/answers"
    headers = _auth(manager)

    campaign = client.post(
        url,
        json={
            "selection": "campaign",
            "campana": seeded["group"].pk,
            "decision": "partial",
            "reason": REASON,
        },
        headers=headers,
    ).json()
    theme = client.post(
        url,
        json={
            "selection": "theme",
            "tema": seeded["road_theme"].pk,
            "decision": "accepted",
            "reason": REASON,
        },
        headers=headers,
    ).json()

    assert (campaign["status"], campaign["answered"], campaign["group"]) == (
        "done",
        4,
        "Campaña (4 aportes)",
    )
    assert (theme["answered"], theme["skipped"], theme["group"]) == (2, 4, "vías terciarias")
    assert ContributionResponse.objects.count() == 6


def test_api_scoping_and_errors(seeded, manager, education, make_staff):
    exercise = seeded["exercise"]
    outsider = make_staff(education, Role.MANAGER, username="otra")

    with pytest.raises(NotFound):
        client.get(f"/staff/exercises/{exercise.slug}/matrix", headers=_auth(outsider))
    with pytest.raises(InvalidInput):
        client.post(
            f"/staff/exercises/{exercise.slug}/matrix/answers",
            json={"selection": "theme", "tema": 999, "decision": "accepted", "reason": REASON},
            headers=_auth(manager),
        )
    assert client.get(f"/staff/exercises/{exercise.slug}/matrix").status_code == 401
    assert not ContributionResponse.objects.exists()
