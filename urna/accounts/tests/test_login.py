import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from urna.accounts.models import Role
from urna.entities.models import Entity


@pytest.fixture
def manager(national_entities, make_staff):
    return make_staff(Entity.objects.get(acronym="MINTIC"), Role.MANAGER, username="gestora")


def _login(client, username="gestora", password="a-long-test-password", **extra):
    return client.post("/cuenta/entrar/", {"username": username, "password": password, **extra})


def test_staff_login_with_password(client, manager):
    response = _login(client)

    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200


def test_wrong_password_is_refused_in_spanish(client, manager):
    response = _login(client, password="nope")

    assert response.status_code == 400
    assert "Usuario o contraseña incorrectos" in response.content.decode()


@override_settings(LOGIN_RATE_LIMIT="3/300")
def test_login_attempts_are_rate_limited_per_username(client, manager):
    for _ in range(3):
        assert _login(client, password="nope").status_code == 400

    # Even the right password is refused until the window passes.
    response = _login(client)

    assert response.status_code == 429
    assert "Demasiados intentos" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(STAFF_REQUIRE_OTP=True)
def test_totp_second_factor_required_when_configured(client, manager):
    device = TOTPDevice.objects.create(user=manager, name="app", confirmed=True)

    missing = _login(client)
    assert missing.status_code == 400
    assert "_auth_user_id" not in client.session

    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    response = _login(client, otp_token=f"{token:06d}")

    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200


@override_settings(STAFF_REQUIRE_OTP=True)
def test_staff_pages_refuse_unverified_sessions(client, manager):
    client.force_login(manager)

    assert client.get("/staff/").status_code == 403
