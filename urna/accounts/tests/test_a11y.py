"""Browser-free accessibility checks of the login and sign-up forms (axe-core: `make a11y`)."""

import pytest

from urna.core.tests.a11y import duplicate_ids, unlabelled_fields

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/cuenta/entrar/", "/cuenta/registro/"])
def test_account_forms_and_their_errors_label_every_field(client, path):
    page = client.get(path)
    errors = client.post(path, {})

    for response in (page, errors):
        html = response.content.decode()
        assert unlabelled_fields(html) == []
        assert duplicate_ids(html) == []
