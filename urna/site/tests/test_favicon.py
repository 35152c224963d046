"""Urna has a favicon: every page names it, and /favicon.ico (which browsers ask for anyway)
leads to it."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_pages_name_the_favicon_and_favicon_ico_leads_to_it(client):
    page = client.get("/").content.decode()
    response = client.get("/favicon.ico")

    assert '<link rel="icon" href="/static/urna/favicon.svg" type="image/svg+xml">' in page
    assert response.status_code == 301
    assert response["Location"] == "/static/urna/favicon.svg"
    assert finders.find("urna/favicon.svg")
