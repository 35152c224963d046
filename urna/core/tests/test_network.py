"""The client's address behind trusted proxies, and the per-network limits on receipt lookups."""

import pytest
from django.test import RequestFactory

from urna.contacts.services import ContactDetails
from urna.core import receipts
from urna.core.network import client_ip, network_of
from urna.queries.models import Query
from urna.queries.services import query_submit

PEER = "10.0.0.9"  # the proxy's own address, as the socket sees it


def _request(forwarded=None):
    extra = {"REMOTE_ADDR": PEER}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        # The client writes the first hops; our one proxy appends the address it saw.
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (1, "203.0.113.7", "203.0.113.7"),
        # A CDN, then nginx: the client is the hop the CDN added, second from the right.
        (2, "6.6.6.6, 203.0.113.7, 172.16.0.4", "203.0.113.7"),
        # Fewer hops than proxies, an empty or a garbled hop: only the peer is certain.
        (2, "203.0.113.7", PEER),
        (1, "", PEER),
        (1, "6.6.6.6, not-an-address", PEER),
    ],
)
def test_behind_trusted_proxies_the_client_is_the_hop_they_added(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY = True
    settings.TRUSTED_PROXY_COUNT = count

    assert client_ip(_request(forwarded)) == expected


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY = False

    assert client_ip(_request("6.6.6.6")) == PEER


def test_an_ipv6_network_is_its_64_block():
    block = "2001:db8:5:7::/64"
    assert network_of("2001:db8:5:7::1") == network_of("2001:db8:5:7:ffff::2") == block
    assert network_of("2001:db8:5:8::1") != network_of("2001:db8:5:7::1")
    assert network_of("::ffff:190.0.0.1") == network_of("190.0.0.1") == "190.0.0.1"
    assert network_of(None) == "unknown"


# --- receipt lookups ------------------------------------------------------------------------------

UNKNOWN = "PQ-2026-0000000"


@pytest.fixture
def tight(monkeypatch):
    monkeypatch.setattr(receipts, "RECEIPT_LOOKUP_RATE", "6/3600", raising=False)
    monkeypatch.setattr(receipts, "RECEIPT_MISS_RATE", "3/3600", raising=False)


@pytest.fixture
def query(agri):
    return query_submit(
        type="peticion",
        text="Solicito información sobre el programa de vivienda rural.",
        channel="web",
        entity=agri,
        contact=ContactDetails(email="ana@example.org", consent=True),
    ).query


def test_guessing_receipts_on_the_status_page_is_limited_per_network(client, query, tight):
    guesses = [client.get(f"/r/{UNKNOWN[:-1]}{n}").status_code for n in range(4)]
    # The network that guessed is refused even a real receipt; another network is not.
    refused = client.get(f"/r/{query.receipt}")
    other = client.get(f"/r/{query.receipt}", REMOTE_ADDR="190.0.0.2")

    assert guesses == [404, 404, 404, 429]
    assert refused.status_code == 429
    assert "Demasiadas consultas de recibos" in refused.content.decode()
    assert other.status_code == 200


def test_real_receipts_count_only_against_the_wider_limit(client, query, tight):
    statuses = [client.get(f"/r/{query.receipt}").status_code for _ in range(7)]

    assert statuses == [200] * 6 + [429]


def test_the_api_lookup_is_limited_in_its_json_shape(client, query, tight):
    guesses = [client.get(f"/api/v1/queries/{UNKNOWN}").status_code for _ in range(4)]
    refused = client.get(f"/api/v1/queries/{query.receipt}")
    contribution = client.get("/api/v1/contributions/UC-2026-0000000")

    assert guesses == [404, 404, 404, 429]
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert contribution.status_code == 429


def test_the_completion_post_counts_as_a_lookup(client, query, tight):
    for n in range(3):
        client.post(f"/consultas/r/{UNKNOWN[:-1]}{n}/completar/", {"text": "Más información."})
    api = client.post(
        f"/api/v1/queries/{query.receipt}/completion",
        {"text": "Más información."},
        content_type="application/json",
    )
    page = client.post(f"/consultas/r/{query.receipt}/completar/", {"text": "Más información."})

    assert (api.status_code, page.status_code) == (429, 429)
    assert Query.objects.get().state == query.state
