"""The staff API of campaigns through the router (``urna.api`` mounts it under /api/v1)."""

import pytest
from ninja.testing import TestClient

from urna.accounts.services import api_token_create
from urna.campaigns import services
from urna.campaigns.api import router
from urna.core.errors import NotFound
from urna.jobs.services import run_pending

pytestmark = pytest.mark.django_db
client = TestClient(router)


def _auth(user):
    _token, raw = api_token_create(user=user, by=user, name="pruebas")
    return {"Authorization": f"Bearer {raw}"}


def test_list_detail_with_metrics_and_segment_count(
    approved, author, make_contact, segment, outbox
):
    make_contact(sms=True)
    make_contact(sms=True, email=True)
    make_contact(email=True)
    campaign = approved()
    services.campaign_transition(campaign=campaign, action="schedule", by=author)
    run_pending()
    headers = _auth(author)

    listing = client.get("/staff/campaigns", headers=headers).json()
    detail = client.get(f"/staff/campaigns/{campaign.pk}", headers=headers).json()
    count = client.get(f"/staff/segments/{segment.pk}/count", headers=headers).json()

    assert [(c["id"], c["status"], c["channels"]) for c in listing] == [
        (campaign.pk, "sent", ["sms", "email"])
    ]
    assert detail["approved_by"] == "aprobadora"
    assert [(m["channel"], m["recipients"], m["sent"]) for m in detail["metrics"]] == [
        ("sms", 2, 2),
        ("email", 1, 1),
    ]
    assert count == {
        "id": segment.pk,
        "name": "Todos",
        "total": 3,
        "channels": [
            {"channel": "sms", "contacts": 2},
            {"channel": "whatsapp", "contacts": 0},
            {"channel": "email", "contacts": 2},
        ],
    }


def test_api_scoping(make_campaign, outsider, segment):
    campaign = make_campaign()
    headers = _auth(outsider)

    assert client.get("/staff/campaigns", headers=headers).json() == []
    with pytest.raises(NotFound):
        client.get(f"/staff/campaigns/{campaign.pk}", headers=headers)
    with pytest.raises(NotFound):
        client.get(f"/staff/segments/{segment.pk}/count", headers=headers)
    assert client.get("/staff/campaigns").status_code == 401
