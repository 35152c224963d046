"""Limits on filing queries: the network limit holds whatever contact a client types, and the
acknowledgement goes to an address nobody proved only a few times a day."""

import pytest

from urna.contacts.services import ContactDetails
from urna.core.errors import RateLimited
from urna.messaging.models import OutboundMessage
from urna.queries import services
from urna.queries.models import Query
from urna.queries.services import intake

pytestmark = pytest.mark.django_db

TEXT = "Solicito información sobre el programa de vivienda rural."


def _submit(request, email):
    return services.query_submit(
        type="peticion",
        text=TEXT,
        channel="web",
        contact=ContactDetails(email=email, consent=True),
        request=request,
    )


def test_fresh_contact_emails_do_not_widen_the_network_limit(agri, rf, monkeypatch):
    monkeypatch.setattr(intake, "SUBMIT_RATE_PER_CLIENT", "3/3600")
    request = rf.post("/api/v1/queries", REMOTE_ADDR="190.0.0.1")
    for n in range(3):
        _submit(request, f"persona{n}@example.org")

    with pytest.raises(RateLimited):
        _submit(request, "otra@example.org")
    assert Query.objects.count() == 3


def test_the_api_answers_the_network_limit_in_its_json_shape(client, agri, monkeypatch):
    monkeypatch.setattr(intake, "SUBMIT_RATE_PER_CLIENT", "2/3600")

    def post(n):
        body = {"type": "peticion", "text": TEXT, "consent": True}
        body["contact"] = {"email": f"p{n}@example.org"}
        return client.post("/api/v1/queries", body, content_type="application/json")

    statuses = [post(n).status_code for n in range(3)]
    refused = post(9)

    assert statuses == [201, 201, 429]
    assert refused.json()["code"] == "rate_limited"
    assert "Intente de nuevo más tarde" in refused.json()["detail"]


def test_an_address_gets_a_few_acknowledgements_a_day(agri, rf):
    # Each filing from another network: only the address limits the emails it receives.
    for n in range(6):
        _submit(rf.post("/api/v1/queries", REMOTE_ADDR=f"190.0.0.{n + 1}"), "victima@example.org")

    assert Query.objects.count() == 6
    assert OutboundMessage.objects.filter(to="victima@example.org").count() == 3
