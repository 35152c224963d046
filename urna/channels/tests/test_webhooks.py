"""The shared webhook decorator: the steps every provider's webhook takes, in order, once."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from urna.channels.models import InboundMessage
from urna.channels.registry import Integration
from urna.channels.webhooks import BadRequest, Delivery, Payload, Received, webhook
from urna.jobs.models import Job
from urna.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db

calls: list[str] = []


def _verify(request):
    return None if request.headers.get("X-Test-Signature") == "good" else "bad signature"


TEST = Integration(name="test", sources=(), verify=_verify, max_body=64)


def _answer() -> HttpResponse:
    return HttpResponse("ACK", content_type="text/plain")


@webhook(TEST, answer=_answer)
def receive(request, raw):
    calls.append(raw)
    sid = request.POST.get("id", "")
    if not sid:
        raise BadRequest
    message = Received(provider="twilio", provider_message_id=sid, sender="+573001234567")
    return Payload(messages=[message])


@webhook(TEST, answer=_answer, on_get=lambda request: HttpResponse("challenge"))
def with_handshake(request, raw):
    return Payload(
        messages=[
            Received(
                provider="twilio",
                provider_message_id="unreadable",
                status=InboundMessage.Status.UNPARSABLE,
                last_error="shape",
            )
        ],
        deliveries=[Delivery(backend="twilio", provider_message_id="SMout", status="delivered")],
    )


def post(view, data: str, *, signature: str = "good"):
    request = RequestFactory().post(
        "/webhook/",
        data,
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TEST_SIGNATURE=signature,
    )
    return view(request)


@pytest.fixture(autouse=True)
def _calls():
    calls.clear()


def test_a_signed_message_is_stored_raw_scheduled_once_and_acknowledged():
    response = post(receive, "id=SM1&Body=hola")

    assert (response.status_code, response.content) == (200, b"ACK")
    message = InboundMessage.objects.get()
    assert (message.provider, message.provider_message_id, message.status) == (
        "twilio",
        "SM1",
        "received",
    )
    assert Job.objects.filter(name="channels.drain").count() == 1
    assert calls == ["id=SM1&Body=hola"]


def test_a_provider_retry_stores_and_schedules_nothing_new():
    post(receive, "id=SM1")
    Job.objects.all().delete()

    response = post(receive, "id=SM1")

    assert response.status_code == 200
    assert InboundMessage.objects.count() == 1
    assert not Job.objects.exists()


def test_a_bad_signature_is_refused_before_the_reader_and_logged(caplog):
    with caplog.at_level("WARNING", logger="urna.security"):
        response = post(receive, "id=SM1&From=%2B573001234567", signature="forged")

    assert response.status_code == 403
    assert calls == [] and not InboundMessage.objects.exists()
    assert caplog.messages == ["webhook rejected provider=test path=/webhook/ reason=bad signature"]


def test_an_oversized_body_is_refused_before_the_signature():
    response = post(receive, "id=SM1&Body=" + "x" * 100, signature="forged")

    assert response.status_code == 413
    assert calls == [] and not InboundMessage.objects.exists()


def test_a_signed_request_without_what_the_provider_always_sends_is_a_400():
    response = post(receive, "Body=hola")

    assert (response.status_code, response.content) == (400, b"Bad request")
    assert not InboundMessage.objects.exists()


def test_get_is_answered_only_where_the_provider_has_a_handshake():
    get = RequestFactory().get("/webhook/")
    assert receive(get).status_code == 405
    assert with_handshake(get).content == b"challenge"


def test_an_unparsable_row_is_kept_without_a_drain_and_deliveries_are_recorded():
    sent = OutboundMessage.objects.create(
        channel="sms",
        to="+573001234567",
        body="x",
        backend="twilio",
        provider_message_id="SMout",
        status="sent",
    )

    response = post(with_handshake, "anything")

    assert response.status_code == 200
    assert InboundMessage.objects.get().status == "unparsable"
    assert not Job.objects.filter(name="channels.drain").exists()
    sent.refresh_from_db()
    assert sent.status == "delivered"
