"""An unexpected failure in the API answers JSON in the API's error shape, not an HTML page."""

import logging

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_an_unexpected_error_is_a_spanish_json_500_and_is_logged_with_its_traceback(
    client, monkeypatch, caplog
):
    # Given a service that fails in a way no handler expects
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("urna.queries.services.query_submit", locked)

    # When a citizen files a query through the API
    response = client.post(
        "/api/v1/queries",
        {"type": "peticion", "text": "Solicito información del programa de vivienda."},
        content_type="application/json",
    )

    # Then the answer is the API's JSON error, in Spanish, without the internal message
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "code": "server_error",
        "detail": "Ocurrió un error interno. Intente de nuevo en unos momentos.",
    }
    # ...and the failure is logged once, with its traceback
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info[0] is OperationalError
    assert "/api/v1/queries" in errors[0].getMessage()


def test_a_value_outside_the_options_lists_them_in_the_language_of_the_request(client):
    # pydantic writes "'a', 'b' or 'c'": the Spanish message must not carry the English "or"
    response = client.post(
        "/api/v1/queries",
        {"type": "queja-formal", "text": "Solicito información del programa de vivienda."},
        content_type="application/json",
    )

    assert response.status_code == 422
    message = response.json()["errors"]["type"][0]
    assert message.startswith("Valor no permitido. Opciones: 'peticion', ")
    assert " o '" in message and " or " not in message
