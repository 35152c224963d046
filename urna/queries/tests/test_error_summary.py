"""The answer templates' form re-renders after an invalid POST with the error summary at the
top, each error a link to its field."""

import pytest
from django.urls import reverse

from urna.core.tests.a11y import error_summary_links

pytestmark = pytest.mark.django_db


def test_a_template_sent_empty_shows_the_summary_linking_the_title(client, agri, lead):
    client.force_login(lead)

    response = client.post(
        reverse("queries:staff_templates"), {"entity": agri.pk, "title": "", "body": ""}
    )

    assert "Hay un problema" in response.content.decode()
    assert error_summary_links(response.content.decode()) == ["id_title", "id_body"]
