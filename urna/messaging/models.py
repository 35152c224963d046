"""The outbox: every message Urna sends, whatever the provider.

Queries, exercises and campaigns call ``message_queue``; a background job hands the message to the
backend configured for its channel (console, file, Twilio, Africa's Talking, WhatsApp Cloud API,
SMTP). Delivery-status webhooks update the row.
"""

from django.db import models

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
        SUPPRESSED = "suppressed", "No enviado (el ciudadano se dio de baja)"

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
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbox_status_idx"),
            models.Index(fields=["related_type", "related_id"], name="outbox_related_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["backend", "provider_message_id"], name="unique_provider_message"
            )
        ]
        verbose_name = "mensaje saliente"
        verbose_name_plural = "mensajes salientes"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk} ({self.get_status_display()})"


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
