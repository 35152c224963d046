"""Staff access: one login door (rate-limited, with TOTP), a verified device for the admin and the
staff API's session when OTP is required, and login limits that hold under concurrent requests
without locking a user out for everybody."""

import time

import pytest
from django.test import RequestFactory, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from urna.accounts import services
from urna.accounts.models import Role
from urna.core.errors import RateLimited

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
ADMIN = "/staff/admin/"
ADMIN_LOGIN = "/staff/admin/login/"
INBOX = "/api/v1/staff/queries"


@pytest.fixture
def manager(make_staff, agri):
    return make_staff(agri, Role.MANAGER, username="gestora")


@pytest.fixture
def device(manager):
    return TOTPDevice.objects.create(user=manager, name="app", confirmed=True)


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _login(client, password=PASSWORD, ip="127.0.0.1", **fields):
    data = {"username": "gestora", "password": password, **fields}
    return client.post("/cuenta/entrar/", data, REMOTE_ADDR=ip)


def _lands_on(client, url):
    """Where the redirects from ``url`` end."""
    return client.get(url, follow=True).redirect_chain[-1][0]


# --- one login door -----------------------------------------------------------------------------


def test_the_admin_login_sends_staff_to_the_one_login(client, manager):
    response = client.get(ADMIN_LOGIN, {"next": ADMIN})

    assert response.status_code == 302
    assert response["Location"] == "/cuenta/entrar/?next=/staff/admin/"


def test_the_admin_login_never_takes_a_password(client, manager):
    # The attack: 40 wrong passwords, then the right one, on Django's stock login.
    for _ in range(40):
        client.post(ADMIN_LOGIN, {"username": "gestora", "password": "nope"})

    response = client.post(ADMIN_LOGIN, {"username": "gestora", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/cuenta/entrar/")
    assert "_auth_user_id" not in client.session
    assert _lands_on(client, ADMIN) == "/cuenta/entrar/?next=/staff/admin/"


def test_the_one_login_leads_back_to_the_admin(client, manager):
    response = client.post(
        "/cuenta/entrar/?next=/staff/admin/", {"username": "gestora", "password": PASSWORD}
    )

    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


@override_settings(STAFF_REQUIRE_OTP=True)
def test_the_admin_needs_a_verified_device_when_otp_is_required(client, manager, device):
    client.force_login(manager)  # a password-only session

    refused = _lands_on(client, ADMIN)
    _login(client, otp_token=_code(device))

    assert refused == "/cuenta/entrar/?next=/staff/admin/"
    assert client.get(ADMIN).status_code == 200


@override_settings(STAFF_REQUIRE_OTP=True)
def test_the_staff_api_session_needs_a_verified_device_when_otp_is_required(
    client, manager, device
):
    client.force_login(manager)

    refused = client.get(INBOX)
    _login(client, otp_token=_code(device))

    assert refused.status_code == 401
    assert refused.json()["code"] == "otp_required"
    assert "código de verificación" in refused.json()["detail"]
    assert client.get(INBOX).status_code == 200


def test_without_otp_required_the_password_session_reads_the_staff_api(client, manager):
    _login(client)

    assert client.get(INBOX).status_code == 200


# --- the lock is per user and network -----------------------------------------------------------


@override_settings(LOGIN_RATE_LIMIT="3/300")
def test_wrong_passwords_from_one_network_do_not_lock_the_user_out_elsewhere(client, manager):
    for _ in range(3):
        assert _login(client, password="nope", ip="203.0.113.5").status_code == 400

    locked = _login(client, ip="203.0.113.5")
    elsewhere = _login(client, ip="198.51.100.7")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(manager.pk)


@override_settings(LOGIN_RATE_LIMIT="3/300")
def test_a_right_password_gives_its_network_attempt_back(client, manager):
    # An office behind one address: its staff logging in all morning never lock the office.
    for _ in range(30):
        assert _login(client, ip="203.0.113.5").status_code == 302
        client.logout()

    assert _login(client, password="nope", ip="203.0.113.5").status_code == 400


# Without django-otp's own per-device backoff, to see Urna's limit alone.
@override_settings(STAFF_REQUIRE_OTP=True, LOGIN_RATE_LIMIT="3/300", OTP_TOTP_THROTTLE_FACTOR=0)
def test_wrong_codes_with_the_right_password_count_as_failed_logins(client, manager, device):
    right = _code(device)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        assert _login(client, otp_token=wrong).status_code == 400

    response = _login(client, otp_token=right)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# --- concurrency ----------------------------------------------------------------------------------


@pytest.fixture
def store(counter_store):
    return counter_store


@override_settings(LOGIN_RATE_LIMIT="5/300")
def test_concurrent_wrong_passwords_get_exactly_five_guesses(store, monkeypatch, race):
    checked = []

    def slow_authenticate(request, username, password):
        checked.append(password)
        time.sleep(0.05)  # a real password hash takes time: the requests overlap
        return None

    monkeypatch.setattr(services, "authenticate", slow_authenticate)
    request = RequestFactory().post("/cuenta/entrar/", REMOTE_ADDR="203.0.113.9")

    results = race(
        lambda: services.login_check(request=request, username="gestora", password="x"), 20
    )

    assert len(checked) == 5
    assert results.count(None) == 5
    assert sum(isinstance(r, RateLimited) for r in results) == 15
