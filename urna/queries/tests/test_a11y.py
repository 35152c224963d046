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


def test_the_workspace_labels_each_action_s_fields_once(client, submit, agri, lead):
    # A query in progress offers both "Prorrogar el plazo" and "Trasladar por competencia", each
    # with a "reason" field: one id for both left the transfer's reason without its label.
    query = submit(agri)
    client.force_login(lead)

    html = client.get(f"/consultas/gestion/{query.pk}/").content.decode()

    assert f'action="/consultas/gestion/{query.pk}/prorrogar/"' in html
    assert f'action="/consultas/gestion/{query.pk}/trasladar/"' in html
    assert duplicate_ids(html) == []
    assert unlabelled_fields(html) == []
