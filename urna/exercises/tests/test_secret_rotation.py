"""Rotating SECRET_KEY (README, "Rotating secrets"): sessions survive through
SECRET_KEY_FALLBACKS, and with PARTICIPANT_ID_KEY set nobody may answer a closed question again
as a new participant."""

import pytest
from django.test import Client

from urna.accounts.services import citizen_register
from urna.exercises.participants import participant_hash

pytestmark = pytest.mark.django_db

OLD = "old-secret-key-" + "o" * 40
NEW = "new-secret-key-" + "n" * 40


@pytest.fixture
def citizen():
    return citizen_register(password="clave-segura-2026", email="ana@example.org", consent=True)


def test_a_session_made_with_the_old_key_survives_a_rotation_with_the_fallback(
    client, citizen, settings
):
    settings.SECRET_KEY = OLD
    client.force_login(citizen)
    assert client.get("/ejercicios/mis-aportes/").status_code == 200

    other = Client()
    other.force_login(citizen)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, [OLD]
    assert client.get("/ejercicios/mis-aportes/").status_code == 200
    # ...and that visit moved the session to the new key: it outlives the fallback.
    settings.SECRET_KEY_FALLBACKS = []
    assert client.get("/ejercicios/mis-aportes/").status_code == 200

    # A session made with the old key and not seen during the fallback's time: logged out.
    assert other.get("/ejercicios/mis-aportes/").status_code == 302


def test_participants_keep_their_hash_across_a_rotation_when_their_key_is_set(settings):
    settings.PARTICIPANT_ID_KEY = ""
    settings.SECRET_KEY = OLD
    before = participant_hash("contact:+573001234567")
    settings.SECRET_KEY = NEW
    assert participant_hash("contact:+573001234567") != before  # tied to SECRET_KEY

    settings.PARTICIPANT_ID_KEY = "participants-" + "p" * 40
    with_key = participant_hash("contact:+573001234567")
    settings.SECRET_KEY = OLD
    assert participant_hash("contact:+573001234567") == with_key
