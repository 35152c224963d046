"""The outbox: every message Urna sends, whatever the provider.

Queries, exercises and campaigns call ``message_queue``; a background job hands the message to the
backend configured for its channel (console, file, Twilio, Africa's Talking, WhatsApp Cloud API,
SMTP). Delivery-status webhooks update the row.

A ``Dispatch`` is one message sent to many recipients (a campaign, an exercise update): its rows
in the outbox keep an empty ``body``, rendered from the dispatch's template when each batch is
sent (``urna.messaging.dispatch``).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from urna.core.channels import OUTBOUND_CHANNELS, Channel, channel_choices


class OutboundMessage(models.Model):
    # The platform's one list of channels (``OutboundMessage.Channel.SMS``); a message goes out
    # by one of OUTBOUND_CHANNELS.
    Channel = Channel

    class Kind(models.TextChoices):
        # A reply to something the citizen asked for: sent even after an opt-out.
        TRANSACTIONAL = "transactional", "Respuesta o confirmación"
        CAMPAIGN = "campaign", "Campaña"

    class Status(models.TextChoices):
        QUEUED = "queued", "En cola"
        SENT = "sent", "Enviado"
        DELIVERED = "delivered", "Entregado"
        FAILED = "failed", "Fallido"
        # The citizen had not consented to the purpose on the channel, or withdrew it.
        SUPPRESSED = "suppressed", "No enviado (sin autorización del ciudadano)"
        CANCELLED = "cancelled", "No enviado (envío cancelado)"

    channel = models.CharField(max_length=10, choices=channel_choices(OUTBOUND_CHANNELS))
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.TRANSACTIONAL)
    to = models.CharField(max_length=254)
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # The provider the citizen wrote through, when the reply must go back the same way.
    provider = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    backend = models.CharField(max_length=30, blank=True)
    provider_message_id = models.CharField(max_length=120, null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    related_type = models.CharField(max_length=60, blank=True)
    related_id = models.CharField(max_length=64, blank=True)
    # The dispatch this message is one recipient of (its body is the dispatch's template).
    dispatch = models.ForeignKey(
        "messaging.Dispatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
        db_index=False,  # outbox_dispatch_idx starts with it
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The first click on a tracked link of this message (``LinkClick`` keeps every click).
    clicked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbox_status_idx"),
            models.Index(fields=["related_type", "related_id"], name="outbox_related_idx"),
            # A batch job's queued rows, a dispatch's counts by status (index only).
            models.Index(fields=["dispatch", "status", "id"], name="outbox_dispatch_idx"),
            models.Index(
                fields=["dispatch"],
                condition=Q(clicked_at__isnull=False),
                name="outbox_clicked_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["backend", "provider_message_id"], name="unique_provider_message"
            ),
            # One message per contact and dispatch, however the audience was built.
            models.UniqueConstraint(
                fields=["dispatch", "contact"],
                condition=Q(dispatch__isnull=False),
                name="unique_dispatch_contact",
            ),
        ]
        verbose_name = "mensaje saliente"
        verbose_name_plural = "mensajes salientes"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk} ({self.get_status_display()})"


class Dispatch(models.Model):
    """One message template sent to many recipients, in batches, by background workers."""

    Channel = Channel

    class Purpose(models.TextChoices):
        # The same purposes a citizen consents to, one by one, in urna.contacts.
        ANSWERS = "answers", _("Respuestas y avances de su participación")
        CAMPAIGNS = "campaigns", _("Información del Gobierno (campañas)")
        SURVEYS = "surveys", _("Encuestas y consultas")

    class Status(models.TextChoices):
        SENDING = "sending", _("Enviando")
        PAUSED = "paused", _("En pausa")
        CANCELLED = "cancelled", _("Cancelado")
        DONE = "done", _("Terminado")

    channel = models.CharField(max_length=10, choices=channel_choices(OUTBOUND_CHANNELS))
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    subject = models.CharField(max_length=200, blank=True)
    # Text with {nombre}, {municipio}, {enlace}, {enlace_baja} (urna.messaging.templates).
    body = models.TextField()
    html = models.TextField(blank=True)  # email only; the same variables
    whatsapp_template = models.CharField(max_length=100, blank=True)
    whatsapp_language = models.CharField(max_length=10, blank=True)
    params = models.JSONField(default=list, blank=True)  # the WhatsApp template's parameters
    # What {enlace} points to, through a tracked link per message.
    link_url = models.URLField(max_length=1000, blank=True)
    # The outbox backend to send through; blank: the channel's setting.
    backend = models.CharField(max_length=30, blank=True)
    # Messages per second across every worker; 0: MESSAGING_RATES[backend], else no limit.
    rate_per_second = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    entity = models.ForeignKey(
        "entities.Entity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What owns the dispatch: a campaign, an exercise update.
    related_type = models.CharField(max_length=60, blank=True)
    related_id = models.CharField(max_length=64, blank=True)
    recipients = models.PositiveIntegerField(default=0)  # rows queued by dispatch_enqueue
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["related_type", "related_id"], name="dispatch_related_idx")]
        verbose_name = "envío masivo"
        verbose_name_plural = "envíos masivos"

    def __str__(self) -> str:
        return f"Envío #{self.pk} ({self.get_channel_display()}, {self.get_status_display()})"


class LinkClick(models.Model):
    """One click on a tracked link of a message: which link and when, nothing about who."""

    message = models.ForeignKey(OutboundMessage, on_delete=models.CASCADE, related_name="clicks")
    url = models.URLField(max_length=1000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "clic en un enlace"
        verbose_name_plural = "clics en enlaces"

    def __str__(self) -> str:
        return f"Clic en el mensaje #{self.message_id}"


class DeliveryEvent(models.Model):
    """A delivery-status report from a provider's webhook, kept as received."""

    message = models.ForeignKey(OutboundMessage, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=30)
    detail = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at"]

    def __str__(self) -> str:
        return f"{self.status} ({self.received_at:%Y-%m-%d %H:%M})"
