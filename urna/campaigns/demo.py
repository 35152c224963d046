"""Demo campaigns: two segments and one campaign written, approved by a second person and sent
through the outbox (its jobs run inline), so the metrics page shows numbers.

``seed_demo`` runs ``demo_load`` after the contacts app's demo (INSTALLED_APPS order), which
creates the demo contacts. Idempotent: a second run finds the campaign and changes nothing.
"""

import random
from typing import Any

from django.conf import settings
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from urna.accounts.models import User
from urna.campaigns import services
from urna.campaigns.models import Campaign, Segment
from urna.contacts.models import Contact
from urna.contacts.services import unsubscribe_apply, unsubscribe_token
from urna.core.links import absolute_url
from urna.entities.models import Entity
from urna.jobs.services import run_pending
from urna.messaging.links import link_click, tracked_url
from urna.messaging.models import OutboundMessage
from urna.messaging.services import delivery_record

DEMO_NAME = "Pacto agrario: resultados de la consulta"


def campaigns_demo(*, entity: Entity, author: Any, approver: Any) -> Campaign:
    """Create (once) the demo segments and campaign of ``entity``: written by ``author``,
    approved by ``approver`` (another person holding campaign.approve), sent now."""
    existing = Campaign.objects.filter(entity=entity, name=DEMO_NAME).first()
    if existing is not None:
        return existing
    if not Segment.objects.filter(entity=entity, name="Interesados en el agro").exists():
        services.segment_create(
            entity=entity,
            name="Interesados en el agro",
            description="Contactos que pidieron noticias del tema agro.",
            filters={"topics": ["agro"]},
            by=author,
        )
    everyone = Segment.objects.filter(entity=entity, name="Todos los que autorizaron").first()
    if everyone is None:
        everyone = services.segment_create(
            entity=entity,
            name="Todos los que autorizaron",
            description="Quienes autorizaron información del Gobierno por algún canal.",
            filters={"channels": ["sms", "whatsapp", "email"], "purpose": "campaigns"},
            by=author,
        )
    campaign = services.campaign_create(
        entity=entity,
        segment=everyone,
        name=DEMO_NAME,
        channels=["sms", "email"],
        sms_body=(
            "Hola {nombre}: ya están los resultados de la consulta del pacto agrario. "
            "Véalos en {enlace} Para no recibir más: {enlace_baja}"
        ),
        email_subject="{nombre}, estos son los resultados del pacto agrario",
        email_text=(
            "Hola {nombre}:\n\nGracias por participar. Los resultados de la consulta están en "
            "{enlace}\n\nSi no quiere recibir más mensajes: {enlace_baja}"
        ),
        email_html=(
            "<p>Hola {nombre}:</p><p>Gracias por participar. "
            '<a href="{enlace}">Vea los resultados de la consulta</a>.</p>'
        ),
        link_url=absolute_url(reverse("exercises:list")),
        by=author,
    )
    services.campaign_transition(campaign=campaign, action="submit", by=author)
    services.campaign_transition(campaign=campaign, action="approve", by=approver)
    services.campaign_transition(campaign=campaign, action="schedule", by=author)
    run_pending(worker="demo")
    provider_feedback_demo(campaign)
    campaign.refresh_from_db()
    return campaign


def provider_feedback_demo(campaign: Campaign) -> None:
    """What comes back after a real send, played through the services the providers' webhooks
    and the citizens' clicks call: delivery reports (most delivered, a few failed), clicks on
    the tracked link, and two citizens who stop the messages with the link. The demo's file
    backend keeps no provider ids, so the messages get the ids a provider would have returned."""
    dispatch_ids = list(campaign.dispatches.values_list("dispatch_id", flat=True))
    sent = OutboundMessage.objects.filter(dispatch_id__in=dispatch_ids, status="sent")
    sent.filter(provider_message_id=None).update(
        provider_message_id=Concat(Value("demo-"), Cast("id", CharField()))
    )
    rng = random.Random(15)
    for pk, backend, provider_id, channel, contact_id in sent.order_by("id").values_list(
        "id", "backend", "provider_message_id", "channel", "contact_id"
    ):
        roll = rng.random()
        status = "delivered" if roll < 0.93 else "failed" if roll < 0.96 else ""
        if status:
            delivery_record(
                backend=backend,
                provider_message_id=provider_id,
                status=status,
                detail="" if status == "delivered" else "30005 número desconocido",
            )
        if campaign.link_url and roll < 0.08:
            link_click(token=tracked_url(pk, campaign.link_url).rstrip("/").rsplit("/", 1)[-1])
        if roll > 0.997:
            unsubscribe_apply(unsubscribe_token(contact_id, channel, campaign.purpose))


def demo_load(*, stdout) -> None:
    if settings.PRODUCTION:
        return
    author = User.objects.filter(username="campanas").first()
    approver = User.objects.filter(username="admin").first()
    entity = Entity.objects.filter(acronym="MINAGRICULTURA").first()
    if author is None or approver is None or entity is None:
        stdout.write("campaigns: no demo staff, no demo campaign\n")
        return
    if not Contact.objects.live().exists():
        stdout.write("campaigns: no contacts yet, no demo campaign\n")
        return
    campaign = campaigns_demo(entity=entity, author=author, approver=approver)
    stdout.write(f"campaigns: demo campaign «{campaign.name}» ({campaign.get_status_display()})\n")
