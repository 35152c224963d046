import pytest

from urna.accounts.models import User
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
