"""Demo set-up of contacts: the daily retention job, and a CRM of citizens who chose to hear
from their government — by SMS, WhatsApp or email, for campaigns, surveys or answers — with their
interests and the record of each consent, as an import of a signed-forms batch would leave it."""

import random

from django.db import transaction
from django.utils import timezone

from urna.contacts.consent import bits
from urna.contacts.models import ConsentEvent, Contact, ContactInterest, Source
from urna.contacts.tasks import next_run_at, retention_schedule
from urna.jobs.models import Job
from urna.territory.models import Municipality

DEMO_CONTACTS = 1_200
DEMO_SOURCE = "demo:jornadas-2026"
FIRST = ["Ana", "Luis", "Marta", "Jorge", "Sandra", "Diego", "Paola", "Andrés", "Yolanda", "Hernán"]
LAST = ["Gómez", "Rodríguez", "Martínez", "Pérez", "López", "Ramírez", "Torres", "Díaz", "Mora"]
TOPICS = ["agro", "agua", "educacion", "salud", "vias", "paz", "empleo", "conectividad"]
ENTITIES = ["MINAGRICULTURA", "MINSALUD", "MINEDUCACION", "MINTRANSPORTE", "MINTIC"]


def _profile(rng: random.Random, n: int) -> dict:
    """One demo citizen: a phone always (numbers of the 3005550000 demo block), an email for
    two in five; consent to campaigns on the channels they chose, surveys for some."""
    channels = rng.choice([["sms"], ["sms"], ["whatsapp"], ["sms", "email"], ["email"]])
    has_email = "email" in channels or rng.random() < 0.2
    purposes = ["campaigns"] + (["surveys"] if rng.random() < 0.3 else [])
    return {
        "phone": f"+5730055{n:05d}",
        "email": f"ciudadano{n:05d}@correo.example" if has_email else None,
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "consents": bits(purposes, [c for c in channels if c != "email" or has_email]),
        "preferred_channel": channels[0],
    }


def contacts_demo() -> int:
    """Create the demo CRM once (idempotent: nothing is added when it exists)."""
    if Contact.objects.filter(source_detail=DEMO_SOURCE).exists():
        return 0
    rng = random.Random(2026)
    municipalities = list(
        Municipality.objects.order_by("code").values_list("code", "department_id")
    )
    now = timezone.now()
    with transaction.atomic():
        rows = []
        for n in range(DEMO_CONTACTS):
            code, department = rng.choice(municipalities) if municipalities else (None, None)
            rows.append(
                Contact(
                    **_profile(rng, n),
                    municipality_id=code,
                    department_id=department,
                    source=Source.IMPORT,
                    source_detail=DEMO_SOURCE,
                    consent_at=now,
                    consent_channel="import",
                    consent_version="2026-01",
                )
            )
        Contact.objects.bulk_create(rows, batch_size=500)
        created = list(Contact.objects.filter(source_detail=DEMO_SOURCE).order_by("pk"))
        events, interests = [], []
        for contact in created:
            events.append(
                ConsentEvent(
                    contact=contact,
                    action=ConsentEvent.Action.GRANT,
                    scope=contact.consents,
                    via=ConsentEvent.Via.IMPORT,
                    channel="import",
                    text_version="2026-01",
                    evidence="Demo: formularios firmados en las jornadas de 2026",
                )
            )
            for topic in rng.sample(TOPICS, rng.randint(1, 3)):
                interests.append(ContactInterest(contact=contact, kind="topic", value=topic))
            interests.append(
                ContactInterest(contact=contact, kind="entity", value=rng.choice(ENTITIES))
            )
            if contact.department_id:
                interests.append(
                    ContactInterest(contact=contact, kind="department", value=contact.department_id)
                )
        ConsentEvent.objects.bulk_create(events, batch_size=500)
        ContactInterest.objects.bulk_create(interests, batch_size=500, ignore_conflicts=True)
    return len(created)


def demo_load(*, stdout) -> None:
    if not Job.objects.filter(name="contacts.retention", status="queued").exists():
        retention_schedule(run_at=next_run_at())
    stdout.write("contacts: daily retention scheduled\n")
    created = contacts_demo()
    stdout.write(f"contacts: {created} demo contacts with their consents\n")
