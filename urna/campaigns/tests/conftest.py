"""Fixtures of the campaign tests: staff of two entities, contacts with consents by purpose and
channel, a segment and a campaign, and every channel's outbox in a file of the test's own."""

import pytest

from urna.accounts.models import Role
from urna.campaigns import services
from urna.contacts.consent import bits
from urna.contacts.models import Contact


@pytest.fixture
def outbox(settings, tmp_path):
    settings.MESSAGING_SMS_BACKEND = "file"
    settings.MESSAGING_WHATSAPP_BACKEND = "file"
    settings.MESSAGING_EMAIL_BACKEND = "file"
    settings.MESSAGING_FILE_PATH = tmp_path / "outbox"
    settings.MESSAGING_RATES = {}
    return tmp_path / "outbox"


@pytest.fixture
def author(agriculture, make_staff):
    return make_staff(agriculture, Role.CAMPAIGN, username="autora")


@pytest.fixture
def colleague(agriculture, make_staff):
    """Another campaign officer of the same entity: may write and send, not approve."""
    return make_staff(agriculture, Role.CAMPAIGN, username="colega")


@pytest.fixture
def approver(agriculture, make_staff):
    """The entity's administrator: holds campaign.approve."""
    return make_staff(agriculture, Role.ADMIN, username="aprobadora")


@pytest.fixture
def outsider(education, make_staff):
    return make_staff(education, Role.ADMIN, username="otra-entidad")


@pytest.fixture
def make_contact(db):
    counter = {"n": 0}

    def make(*, sms=False, whatsapp=False, email=False, purposes=("campaigns",), **fields):
        counter["n"] += 1
        n = counter["n"]
        channels = [c for c, on in (("sms", sms), ("whatsapp", whatsapp), ("email", email)) if on]
        fields.setdefault("phone", f"+57300{n:07d}")
        fields.setdefault("email", f"persona{n}@example.org")
        return Contact.objects.create(consents=bits(purposes, channels), **fields)

    return make


@pytest.fixture
def segment(agriculture, author):
    return services.segment_create(
        entity=agriculture, name="Todos", filters={}, description="", by=author
    )


SMS = "Hola {nombre}: el Ministerio abrió la consulta agraria. Opine en {enlace}"


@pytest.fixture
def make_campaign(agriculture, author, segment):
    def make(**fields):
        fields.setdefault("name", "Consulta agraria")
        fields.setdefault("channels", ["sms", "email"])
        fields.setdefault("sms_body", SMS)
        fields.setdefault("email_subject", "Novedades para {nombre}")
        fields.setdefault("email_text", "Hola {nombre}, opine en {enlace}. Baja: {enlace_baja}")
        fields.setdefault("link_url", "https://urna.example/ejercicios/agro/")
        return services.campaign_create(
            entity=agriculture,
            segment=fields.pop("segment", segment),
            by=fields.pop("by", author),
            **fields,
        )

    return make


@pytest.fixture
def approved(make_campaign, author, approver):
    """approved(**fields) → a campaign submitted by its author and approved by another."""

    def make(**fields):
        campaign = make_campaign(**fields)
        services.campaign_transition(campaign=campaign, action="submit", by=author)
        return services.campaign_transition(campaign=campaign, action="approve", by=approver)

    return make
