"""The accessibility statement and the data-processing policy: public pages in Spanish and
English, linked from every page's footer."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_the_accessibility_statement_names_target_tests_limits_contact_and_date(client):
    response = client.get("/accesibilidad/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Declaración de accesibilidad</h1>" in page
    assert "WCAG) 2.1 en el nivel AA" in page
    assert "axe-core" in page and "make a11y" in page and "make e2e" in page
    assert 'id="limitaciones"' in page
    assert f'href="mailto:{settings.URNA_PRIVACY_EMAIL}"' in page
    assert "4 de diciembre de 2026" in page or "04/12/2026" in page or "4 dic" in page


def test_the_data_policy_covers_the_law_and_the_rights(client):
    page = client.get("/politica-de-datos/").content.decode()

    assert "Ley 1581 de 2012" in page and "Decreto 1377 de 2013" in page
    assert settings.URNA_DATA_CONTROLLER in page
    for right in ("Conocer", "Actualizarlos y rectificarlos", "Revocar", "suprimamos"):
        assert right in page
    assert 'href="/datos-personales/"' in page  # where the rights are exercised
    for anchor in ("autorizacion", "conservacion", "seguridad", "contacto"):
        assert f'id="{anchor}"' in page
    assert f"{settings.PERSONAL_DATA_RETENTION_DAYS} días" in page


def test_the_footer_links_both_pages_instead_of_the_home_anchor(client):
    page = client.get("/ejercicios/").content.decode()
    footer = page.split('<footer class="site-footer"', 1)[1]

    assert 'href="/politica-de-datos/"' in footer and 'href="/accesibilidad/"' in footer
    assert "#datos-personales" not in footer


@pytest.mark.parametrize("path", ["/accesibilidad/", "/politica-de-datos/"])
def test_the_pages_are_in_english_on_an_english_page(client, path):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(path).content.decode()

    assert '<html lang="en">' in page
    assert "Accessibility statement" in page or "Personal data processing policy" in page
    for spanish in ("Cómo lo comprobamos", "Sus derechos", "Cuánto tiempo", "Limitaciones"):
        assert spanish not in page
