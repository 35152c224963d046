import pytest

from urna.accounts.models import Role, User
from urna.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_citizen_signs_up_with_a_mobile_number_and_consent(client):
    response = client.post(
        "/cuenta/registro/",
        {"phone": "300 123 4567", "password": "una-clave-larga-2026", "consent": "on"},
    )

    assert response.status_code == 302
    user = User.objects.get(phone="+573001234567")
    assert user.data_consent_at is not None
    assert user.is_staff is False


def test_signup_without_consent_stores_nothing_and_keeps_the_input(client):
    response = client.post(
        "/cuenta/registro/", {"email": "ana@example.com", "password": "una-clave-larga-2026"}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Debe autorizar el tratamiento de sus datos personales" in page
    assert 'value="ana@example.com"' in page
    assert User.objects.count() == 0


def test_signup_rejects_a_bad_phone_in_spanish(client):
    response = client.post(
        "/cuenta/registro/",
        {"phone": "12", "password": "una-clave-larga-2026", "consent": "on"},
    )

    assert response.status_code == 422
    assert "El número de teléfono no es válido." in response.content.decode()


def test_citizen_sees_downloads_and_erases_their_data(client):
    client.post(
        "/cuenta/registro/",
        {"email": "ana@example.com", "password": "una-clave-larga-2026", "consent": "on"},
    )

    page = client.get("/cuenta/mis-datos/")
    download = client.get("/cuenta/mis-datos/?formato=json")
    erased = client.post("/cuenta/mis-datos/", {"confirm": "on"})

    assert "ana@example.com" in page.content.decode()
    assert download.json()["email"] == "ana@example.com"
    assert erased.status_code == 302
    user = User.objects.get()
    assert (user.email, user.phone, user.is_active) == ("", None, False)
    assert not user.has_usable_password()
    assert AuditEntry.objects.filter(action="account.erase", object_id=str(user.pk)).count() == 1
    assert "_auth_user_id" not in client.session


QUERY_TEXT = "Solicito información sobre el programa de vivienda rural."


def _sign_up_and_file(client, agri, *, email):
    client.post(
        "/cuenta/registro/",
        {"email": "ana@example.com", "password": "una-clave-larga-2026", "consent": "on"},
    )
    response = client.post(
        "/consultas/nueva/",
        {
            "type": "peticion",
            "text": QUERY_TEXT,
            "entity": agri.pk,
            "name": "Ana Pérez",
            "email": email,
            "consent": "on",
        },
    )
    assert response.status_code == 302


def test_the_account_reaches_the_queries_filed_while_logged_in_and_their_contact(client, agri):
    from urna.contacts.models import Contact
    from urna.messaging.models import OutboundMessage
    from urna.queries.models import Query

    _sign_up_and_file(client, agri, email="ana.respuestas@example.org")
    query = Query.objects.get()

    page = client.get("/cuenta/mis-datos/").content.decode()
    download = client.get("/cuenta/mis-datos/?formato=json").json()
    client.post("/cuenta/mis-datos/", {"confirm": "on"})

    assert query.user == User.objects.get()
    assert query.receipt in page and "ana.respuestas@example.org" in page
    assert [q["receipt"] for q in download["queries"]] == [query.receipt]
    assert [q["text"] for q in download["queries"]] == [QUERY_TEXT]
    [contact] = download["contacts"]
    assert (contact["email"], contact["name"]) == ("ana.respuestas@example.org", "Ana Pérez")
    assert [m["channel"] for m in contact["messages_sent"]] == ["email"]
    erased = Contact.objects.get()
    assert (erased.email, erased.name) == (None, "")
    assert erased.erased_at is not None
    assert OutboundMessage.objects.get().to == ""
    assert Query.objects.get().text == QUERY_TEXT  # a public record: it stays, unlinked


def test_the_account_does_not_reach_a_contact_that_others_filings_link(client, agri):
    from urna.contacts.models import Contact
    from urna.contacts.services import ContactDetails
    from urna.queries.services import query_submit

    # Someone else wrote in with this address; typing it on a form proves nothing.
    query_submit(
        type="peticion",
        text="Otra solicitud, de la dueña de la dirección.",
        channel="web",
        entity=agri,
        contact=ContactDetails(email="otra@example.org", name="Otra", consent=True),
    )
    _sign_up_and_file(client, agri, email="otra@example.org")

    download = client.get("/cuenta/mis-datos/?formato=json").json()
    page = client.get("/cuenta/mis-datos/").content.decode()
    client.post("/cuenta/mis-datos/", {"confirm": "on"})

    assert "otra@example.org" not in page
    assert 'compruebe que es suyo en <a href="/datos-personales/">' in page
    assert len(download["queries"]) == 1
    assert download["contacts"] == []
    assert download["contacts_not_shown"] == 1
    assert "otra@example.org" not in str(download)
    contact = Contact.objects.get()
    assert (contact.email, contact.erased_at) == ("otra@example.org", None)


def test_my_data_links_my_contributions_for_citizens_only(client, make_staff, agri):
    client.post(
        "/cuenta/registro/",
        {"email": "ana@example.com", "password": "una-clave-larga-2026", "consent": "on"},
    )
    citizen_page = client.get("/cuenta/mis-datos/").content.decode()
    client.force_login(make_staff(agri, Role.MODERATOR))
    staff_page = client.get("/cuenta/mis-datos/").content.decode()

    assert 'href="/ejercicios/mis-aportes/"' in citizen_page
    assert 'href="/ejercicios/mis-aportes/"' not in staff_page
    assert client.get("/ejercicios/mis-aportes/").status_code == 403


def test_a_refused_signup_opens_with_an_error_summary_linking_the_field(client):
    html = client.post("/cuenta/registro/", {"email": "ana@example.com"}).content.decode()

    start = html.index('<div class="error-summary"')
    summary = html[start : html.index("</div>", start)]
    assert '<a href="#id_password">' in summary
