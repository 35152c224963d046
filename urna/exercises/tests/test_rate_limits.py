import json

import pytest

from urna.contacts.services import ContactDetails
from urna.core.errors import RateLimited
from urna.exercises import services
from urna.exercises.models import Contribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise(make_exercise):
    return make_exercise(status="open")


@pytest.fixture
def tight(settings):
    settings.URNA_CONTRIBUTION_RATES = {
        "client": "3/600",
        "contact": "2/600",
        "ip": "5/600",
        "session": "2/600",
    }


def post(client, exercise, text, **headers):
    return client.post(
        f"/api/v1/exercises/{exercise.slug}/contributions",
        json.dumps({"kind": "opinion", "text": text}),
        content_type="application/json",
        **headers,
    )


def test_limit_is_per_client_identity_not_per_address(client, exercise, tight):
    statuses = [
        post(client, exercise, f"Aporte {i}", HTTP_X_CLIENT_ID="kiosco-1").status_code
        for i in range(4)
    ]
    # Another citizen behind the same address (carrier NAT, a town hall) is not affected.
    other = post(client, exercise, "Otra persona", HTTP_X_CLIENT_ID="kiosco-2").status_code

    assert statuses == [201, 201, 201, 429]
    assert other == 201
    assert Contribution.objects.count() == 4


def test_rate_limited_answer_is_spanish_and_stores_nothing(client, exercise, tight):
    for i in range(3):
        post(client, exercise, f"Aporte {i}", HTTP_X_CLIENT_ID="app")

    response = post(client, exercise, "Uno más", HTTP_X_CLIENT_ID="app")

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert "Espere unos minutos" in response.json()["detail"]
    assert not Contribution.objects.filter(text="Uno más").exists()


def test_contact_limit_holds_across_channels(exercise, tight):
    details = ContactDetails(phone="3001234567", consent=True)
    for channel in ("sms", "whatsapp"):
        services.contribution_submit(
            exercise=exercise,
            kind="opinion",
            text=f"Por {channel}",
            channel=channel,
            contact=details,
        )

    with pytest.raises(RateLimited):
        services.contribution_submit(
            exercise=exercise, kind="opinion", text="Por USSD", channel="ussd", contact=details
        )
    assert Contribution.objects.count() == 2


def test_address_only_limit_applies_only_without_any_identity(client, exercise, tight):
    anonymous = [post(client, exercise, f"Anónimo {i}").status_code for i in range(6)]
    identified = post(client, exercise, "Con identidad", HTTP_X_CLIENT_ID="app-9").status_code

    assert anonymous == [201] * 5 + [429]
    assert identified == 201


def test_default_address_limit_is_generous_for_a_town_hall():
    count, seconds = (int(x) for x in services.DEFAULT_RATES["ip"].split("/"))
    assert count >= 1000 and seconds <= 3600


def test_web_form_limit_is_per_browser_session(client, exercise, tight, divipola):
    url = f"/ejercicios/{exercise.slug}/participar/"
    client.get(url)
    statuses = [
        client.post(url, {"kind": "opinion", "text": f"Desde el navegador {i}"}).status_code
        for i in range(3)
    ]
    last = client.post(url, {"kind": "opinion", "text": "Texto que no debe perderse"})

    assert statuses == [302, 302, 429]
    assert last.status_code == 429
    html = last.content.decode()
    assert "Espere unos minutos" in html
    assert "Texto que no debe perderse" in html
    assert Contribution.objects.count() == 2
