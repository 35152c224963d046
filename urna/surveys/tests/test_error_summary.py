"""The new survey's form re-renders after an invalid POST with the error summary at the top,
each error a link to its field."""

import pytest
from django.urls import reverse

from urna.core.tests.a11y import error_summary_links

pytestmark = pytest.mark.django_db


def test_a_new_survey_sent_empty_shows_the_summary_linking_the_first_field(client, manager):
    client.force_login(manager)

    response = client.post(reverse("surveys:staff_import"), {"file": ""})

    assert "Hay un problema" in response.content.decode()
    assert error_summary_links(response.content.decode())[0] == "id_entity"
