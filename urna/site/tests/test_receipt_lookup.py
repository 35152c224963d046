"""The "Consultar recibo" link opens the lookup form (a 200, not a "not found" page), a code
that is no receipt is a 404 with the form and the error, a valid one goes to its status page."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_menu_link_opens_the_form_without_an_error(client):
    response = client.get("/r/?codigo=")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'name="codigo"' in html
    assert "No encontramos" not in html and 'role="alert"' not in html


def test_an_unknown_code_is_a_404_with_the_error_and_the_form(client):
    response = client.get("/r/?codigo=nada")

    assert response.status_code == 404
    assert "No encontramos el recibo «nada»" in response.content.decode()


def test_a_well_formed_code_goes_to_its_status_page(client):
    response = client.get("/r/?codigo=uc-2026-7kq4m9x")

    assert response.status_code == 302
    assert response["Location"] == "/r/UC-2026-7KQ4M9X"
