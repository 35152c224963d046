"""The surveys API: list, form in a language, answers validated by the engine (skip logic, out
of range, hidden questions refused with clear messages), idempotency, results."""

import pytest

from urna.surveys.models import Response
from urna.surveys.results import results_compute

pytestmark = pytest.mark.django_db

SHORT = {"departamento": "05", "grupo_edad": "25_34", "sexo": "mujer", "conoce_urna": "no"}


def test_list_shows_open_surveys_only(client, survey, settings):
    settings.URNA_SITE_URL = "https://urna.example"
    body = client.get("/api/v1/surveys").json()
    assert [s["slug"] for s in body] == [survey.slug]
    assert body[0]["url"] == f"https://urna.example/encuestas/{survey.slug}/"
    assert body[0]["status"] == "open"
    assert body[0]["results_public"] is False


def test_the_form_in_the_requested_language(client, survey):
    english = client.get(f"/api/v1/surveys/{survey.slug}/form?language=en").json()
    assert english["language"] == "en"
    first = english["questions"][0]
    assert first["label"] == "Which department do you live in?"
    satisfaction = next(q for q in english["questions"] if q["name"] == "satisfaccion_general")
    assert satisfaction["relevant"] == "${usa_urna} = 'si'"
    assert (satisfaction["minimum"], satisfaction["maximum"]) == (1.0, 5.0)
    spanish = client.get(f"/api/v1/surveys/{survey.slug}/form").json()
    assert spanish["questions"][0]["label"] == "¿En qué departamento vive?"


def test_a_response_is_stored_once_per_idempotency_key(client, survey):
    url = f"/api/v1/surveys/{survey.slug}/responses"
    payload = {"answers": SHORT, "idempotency_key": "app-123"}
    first = client.post(url, payload, content_type="application/json")
    again = client.post(url, payload, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {"created": False, "status": "complete"}
    response = Response.objects.get()
    assert (response.channel, response.answers, response.sex) == ("api", SHORT, "mujer")


def test_bad_answers_are_refused_each_with_its_reason(client, survey):
    url = f"/api/v1/surveys/{survey.slug}/responses"
    answers = {**SHORT, "grupo_edad": "99", "usa_urna": "si", "satisfaccion_general": 9}
    refused = client.post(url, {"answers": answers}, content_type="application/json")
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert errors["grupo_edad"][0].startswith("«99» no es una de las opciones.")
    hidden = "Esta pregunta no aplica según las respuestas anteriores."
    assert errors["usa_urna"] == [hidden]
    assert errors["satisfaccion_general"] == [hidden]
    out_of_range = {
        **SHORT,
        "conoce_urna": "si",
        "como_conocio": ["radio_tv"],
        "usa_urna": "si",
        "canales": ["web"],
        "frecuencia": "mensual",
        "satisfaccion_general": 9,
    }
    refused = client.post(url, {"answers": out_of_range}, content_type="application/json")
    assert refused.json()["errors"]["satisfaccion_general"] == ["El valor debe estar entre 1 y 5."]
    assert not Response.objects.exists()


def test_results_are_public_only_once_published(client, survey):
    client.post(
        f"/api/v1/surveys/{survey.slug}/responses",
        {"answers": SHORT},
        content_type="application/json",
    )
    results_compute(survey_id=survey.pk)
    url = f"/api/v1/surveys/{survey.slug}/results"
    assert client.get(url).status_code == 404
    survey.published = True
    survey.save(update_fields=["published"])
    body = client.get(url).json()
    assert body["complete"] == 1
    knows = next(q for q in body["questions"] if q["name"] == "conoce_urna")
    no = next(c for c in knows["choices"] if c["name"] == "no")
    assert (no["value"], no["count"], no["n"]) == (1.0, 1, 1)
    assert set(no) >= {"moe", "deff"}
