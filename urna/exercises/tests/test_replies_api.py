"""The replies API: a contribution's published replies as its page shows them (threads,
masked, paginated, no author), and replying through the web's service (moderated, rate
limited, a receipt, idempotent)."""

import pytest

from urna.accounts.models import Role
from urna.contacts.services import ContactDetails
from urna.exercises import services
from urna.exercises.models import Contribution

pytestmark = pytest.mark.django_db

SITE = "https://urna.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.URNA_SITE_URL = SITE


def _submit(exercise, text, **fields):
    return services.contribution_submit(
        exercise=exercise, kind="opinion", channel="web", text=text, **fields
    ).contribution


def _url(exercise, contribution):
    return f"/api/v1/exercises/{exercise.slug}/contributions/{contribution.pk}/replies"


def test_lists_published_threads_masked_and_paginated_without_authors(
    client, make_exercise, agriculture, make_staff
):
    exercise = make_exercise(status="open")
    root = _submit(exercise, "Más rutas escolares en la vereda")
    author = ContactDetails(email="replica@example.org", name="Marta Gómez", consent=True)
    first = services.reply_submit(
        parent=root, text="Llámeme al 3001234567 para organizarnos", contact=author
    ).contribution
    nested = services.reply_submit(parent=first, text="Yo me sumo a la idea").contribution
    second = services.reply_submit(parent=root, text="Y también en la zona alta").contribution
    hidden = services.reply_submit(parent=root, text="Un comentario ofensivo aquí").contribution
    services.contribution_moderate(
        contribution=hidden,
        to="hidden",
        reason="Lenguaje ofensivo",
        by=make_staff(agriculture, Role.MODERATOR),
    )

    page_one = client.get(_url(exercise, root), {"limit": 1})
    page_two = client.get(_url(exercise, root), {"limit": 1, "offset": 1}).json()

    assert page_one.status_code == 200
    body = page_one.json()
    assert (body["count"], body["limit"], body["offset"]) == (2, 1, 0)
    [thread] = body["items"]
    assert thread["id"] == first.pk and "3001234567" not in thread["text"]
    assert thread["text"] == first.public_text
    assert [r["id"] for r in thread["replies"]] == [nested.pk]
    assert thread["url"] == f"{SITE}/ejercicios/{exercise.slug}/aportes/{first.pk}/"
    assert [t["id"] for t in page_two["items"]] == [second.pk]
    text = page_one.content.decode()
    assert "Marta" not in text and "replica@" not in text
    assert "ofensivo" not in str(client.get(_url(exercise, root)).json())


def test_a_hidden_or_unknown_contribution_is_a_404_in_spanish(client, make_exercise):
    exercise = make_exercise(status="open", premoderation=True)
    pending = _submit(exercise, "Aporte que espera moderación")

    listed = client.get(_url(exercise, pending))
    posted = client.post(
        _url(exercise, pending), {"text": "Respuesta"}, content_type="application/json"
    )

    assert listed.status_code == posted.status_code == 404
    assert listed.json()["detail"] == "No encontramos ese aporte publicado en el ejercicio."


def test_posting_a_reply_gives_a_receipt_is_idempotent_and_moderated_like_the_web(
    client, make_exercise, agriculture, make_staff
):
    exercise = make_exercise(status="open", premoderation=True)
    root = _submit(exercise, "Más rutas escolares en la vereda")
    services.contribution_moderate(
        contribution=root, to="visible", by=make_staff(agriculture, Role.MODERATOR)
    )
    payload = {"text": "Totalmente de acuerdo", "idempotency_key": "app-reply-1"}

    first = client.post(_url(exercise, root), payload, content_type="application/json")
    retried = client.post(_url(exercise, root), payload, content_type="application/json")
    short = client.post(_url(exercise, root), {"text": "no"}, content_type="application/json")

    assert first.status_code == 201 and retried.status_code == 200
    receipt = first.json()["receipt"]
    assert retried.json()["receipt"] == receipt
    assert first.json()["moderation"] == "pending"
    assert first.json()["status_url"] == f"{SITE}/r/{receipt}"
    reply = Contribution.objects.get(receipt=receipt)
    assert (reply.parent_id, reply.channel, reply.moderation) == (root.pk, "api", "pending")
    assert Contribution.objects.filter(parent=root).count() == 1
    assert short.status_code == 422 and short.json()["detail"]
    assert client.get(_url(exercise, root)).json()["count"] == 0


def test_a_closed_exercise_takes_no_reply_and_the_rate_limit_applies(
    client, make_exercise, settings
):
    settings.URNA_CONTRIBUTION_RATES = {"client": "2/600"}
    exercise = make_exercise(status="open")
    root = _submit(exercise, "Más rutas escolares en la vereda")

    statuses = [
        client.post(
            _url(exercise, root),
            {"text": f"Respuesta número {i}"},
            content_type="application/json",
            HTTP_X_CLIENT_ID="app-1",
        ).status_code
        for i in range(3)
    ]
    services.exercise_transition(exercise=exercise, to="analysis", by=exercise.created_by)
    closed = client.post(
        _url(exercise, root), {"text": "Respuesta tardía"}, content_type="application/json"
    )

    assert statuses == [201, 201, 429]
    assert closed.status_code == 409
    assert closed.json()["detail"] == (
        "La participación en este ejercicio no está abierta: no se reciben respuestas."
    )
