import pytest
from django.utils import timezone

from urna.contacts.models import Contact
from urna.messaging import backends

PHONE = "+573001234567"


@pytest.fixture
def outbox(settings, tmp_path):
    """SMS and WhatsApp go to the file backend in a folder of the test's own."""
    settings.MESSAGING_SMS_BACKEND = "file"
    settings.MESSAGING_WHATSAPP_BACKEND = "file"
    settings.MESSAGING_EMAIL_BACKEND = "smtp"
    settings.MESSAGING_FILE_PATH = tmp_path / "outbox"
    return tmp_path / "outbox"


@pytest.fixture
def fake_backend(monkeypatch):
    """fake_backend(name, *outcomes) registers a backend for one test: each call returns the
    next outcome (a provider id) or raises it (an exception); the last one repeats. Returns the
    list of the ids of the messages it was handed."""
    handed = []

    def make(name, *outcomes):
        def send(message):
            handed.append(message.pk)
            outcome = outcomes[min(len(handed), len(outcomes)) - 1]
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        monkeypatch.setitem(backends.BACKENDS, name, send)
        return handed

    return make


@pytest.fixture
def contact(db):
    """A contact who answered yes to campaigns."""
    now = timezone.now()
    return Contact.objects.create(
        phone=PHONE, consent_at=now, consent_channel="web", campaign_consent_at=now
    )
