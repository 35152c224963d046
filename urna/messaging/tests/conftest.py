import pytest
from django.utils import timezone

from urna.contacts.models import Contact
from urna.messaging import backends, hooks

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


class Gate:
    """A consent gate for the tests: (contact id, channel, purpose) triples it allows."""

    def __init__(self) -> None:
        self.allowed: set[tuple[int, str, str]] = set()
        self.calls: list[tuple[int, str, str]] = []  # (how many ids, channel, purpose)

    def __call__(self, contact_ids, channel, purpose):
        self.calls.append((len(contact_ids), channel, purpose))
        return {pk for pk in contact_ids if (pk, channel, purpose) in self.allowed}

    def allow(self, *contacts, channel="sms", purpose="campaigns"):
        self.allowed |= {(getattr(c, "pk", c), channel, purpose) for c in contacts}

    def revoke(self, *contacts, channel="sms", purpose="campaigns"):
        self.allowed -= {(getattr(c, "pk", c), channel, purpose) for c in contacts}


@pytest.fixture
def gate(monkeypatch):
    """The consent gate the contacts app would register, allowing what the test says."""
    registered = Gate()
    monkeypatch.setitem(hooks.HOOKS, "consent_gate", registered)
    return registered


@pytest.fixture
def no_hooks(monkeypatch):
    """Nothing registered by the contacts app: no gate, no variables, no unsubscribe URL."""
    for name in hooks.HOOKS:
        monkeypatch.setitem(hooks.HOOKS, name, None)


@pytest.fixture
def contact(db, gate):
    """A contact who answered yes to campaigns by SMS (the gate allows it)."""
    created = Contact.objects.create(phone=PHONE, consent_at=timezone.now(), consent_channel="web")
    gate.allow(created)
    return created
