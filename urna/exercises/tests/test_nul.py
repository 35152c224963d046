"""NUL characters: a clear 400 in the person's language, never a PostgreSQL server error."""

import json

import pytest

from urna.exercises.models import Contribution

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "La petición contiene un carácter nulo (NUL), que no es válido en un texto."


@pytest.fixture
def exercise(make_exercise):
    return make_exercise(status="open")


def test_a_nul_in_an_api_query_string_is_a_400(client):
    # Found by schemathesis against PostgreSQL: GET /api/v1/entities?q=%00 was a 500.
    response = client.get("/api/v1/entities?q=agri%00cultura")

    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "detail": NUL_MESSAGE}


def test_a_nul_in_a_json_body_is_a_400_and_nothing_is_stored(client, exercise):
    body = json.dumps({"kind": "opinion", "text": "Una opinión\x00 con un nulo"})
    assert "\\u0000" in body

    response = client.post(
        f"/api/v1/exercises/{exercise.slug}/contributions", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == NUL_MESSAGE
    assert Contribution.objects.count() == 0


def test_the_text_backslash_u0000_is_not_a_nul(client, exercise):
    body = json.dumps({"kind": "opinion", "text": "El código \\u0000 aparece en el decreto."})

    response = client.post(
        f"/api/v1/exercises/{exercise.slug}/contributions", body, content_type="application/json"
    )

    assert response.status_code == 201
    assert Contribution.objects.get().text == "El código \\u0000 aparece en el decreto."


def test_a_nul_in_a_form_is_a_400_page_in_the_chosen_language(client, exercise, settings):
    url = f"/ejercicios/{exercise.slug}/participar/"
    data = "kind=opinion&text=Hola%00mundo+de+prueba"

    spanish = client.post(url, data, content_type="application/x-www-form-urlencoded")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(url, data, content_type="application/x-www-form-urlencoded")

    assert spanish.status_code == 400
    assert "carácter nulo" in spanish.content.decode()
    assert english.status_code == 400
    assert "NUL" in english.content.decode() and "carácter" not in english.content.decode()
    assert Contribution.objects.count() == 0


def test_every_csrf_exempt_channel_view_is_a_marked_signed_webhook():
    # Provider webhooks skip the NUL refusal by their view's marker, not by a list of paths that
    # could drift from the URLconf: every CSRF-exempt view under /channels/ must carry it.
    from django.urls import get_resolver

    channels = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "channels"
    )
    exempt = [p for p in channels.url_patterns if getattr(p.callback, "csrf_exempt", False)]

    assert len(exempt) >= 6
    assert all(getattr(p.callback, "signed_webhook", False) for p in exempt)
