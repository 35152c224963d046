"""Browser-free accessibility checks of the citizen's query form (axe-core: `make a11y`)."""

import pytest

from urna.core.tests.a11y import duplicate_ids, parse, unlabelled_fields

pytestmark = pytest.mark.django_db


def test_query_form_and_its_errors_label_every_field(client, national_entities):
    page = client.get("/consultas/nueva/")
    errors = client.post("/consultas/nueva/", {"type": "", "text": ""})

    for response in (page, errors):
        html = response.content.decode()
        assert unlabelled_fields(html) == []
        assert duplicate_ids(html) == []
    assert errors.status_code == 422


def test_the_honeypot_is_out_of_the_tab_order(client, national_entities):
    fields = parse(client.get("/consultas/nueva/").content.decode()).fields

    honeypot = next(f["attrs"] for f in fields if f["attrs"].get("name") == "website")
    assert honeypot["tabindex"] == "-1"
