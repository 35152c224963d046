"""The staff forms of contacts (the three import steps, the operator's consent) re-render after
an invalid POST with the error summary at the top, each error a link to its field."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from urna.accounts.models import Role
from urna.contacts.models import ContactImport
from urna.contacts.tests.test_import_views import CONTENT
from urna.core.tests.a11y import error_summary_links

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_and_login(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STAFF_REQUIRE_OTP = False


def test_the_import_steps_sent_empty_show_the_summary(client, agriculture, make_staff):
    client.force_login(make_staff(agriculture, Role.CAMPAIGN, username="oficial"))

    upload = client.post(reverse("contacts:imports"), {"file": ""})
    client.post(
        reverse("contacts:imports"),
        {"file": SimpleUploadedFile("lista.csv", CONTENT, content_type="text/csv")},
    )
    pk = ContactImport.objects.get().pk
    columns = client.post(reverse("contacts:import_columns", args=[pk]), {"name": "x"})
    consent = client.post(reverse("contacts:import_consent", args=[pk]), {"basis": ""})

    assert error_summary_links(upload.content.decode())[0] == "id_file"
    assert error_summary_links(columns.content.decode())[0] == "id_name"
    assert error_summary_links(consent.content.decode())[0] == "id_basis"


def test_the_operator_consent_form_sent_empty_shows_the_summary(client, agriculture, make_staff):
    client.force_login(make_staff(agriculture, Role.MODERATOR, username="operadora"))

    response = client.post(reverse("contacts:operator_consent"), {"phone": ""})

    assert "Hay un problema" in response.content.decode()
    assert error_summary_links(response.content.decode())[0] == "id_action"
