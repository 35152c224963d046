"""Public pages (form, status, answers) and the workspace pages, without JavaScript."""

import pytest

from urna.queries import services
from urna.queries.models import AnswerTemplate, Query

pytestmark = pytest.mark.django_db


def test_form_files_a_query_and_opens_its_status_page(client, clock, national_entities):
    page = client.get("/consultas/nueva/")
    assert page.status_code == 200 and '<label for="id_text">' in page.content.decode()

    response = client.post(
        "/consultas/nueva/",
        {
            "type": "informacion",
            "text": "Pido copia del contrato de la vía terciaria.",
            "email": "ana@example.org",
            "consent": "on",
        },
    )

    query = Query.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/r/{query.receipt}"
    status = client.get(response["Location"]).content.decode()
    assert query.receipt in status and "16 de marzo de 2026" in status
    assert "Pido copia" not in status  # the question text stays off the public page


def test_form_errors_are_linked_to_their_fields(client, clock, national_entities):
    response = client.post(
        "/consultas/nueva/", {"type": "peticion", "text": "corto", "email": "a@b.co"}
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'aria-describedby="id_text_helptext id_text_error"' in html
    assert 'id="id_consent_error"' in html
    assert Query.objects.count() == 0


def test_honeypot_stores_nothing(client, clock, national_entities):
    client.post(
        "/consultas/nueva/",
        {"type": "peticion", "text": "Una solicitud larga de un robot.", "website": "spam"},
    )

    assert Query.objects.count() == 0


def test_citizen_completes_a_suspended_query_on_the_status_page(client, submit, agri, manager):
    query = submit(agri)
    services.query_request_completion(query=query, text="Indique su vereda, por favor.", by=manager)

    page = client.get(f"/r/{query.receipt}").content.decode()
    response = client.post(f"/consultas/r/{query.receipt}/completar/", {"text": "La Cabaña"})

    assert "Indique su vereda" in page and 'name="text"' in page
    assert response.status_code == 302
    query.refresh_from_db()
    assert query.state == "new"


def test_public_answers_search_ignores_accents(client, submit, agri, manager):
    query = submit(agri, text="¿Cuáles son los requisitos del crédito agropecuario?")
    services.query_answer(query=query, text="Los requisitos están en el portal.", by=manager)
    services.query_publish(
        query=query,
        by=manager,
        consent_recorded=True,
        public_question="¿Cuáles son los requisitos del crédito agropecuario?",
        public_answer="Los requisitos están en el portal.",
    )

    found = client.get("/consultas/respuestas/?q=credito").content.decode()
    missing = client.get("/consultas/respuestas/?q=pasaporte").content.decode()

    assert "crédito agropecuario" in found
    assert "crédito agropecuario" not in missing
    assert client.get(f"/consultas/respuestas/{query.pk}/").status_code == 200


def test_workspace_answers_with_a_template(client, submit, agri, manager):
    query = submit(agri)
    template = AnswerTemplate.objects.create(
        entity=agri, title="Crédito", body="Texto de plantilla."
    )
    client.force_login(manager)

    page = client.get(f"/consultas/gestion/{query.pk}/?plantilla={template.pk}").content.decode()
    response = client.post(
        f"/consultas/gestion/{query.pk}/responder/", {"text": "Texto de plantilla, adaptado."}
    )

    assert ">Texto de plantilla.</textarea>" in page
    assert response.status_code == 302
    query.refresh_from_db()
    assert (query.state, query.answer) == ("answered", "Texto de plantilla, adaptado.")


def test_workspace_refused_action_shows_the_reason(client, submit, agri, manager):
    query = submit(agri)
    client.force_login(manager)

    response = client.post(f"/consultas/gestion/{query.pk}/cerrar/", {}, follow=True)

    assert "demasiado corto" in response.content.decode()
    query.refresh_from_db()
    assert query.state == "new"


def test_sla_board_and_triage_pages(client, submit, agri, triager, manager):
    submit()  # no entity: triage
    submit(agri)
    client.force_login(triager)

    board = client.get("/consultas/gestion/indicadores/?anio=2026").content.decode()
    triage = client.get("/consultas/gestion/clasificacion/").content.decode()

    assert "Toda la plataforma" in board and "Ministerio de Agricultura" in board
    assert triage.count('name="entity"') == 1
    client.force_login(manager)
    assert client.get("/consultas/gestion/clasificacion/").status_code == 403


def test_the_form_in_english_asks_for_news_in_english(client, settings, national_entities):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get("/consultas/nueva/").content.decode()

    assert "I also want to receive information from the Government" in html
    assert "También quiero recibir" not in html
