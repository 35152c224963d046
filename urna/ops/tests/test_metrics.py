"""/metrics: Prometheus's text format for the operator's scraper, never for the public; request
counts and latencies by view, and the gauges of the queue, the channels, the outbox and the
overdue queries read at scrape time."""

from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from urna.channels.models import InboundMessage
from urna.jobs.models import Job
from urna.messaging.models import OutboundMessage
from urna.queries import services as query_services
from urna.queries.models import Query

pytestmark = pytest.mark.django_db

PUBLIC = "203.0.113.9"


@pytest.fixture(autouse=True)
def _no_token(settings):
    settings.METRICS_TOKEN = ""
    settings.TRUSTED_PROXY = False


def scrape(client, **headers):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", **headers)
    assert response.status_code == 200, response.content
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


# --- Who may read them ----------------------------------------------------------------------


def test_the_public_is_refused(client):
    response = client.get("/metrics", REMOTE_ADDR=PUBLIC)

    assert response.status_code == 403
    assert b"urna_" not in response.content


def test_a_forged_forwarded_for_does_not_pass_without_a_proxy(client):
    response = client.get("/metrics", REMOTE_ADDR=PUBLIC, HTTP_X_FORWARDED_FOR="127.0.0.1")

    assert response.status_code == 403


def test_a_forged_forwarded_for_does_not_pass_through_the_proxy(client, settings):
    settings.TRUSTED_PROXY = True
    # nginx on this machine appends the address it received the request from.
    response = client.get(
        "/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"127.0.0.1, {PUBLIC}"
    )

    assert response.status_code == 403


def test_a_scraper_on_this_machine_reads_them_without_a_token(client):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-cache" in response["Cache-Control"]


def test_with_a_token_every_request_needs_it(client, settings):
    settings.METRICS_TOKEN = "un-token-largo-de-prueba"

    local = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    wrong = client.get(
        "/metrics", REMOTE_ADDR="127.0.0.1", HTTP_AUTHORIZATION="Bearer un-token-largo-de-prueb"
    )
    right = client.get(
        "/metrics", REMOTE_ADDR=PUBLIC, HTTP_AUTHORIZATION="Bearer un-token-largo-de-prueba"
    )

    assert local.status_code == wrong.status_code == 401
    assert local["WWW-Authenticate"] == 'Bearer realm="urna-metrics"'
    assert b"urna_" not in local.content + wrong.content
    assert right.status_code == 200 and b"urna_http_requests_total" in right.content


def test_the_refusal_is_in_english_for_who_chose_english(client):
    client.cookies["django_language"] = "en"

    response = client.get("/metrics", REMOTE_ADDR=PUBLIC)

    assert response.status_code == 403
    assert "only from this machine" in response.content.decode()


# --- What they say ----------------------------------------------------------------------------


def test_requests_are_counted_by_view_and_status(client):
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no-existe-esta-pagina/")
    client.get("/static/urna/no-existe.css")
    after = scrape(client)

    ok = {"view": "site:healthz", "method": "GET", "status": "200"}
    missing = {"view": "unmatched", "method": "GET", "status": "404"}
    assert (
        value(after, "urna_http_requests_total", **ok)
        - value(before, "urna_http_requests_total", **ok)
        == 2
    )
    assert (
        value(after, "urna_http_requests_total", **missing)
        - value(before, "urna_http_requests_total", **missing)
        == 1
    )
    static = {"view": "static", "method": "GET", "status": "404"}
    assert (
        value(after, "urna_http_requests_total", **static)
        - value(before, "urna_http_requests_total", **static)
        == 1
    )
    count = "urna_http_request_duration_seconds_count"
    assert value(after, count, view="site:healthz") - value(before, count, view="site:healthz") == 2


def test_each_family_is_exposed_with_the_waiting_work(client, agri, django_assert_max_num_queries):
    now = timezone.now()
    Job.objects.create(name="ops.due", run_at=now - timedelta(minutes=3))
    Job.objects.create(name="ops.due", run_at=now + timedelta(hours=1))
    Job.objects.create(name="ops.due", run_at=now, status=Job.Status.FAILED)
    Job.objects.create(name="ops.old", run_at=now, status=Job.Status.DONE)
    for n, status in enumerate(["received", "received", "unrouted", "processed"]):
        InboundMessage.objects.create(
            provider="twilio",
            provider_message_id=f"SM{n}",
            channel="sms",
            status=status,
            received_at=now - timedelta(seconds=90 - n),
        )
    OutboundMessage.objects.create(channel="sms", to="+573001234567", body="hola")
    OutboundMessage.objects.create(
        channel="sms", to="+573001234567", body="hola", status="failed", backend="twilio"
    )
    OutboundMessage.objects.create(
        channel="sms", to="+573001234567", body="hola", status="sent", backend="twilio"
    )
    for entity in (agri, agri, None):
        query = query_services.query_submit(
            type="peticion",
            text="Solicito información sobre el programa de vivienda rural.",
            channel="web",
            entity=entity,
            contact=None,
        ).query
        Query.objects.filter(pk=query.pk).update(due_date=now.date() - timedelta(days=3))

    with django_assert_max_num_queries(8):
        samples = scrape(client)

    assert value(samples, "urna_jobs", task="ops.due", state="due") == 1
    assert value(samples, "urna_jobs", task="ops.due", state="scheduled") == 1
    assert value(samples, "urna_jobs", task="ops.due", state="failed") == 1
    assert ("urna_jobs", (("state", "due"), ("task", "ops.old"))) not in samples
    assert 170 <= value(samples, "urna_jobs_oldest_due_age_seconds", task="ops.due") < 240
    assert value(samples, "urna_inbound_messages", channel="sms", status="received") == 2
    assert value(samples, "urna_inbound_messages", channel="sms", status="unrouted") == 1
    assert value(samples, "urna_inbound_messages", channel="sms", status="processed") == 0
    assert 80 <= value(samples, "urna_inbound_oldest_received_age_seconds", channel="sms") < 150
    assert value(samples, "urna_outbox_messages", backend="file", status="queued") == 1
    assert value(samples, "urna_outbox_messages", backend="twilio", status="failed") == 1
    assert value(samples, "urna_queries_overdue", entity="MINAGRICULTURA") == 2
    assert value(samples, "urna_queries_overdue", entity="") == 1
    for source in ("jobs", "inbound", "outbox", "queries"):
        assert value(samples, "urna_metrics_source_up", source=source) == 1
