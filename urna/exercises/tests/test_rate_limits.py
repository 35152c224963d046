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


def test_the_network_limit_applies_whatever_identity_the_client_sends(client, exercise, tight):
    # The flood: a fresh X-Client-Id (or contact) on every request from one address.
    statuses = [
        post(client, exercise, f"Aporte número {i}", HTTP_X_CLIENT_ID=f"app-{i}").status_code
        for i in range(7)
    ]

    assert statuses == [201] * 5 + [429] * 2
    assert Contribution.objects.count() == 5


def test_fresh_contacts_do_not_widen_the_network_limit(exercise, tight, rf):
    request = rf.post("/api/v1/", REMOTE_ADDR="190.0.0.1")
    for n in range(5):
        services.contribution_submit(
            exercise=exercise,
            kind="opinion",
            text=f"Aporte con contacto {n}",
            channel="web",
            contact=ContactDetails(email=f"p{n}@example.org", consent=True),
            request=request,
        )

    with pytest.raises(RateLimited):
        services.contribution_submit(
            exercise=exercise,
            kind="opinion",
            text="Uno más con otro correo",
            channel="web",
            contact=ContactDetails(email="p9@example.org", consent=True),
            request=request,
        )
    assert Contribution.objects.count() == 5


def test_the_network_is_the_hop_the_trusted_proxy_added(client, exercise, tight, settings):
    settings.TRUSTED_PROXY = True
    statuses = [
        post(
            client,
            exercise,
            f"Aporte detrás del proxy {i}",
            HTTP_X_CLIENT_ID=f"app-{i}",
            HTTP_X_FORWARDED_FOR=f"10.9.{i}.1, 190.0.0.7",  # the client writes the first hop
        ).status_code
        for i in range(6)
    ]

    assert statuses == [201] * 5 + [429]


def test_one_ipv6_subscriber_block_is_one_network(client, exercise, tight):
    statuses = [
        post(
            client,
            exercise,
            f"Aporte por IPv6 {i}",
            HTTP_X_CLIENT_ID=f"app-{i}",
            REMOTE_ADDR=f"2001:db8:5:7::{i + 1:x}",
        ).status_code
        for i in range(6)
    ]

    assert statuses == [201] * 5 + [429]


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
