"""The campaign and segment editors re-render after an invalid POST with the error summary at
the top, each error a link to its field."""

import pytest
from django.urls import reverse

from urna.core.tests.a11y import error_summary_links

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "first"), [("campaigns:create", "id_name"), ("campaigns:segment_create", "id_entity")]
)
def test_an_editor_sent_empty_shows_the_summary_linking_the_first_field(
    client, author, segment, url, first
):
    client.force_login(author)

    response = client.post(reverse(url), {"name": ""})

    assert "Hay un problema" in response.content.decode()
    assert error_summary_links(response.content.decode())[0] == first
