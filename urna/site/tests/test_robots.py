"""/robots.txt lets crawlers index the public pages and keeps them out of the staff areas."""

import pytest

pytestmark = pytest.mark.django_db


def test_robots_txt_allows_public_pages_and_disallows_staff_areas(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    for prefix in ("/staff/", "/cuenta/", "/*/gestion/", "/api/", "/metrics"):
        assert f"Disallow: {prefix}" in lines
    assert "Disallow: /" not in lines
