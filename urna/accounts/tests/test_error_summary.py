"""The API tokens' form re-renders after an invalid POST with the error summary at the top,
each error a link to its field."""

import pytest

from urna.accounts.models import Role
from urna.core.tests.a11y import error_summary_links

pytestmark = pytest.mark.django_db


def test_a_token_form_sent_empty_shows_the_summary_linking_the_name(client, agri, make_staff):
    client.force_login(make_staff(agri, Role.MANAGER, username="gestora"))

    response = client.post("/cuenta/tokens-api/", {"name": "", "days": ""})

    assert "Hay un problema" in response.content.decode()
    assert error_summary_links(response.content.decode()) == ["id_name"]
