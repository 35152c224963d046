"""The staff pages of contact imports: the three steps, the progress page, the rejected-rows
report and scoping by entity."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from urna.accounts.models import Role
from urna.contacts.models import Contact, ContactImport
from urna.jobs.services import run_pending

CONTENT = (
    "Nombre;Celular;Correo;Autoriza\n"
    "Ana Pérez;3001234567;ana@example.org;si\n"
    "Beto;3105550101;;no\n"
    "=HYPERLINK(1);3115550102;mal@;si\n"
).encode()


@pytest.fixture(autouse=True)
def media_and_login(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STAFF_REQUIRE_OTP = False


@pytest.fixture
def officer_client(client, agriculture, make_staff):
    client.force_login(make_staff(agriculture, Role.CAMPAIGN, username="oficial"))
    return client


def do_import(client) -> ContactImport:
    response = client.post(
        reverse("contacts:imports"),
        {"file": SimpleUploadedFile("lista.csv", CONTENT, content_type="text/csv")},
    )
    contact_import = ContactImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:import_columns", args=[contact_import.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    # The columns were guessed from the headers.
    assert [page.context["form"][f].initial for f in ("name", "phone", "email", "consent")] == [
        "0",
        "1",
        "2",
        "3",
    ]
    response = client.post(
        reverse("contacts:import_columns", args=[contact_import.pk]),
        {"name": "0", "phone": "1", "email": "2", "consent": "3"},
    )
    assert response["Location"] == reverse("contacts:import_consent", args=[contact_import.pk])
    response = client.post(
        reverse("contacts:import_consent", args=[contact_import.pk]),
        {
            "basis": "column",
            "purposes": ["campaigns"],
            "channels": ["sms", "whatsapp"],
            "text_version": "2026-01",
            "evidence": "",
        },
    )
    assert response["Location"] == reverse("contacts:import_detail", args=[contact_import.pk])
    contact_import.refresh_from_db()
    return contact_import


def test_the_three_steps_queue_an_import_and_its_page_shows_the_counts(officer_client):
    contact_import = do_import(officer_client)
    assert contact_import.status == "queued"
    queued = officer_client.get(reverse("contacts:import_detail", args=[contact_import.pk]))
    assert 'hx-trigger="every 2s"' in queued.content.decode()

    run_pending()

    page = officer_client.get(reverse("contacts:import_detail", args=[contact_import.pk]))
    html = page.content.decode()
    assert "Terminada" in html and "hx-trigger" not in html
    contact_import.refresh_from_db()
    assert (contact_import.created, contact_import.rejected) == (1, 2)
    assert Contact.objects.get().phone == "+573001234567"
    partial = officer_client.get(
        reverse("contacts:import_detail", args=[contact_import.pk]), HTTP_HX_REQUEST="true"
    )
    assert partial.content.decode().startswith('<div id="avance-importacion"')


def test_the_rejected_rows_report_downloads_as_safe_csv(officer_client):
    contact_import = do_import(officer_client)
    run_pending()

    response = officer_client.get(reverse("contacts:import_rejections", args=[contact_import.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows == [
        ["fila", "motivo", "Nombre", "Celular", "Correo", "Autoriza"],
        ["3", "sin autorización", "Beto", "3105550101", "", "no"],
        ["4", "correo electrónico no válido", "'=HYPERLINK(1)", "3115550102", "mal@", "si"],
    ]


def test_staff_of_another_entity_see_nothing_of_an_import(
    officer_client, client, education, make_staff
):
    contact_import = do_import(officer_client)
    run_pending()
    officer_client.logout()
    client.force_login(make_staff(education, Role.CAMPAIGN, username="otra"))

    listing = client.get(reverse("contacts:imports"))
    assert listing.status_code == 200 and "lista.csv" not in listing.content.decode()
    for name in ("import_detail", "import_rejections", "import_columns", "import_consent"):
        assert client.get(reverse(f"contacts:{name}", args=[contact_import.pk])).status_code == 404


def test_staff_without_the_import_action_cannot_upload(client, agriculture, make_staff):
    client.force_login(make_staff(agriculture, Role.ANALYST, username="analista"))
    response = client.post(
        reverse("contacts:imports"),
        {"file": SimpleUploadedFile("lista.csv", CONTENT, content_type="text/csv")},
    )
    assert response.status_code == 403  # the role does not include the tool: it says so
    assert not ContactImport.objects.exists()


def test_a_mapping_without_phone_or_email_is_refused_on_the_page(officer_client):
    officer_client.post(
        reverse("contacts:imports"),
        {"file": SimpleUploadedFile("lista.csv", CONTENT, content_type="text/csv")},
    )
    contact_import = ContactImport.objects.get()
    response = officer_client.post(
        reverse("contacts:import_columns", args=[contact_import.pk]), {"name": "0"}
    )
    assert response.status_code == 400
    assert "Elija la columna del celular" in response.content.decode()
    contact_import.refresh_from_db()
    assert contact_import.status == "mapping"


@pytest.mark.parametrize("path", ["imports/a.csv", "x/../imports/a.csv", "./imports/a.csv"])
def test_uploaded_contact_lists_are_never_served_even_in_development(path, settings, tmp_path):
    from django.http import Http404
    from django.test import RequestFactory

    from urna.urls import media_public

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "imports").mkdir()
    (tmp_path / "imports" / "a.csv").write_text("telefono\n3001234567\n")
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(Http404):
        media_public(RequestFactory().get("/"), path)
    assert media_public(RequestFactory().get("/"), "doc.pdf").status_code == 200


def test_the_import_pages_in_english_are_in_english(officer_client, settings):
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = officer_client.get(reverse("contacts:imports")).content.decode()

    assert "Import contacts" in html and "Upload and continue" in html
    assert "Importar contactos" not in html and "Subir y continuar" not in html


def test_the_upload_and_mapping_steps_in_english_are_in_english(officer_client, settings):
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    upload = officer_client.get(reverse("contacts:imports")).content.decode()
    officer_client.post(
        reverse("contacts:imports"),
        {"file": SimpleUploadedFile("lista.csv", CONTENT, content_type="text/csv")},
    )
    pk = ContactImport.objects.get().pk
    officer_client.post(
        reverse("contacts:import_columns", args=[pk]),
        {"name": "0", "phone": "1", "email": "2", "consent": "3"},
    )
    consent = officer_client.get(reverse("contacts:import_consent", args=[pk])).content.decode()

    assert "The first row with the column headings." in upload
    assert "La primera fila con los títulos" not in upload
    assert "How is the authorisation recorded?" in consent
    assert "¿Cómo consta la autorización?" not in consent
