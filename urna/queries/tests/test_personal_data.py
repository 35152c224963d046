"""A published question and answer go through the platform's one personal-data detector
(``urna.core.privacy``): names, documents, phones, emails (also spelled out) and addresses are
masked; amounts of money and laws are not (issue #12)."""

import json

import pytest
from django.urls import reverse

from urna.queries import services
from urna.queries.models import Query

pytestmark = pytest.mark.django_db

QUESTION = (
    "Soy Juan Carlos Pérez Rodríguez, cédula 1053778899, vivo en la Calle 23 #45-12 barrio "
    "La Enea, escríbanme a juan(at)gmail(dot)com o al 320 555 0147. Pagué $1.500.000 pesos "
    "según el Decreto 1755 de 2015: ¿me los devuelven?"
)
SECRETS = ("Juan Carlos", "Pérez", "1053778899", "Calle 23", "juan(at)gmail", "320 555 0147")


def test_the_publication_draft_masks_every_kind_and_keeps_money_and_laws(submit, agri, manager):
    query = submit(agri, text=QUESTION)
    services.query_answer(query=query, text="Señor Pérez: sí, en 15 días hábiles.", by=manager)

    question, answer = services.publication_draft(Query.objects.get(pk=query.pk))

    assert question == (
        "Soy [nombre], cédula [documento], vivo en la [dirección] barrio La Enea, escríbanme a "
        "[correo] o al [teléfono]. Pagué $1.500.000 pesos según el Decreto 1755 de 2015: ¿me "
        "los devuelven?"
    )
    assert answer == "Señor [nombre]: sí, en 15 días hábiles."


def test_what_a_manager_publishes_is_masked_too(client, submit, agri, manager):
    query = submit(agri, text="¿Cuándo abren la convocatoria?")
    services.query_answer(query=query, text="El 3 de marzo.", by=manager)

    services.query_publish(
        query=query,
        by=manager,
        public_question=QUESTION,
        public_answer="Escríbale a Ana Lucía Restrepo, ana.restrepo@example.org.",
        consent_recorded=True,
    )

    api = json.dumps(client.get("/api/v1/queries/answers").json(), ensure_ascii=False)
    page = client.get(reverse("queries:qa_detail", args=[query.pk])).content.decode()
    for output in (api, page):
        assert "$1.500.000 pesos" in output and "[correo]" in output
        for secret in (*SECRETS, "Ana Lucía", "ana.restrepo"):
            assert secret not in output


def test_the_migration_masks_what_was_published_before(submit, agri, manager):
    from importlib import import_module

    from django.apps import apps

    query = submit(agri, text="¿Cuándo abren la convocatoria?")
    Query.objects.filter(pk=query.pk).update(
        published_at=query.filed_at,
        public_question="Me llamo Ana Lucía Restrepo, vivo en la Calle 9 # 12-40: ¿cuándo?",
        public_answer="El 3 de marzo.",
    )
    migration = import_module("urna.queries.migrations.0003_mask_published_questions")

    migration.mask_published(apps, None)

    query.refresh_from_db()
    assert query.public_question == "Me llamo [nombre], vivo en la [dirección]: ¿cuándo?"
    assert "restrepo" not in query.search_text and "calle" not in query.search_text


def test_the_receipt_shows_the_answer_and_completion_request_masked(client, submit, agri, manager):
    # Anyone holding the receipt reads /r/<receipt> and the API's status: no personal data there.
    query = submit(agri, text="¿Cuándo me pagan?")
    services.query_request_completion(
        query=query,
        text="Sra. Ana Lucía Restrepo, envíe copia de la cédula 43.123.456.",
        by=manager,
    )
    page = client.get(f"/r/{query.receipt}").content.decode()
    status = client.get(f"/api/v1/queries/{query.receipt}").json()
    for shown in (page, status["completion_request"]):
        assert "Ana Lucía Restrepo" not in shown
        assert "43.123.456" not in shown
        assert "[nombre]" in shown

    services.query_complete(query=Query.objects.get(pk=query.pk), text="Adjunto.", label="web")
    services.query_answer(
        query=Query.objects.get(pk=query.pk),
        text="Señora Restrepo: le pagamos $1.500.000 el 3 de marzo. Llame al 320 555 0147.",
        by=manager,
    )
    page = client.get(f"/r/{query.receipt}").content.decode()
    status = client.get(f"/api/v1/queries/{query.receipt}").json()
    for shown in (page, status["answer"]):
        assert "320 555 0147" not in shown
        assert "$1.500.000" in shown
    assert status["answer"] == (
        "Señora [nombre]: le pagamos $1.500.000 el 3 de marzo. Llame al [teléfono]."
    )
