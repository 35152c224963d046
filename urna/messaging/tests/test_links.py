"""Tracked links: the redirect goes only where Urna signed, counts the first click on the
message and every click apart, and knows nothing about who clicked."""

import json

import pytest
from django.core import signing

from urna.contacts.models import Contact
from urna.jobs.services import run_pending
from urna.messaging.backends import Batch, dispatch_file
from urna.messaging.dispatch import dispatch_create, dispatch_enqueue
from urna.messaging.links import LINK_SALT, link_destination, tracked_url
from urna.messaging.models import LinkClick, OutboundMessage

pytestmark = [pytest.mark.django_db, pytest.mark.urls("urna.messaging.tests.urls")]

DESTINATION = "https://urna.gov.co/ejercicios/pacto-agrario/?utm=sms"


@pytest.fixture
def message():
    return OutboundMessage.objects.create(channel="sms", to="+573001234567", body="", status="sent")


def path_of(url, settings):
    return url.removeprefix(settings.PUBLIC_BASE_URL)


def test_a_tracked_url_is_under_the_public_base_url(settings, message):
    settings.PUBLIC_BASE_URL = "https://urna.gov.co"

    url = tracked_url(message.pk, DESTINATION)

    assert url.startswith("https://urna.gov.co/l/") and url.endswith("/")
    assert DESTINATION not in url  # compressed and signed, not readable in the SMS


def test_a_click_redirects_to_the_signed_url_and_is_counted(client, settings, message):
    url = tracked_url(message.pk, DESTINATION)

    response = client.get(path_of(url, settings))

    assert (response.status_code, response["Location"]) == (302, DESTINATION)
    assert response["Referrer-Policy"] == "no-referrer"
    message.refresh_from_db()
    first = message.clicked_at
    assert first is not None
    click = LinkClick.objects.get()
    assert (click.message_id, click.url) == (message.pk, DESTINATION)
    assert {f.name for f in LinkClick._meta.fields} == {"id", "message", "url", "at"}

    client.get(path_of(url, settings))

    message.refresh_from_db()
    assert message.clicked_at == first  # the first click stays
    assert LinkClick.objects.count() == 2


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps([1, "https://evil.example/"], salt="another.salt"),
        signing.dumps([1, "https://evil.example/"], key="not-our-secret", salt=LINK_SALT),
        signing.dumps([1, "javascript:alert(1)"], salt=LINK_SALT),
        signing.dumps({"m": 1}, salt=LINK_SALT),
    ],
    ids=["garbage", "other-salt", "other-key", "not-http", "wrong-shape"],
)
def test_a_token_urna_did_not_sign_is_a_404_never_a_redirect(client, message, token):
    response = client.get(f"/l/{token}/")

    assert response.status_code == 404
    assert not LinkClick.objects.exists()


def test_a_tampered_token_is_a_404(client, settings, message):
    token = path_of(tracked_url(message.pk, DESTINATION), settings).split("/")[2]
    value, signature = token.rsplit(":", 1)

    response = client.get(f"/l/{value}x:{signature}/")

    assert response.status_code == 404


def test_a_scanner_checking_the_link_is_redirected_without_a_click(client, settings, message):
    url = tracked_url(message.pk, DESTINATION)

    response = client.head(path_of(url, settings))

    assert (response.status_code, response["Location"]) == (302, DESTINATION)
    assert not LinkClick.objects.exists()
    message.refresh_from_db()
    assert message.clicked_at is None


def test_a_link_of_a_message_since_deleted_still_redirects(client, settings, message):
    url = tracked_url(message.pk + 1000, DESTINATION)

    response = client.get(path_of(url, settings))

    assert response.status_code == 302
    assert not LinkClick.objects.exists()


def test_a_dispatch_renders_enlace_as_a_tracked_link_per_message(settings, gate, outbox):
    settings.PUBLIC_BASE_URL = "https://urna.gov.co"
    people = Contact.objects.bulk_create(Contact(phone=f"+57301000000{n}") for n in range(2))
    gate.allow(*people)
    dispatch = dispatch_create(
        channel="sms",
        purpose="campaigns",
        body="Vea los resultados: {enlace}",
        link_url=DESTINATION,
    )
    dispatch_enqueue(dispatch=dispatch, recipients=Contact.objects.values_list("id", "phone"))

    run_pending()

    folder = dispatch_file(Batch(dispatch.pk, 0, 0)).parent
    records = [json.loads(x) for p in folder.glob("*.jsonl") for x in p.read_text().splitlines()]
    assert len(records) == 2
    for record in records:
        link = record["body"].removeprefix("Vea los resultados: ")
        token = link.removeprefix("https://urna.gov.co/l/").rstrip("/")
        assert link_destination(token) == (record["id"], DESTINATION)
