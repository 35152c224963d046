"""A small world of citizens' activity over two past years, two entities and two departments,
for the engine's tests: every figure the tests expect is counted by hand from these rows."""

import itertools
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from urna.campaigns.models import Campaign, Segment
from urna.channels.models import InboundMessage
from urna.contacts.models import Contact
from urna.deliberation.models import Deliberation, Participant, Statement, Vote
from urna.entities.models import Entity
from urna.exercises.models import Contribution, Exercise, Support
from urna.messaging.models import Dispatch, OutboundMessage
from urna.queries.models import Query

_serial = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour), timezone.get_current_timezone())


@dataclass
class World:
    y1: int
    y2: int
    ministry: Entity  # national, no department
    governorate: Entity  # territorial, department 05
    c1: Contact
    c2: Contact
    c3: Contact
    user: object
    e1: Exercise
    e2: Exercise


def exercise(owner, *, opens_at, partners=(), status="open", department=None, **fields):
    n = next(_serial)
    created = Exercise.objects.create(
        title=f"Ejercicio {n}",
        slug=f"ejercicio-{n}",
        summary="Resumen.",
        owner=owner,
        kind=Exercise.Kind.POLICY,
        status=status,
        opens_at=opens_at,
        department_id=department,
        **fields,
    )
    created.partners.set(partners)
    return created


def contribution(exercise, when, channel, *, kind="opinion", contact=None, user=None, **fields):
    n = next(_serial)
    return Contribution.objects.create(
        exercise=exercise,
        kind=kind,
        text="Un aporte.",
        channel=channel,
        created_at=when,
        contact=contact,
        user=user,
        receipt=f"R-{n:06d}",
        **fields,
    )


def query(entity, when, channel, *, contact=None, **fields):
    n = next(_serial)
    return Query.objects.create(
        receipt=f"Q-{n:06d}",
        type="peticion",
        text="Una petición de prueba.",
        channel=channel,
        state="new",
        entity=entity,
        contact=contact,
        filed_at=when,
        term_start=when.date(),
        term_days=15,
        due_date=date(when.year + 5, 1, 1),
        **fields,
    )


def inbound(when, channel="sms"):
    n = next(_serial)
    return InboundMessage.objects.create(
        provider="twilio", provider_message_id=f"SM{n}", channel=channel, received_at=when
    )


def outbound(when, contact, *, channel="sms", status="sent", dispatch=None, kind="transactional"):
    message = OutboundMessage.objects.create(
        channel=channel, to="x", contact=contact, body="Hola", status=status, dispatch=dispatch,
        kind=kind,
    )  # fmt: skip
    OutboundMessage.objects.filter(pk=message.pk).update(created_at=when)
    return message


def campaign_of(entity, started_at) -> tuple[Campaign, Dispatch]:
    segment = Segment.objects.create(entity=entity, name="Todos")
    campaign = Campaign.objects.create(
        entity=entity, name="Campaña", segment=segment, channels=["email"], status="sent",
        started_at=started_at,
    )  # fmt: skip
    dispatch = Dispatch.objects.create(
        channel="email", purpose="campaigns", body="Hola", entity=entity,
        related_type="campaigns.campaign", related_id=str(campaign.pk),
    )  # fmt: skip
    return campaign, dispatch


def world_base(ministry: Entity, user) -> World:
    """Entities, contacts and exercises, with no activity yet."""
    y2 = timezone.localdate().year - 1
    y1 = y2 - 1
    governorate = Entity.objects.create(
        name="Gobernación de prueba", acronym="GOB-PRUEBA", slug="gob-prueba",
        level="territorial", kind="governorate", department_id="05",
    )  # fmt: skip
    c1 = Contact.objects.create(phone="+573000000001", department_id="17")
    c2 = Contact.objects.create(phone="+573000000002", department_id="05")
    c3 = Contact.objects.create(email="c3@example.org")
    e1 = exercise(
        ministry,
        opens_at=at(y1, 3, 10),
        partners=[governorate],
        results_published_at=at(y2, 2, 5),
    )
    e2 = exercise(governorate, opens_at=at(y2, 1, 15), department="05")
    exercise(ministry, opens_at=at(y1, 3, 1), status="draft")  # a draft is never counted
    return World(y1, y2, ministry, governorate, c1, c2, c3, user, e1, e2)


def first_year_activity(w: World) -> None:
    """March and April of the first year (counted by hand in the tests)."""
    y = w.y1
    contribution(w.e1, at(y, 3, 12), "web", contact=w.c1, department_id="17")
    # Came by SMS through a provider: its raw message is stored (and counted) apart.
    contribution(
        w.e1, at(y, 3, 20), "sms", contact=w.c1, department_id="17", idempotency_key="ch:twilio:a"
    )
    inbound(at(y, 3, 20))
    inbound(at(y, 3, 21))  # a help request: a message, no submission
    # A demo-style SMS answer stored without its message: still inbound traffic.
    contribution(w.e1, at(y, 4, 2), "sms", kind="answer", contact=w.c2, department_id="05")
    proposal = contribution(w.e1, at(y, 4, 5), "web", kind="proposal", user=w.user)
    Support.objects.create(contribution=proposal, supporter="h" * 64, created_at=at(y, 4, 6))
    query(w.ministry, at(y, 3, 15), "web", contact=w.c3, municipality_id="17001")
    # Handed over from the exercise: repeats contribution 1, never counted twice.
    query(w.ministry, at(y, 3, 12), "exercise", contact=w.c1)
    outbound(at(y, 4, 3), w.c2)
    outbound(at(y, 4, 3), w.c3, status="suppressed")


def second_year_activity(w: World) -> None:
    """January of the second year."""
    y = w.y2
    contribution(w.e2, at(y, 1, 20), "whatsapp", contact=w.c1, department_id="05")
    contribution(w.e2, at(y, 1, 21), "radio")
    query(w.governorate, at(y, 1, 10), "sms", contact=w.c2, idempotency_key="ch:twilio:q")
    inbound(at(y, 1, 10))
    _, dispatch = campaign_of(w.governorate, at(y, 1, 25))
    outbound(at(y, 1, 25), w.c3, channel="email", status="delivered", dispatch=dispatch,
             kind="campaign")  # fmt: skip
    outbound(at(y, 1, 25), w.c1, channel="email", status="cancelled", dispatch=dispatch,
             kind="campaign")  # fmt: skip


def deliberation_activity(w: World) -> dict:
    """February of the second year: a deliberation on e2 (the governorate's, department 05),
    four votes by three participants — a contact (web, then WhatsApp), an account (the API) and
    an anonymous browser (web)."""
    y = w.y2
    deliberation = Deliberation.objects.create(exercise=w.e2, question="¿Qué priorizar?")
    s1, s2 = (
        Statement.objects.create(
            deliberation=deliberation, text=text, origin="staff", moderation="published"
        )
        for text in ("Primero las vías.", "Primero el crédito.")
    )
    contact = Participant.objects.create(deliberation=deliberation, contact=w.c1)
    account = Participant.objects.create(deliberation=deliberation, user=w.user)
    browser = Participant.objects.create(deliberation=deliberation, anonymous_key="k1")
    for participant, statement, channel, day in (
        (contact, s1, "web", 3),
        (contact, s2, "whatsapp", 4),
        (account, s1, "api", 5),
        (browser, s2, "web", 6),
    ):
        Vote.objects.create(
            deliberation=deliberation, statement=statement, participant=participant, value=1,
            channel=channel, created_at=at(y, 2, day), updated_at=at(y, 2, day),
        )  # fmt: skip
    return {"deliberation": deliberation, "statements": (s1, s2), "contact": contact}
