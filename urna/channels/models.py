"""Inbound channels: every message a provider hands us is stored raw before it is acknowledged.

``InboundMessage`` is both the durable record of what arrived (the provider's payload, the
headers needed to verify it again) and the work item: a row stays ``received`` until it has been
processed into a contribution, a query, a status answer or a help reply. The unique constraint on
(provider, provider_message_id) makes a provider's retry, or a replay, create nothing new.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urna.core.channels import OPERATOR_CHANNELS, channel_choices


class Provider(models.TextChoices):
    USSD = "ussd", "USSD (Africa's Talking)"
    TWILIO = "twilio", "SMS (Twilio)"
    AFRICASTALKING = "africastalking", "SMS (Africa's Talking)"
    WHATSAPP = "whatsapp", "WhatsApp Cloud API"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    EMAIL = "email", _("Correo electrónico")


class InboundMessage(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Recibido, por procesar")
        PROCESSED = "processed", _("Procesado")
        UNROUTED = "unrouted", _("Por enrutar (el equipo debe revisarlo)")
        IGNORED = "ignored", _("Ignorado")
        FAILED = "failed", _("Fallido (se puede reintentar)")
        # A signed payload of a shape the parser cannot read: kept raw for staff, never processed.
        UNPARSABLE = "unparsable", _("Ilegible (el equipo debe revisarlo)")

    class Result(models.TextChoices):
        NONE = "", "—"
        CONTRIBUTION = "contribution", _("Aporte")
        QUERY = "query", _("Consulta")
        STATUS = "status", _("Estado de un recibo")
        HELP = "help", _("Ayuda")
        MENU = "menu", _("Menú")
        OPT_OUT = "opt_out", _("Baja de campañas")
        OPT_IN = "opt_in", _("Alta en la información del Gobierno")
        ERASE = "erase", _("Borrado de sus datos")
        REJECTED = "rejected", _("Rechazado por una regla")

    provider = models.CharField(max_length=20, choices=Provider.choices)
    provider_message_id = models.CharField(max_length=200)
    channel = models.CharField(max_length=12)
    # The citizen's address (phone, email, social id) as the provider sent it: personal data.
    sender = models.CharField(max_length=254, blank=True)
    recipient = models.CharField(max_length=254, blank=True)
    body = models.TextField(blank=True)
    payload = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=12, choices=Result.choices, blank=True)
    result_receipt = models.CharField(max_length=20, blank=True)
    # What we answered (a USSD screen, an SMS reply): a retried request gets the same answer.
    reply = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_message_id"], name="unique_inbound_provider_message"
            )
        ]
        indexes = [
            models.Index(fields=["status", "id"], name="inbound_status_idx"),
            models.Index(fields=["channel", "received_at"], name="inbound_channel_day_idx"),
        ]
        verbose_name = _("mensaje recibido")
        verbose_name_plural = _("mensajes recibidos")

    def __str__(self) -> str:
        return f"{self.get_provider_display()} #{self.pk} ({self.get_status_display()})"


def attachment_path(instance: "InboundAttachment", filename: str) -> str:
    return f"channels/{instance.message_id}/{filename}"


class InboundAttachment(models.Model):
    """A file that came with an inbound email, kept within type and size limits."""

    message = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="files")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to=attachment_path, max_length=300)

    class Meta:
        verbose_name = _("adjunto recibido")

    def __str__(self) -> str:
        return self.filename


class Conversation(models.Model):
    """Where a citizen is in a numbered-menu conversation (SMS, WhatsApp), kept in the database
    so that it survives restarts and is shared by every worker."""

    channel = models.CharField(max_length=12)
    address = models.CharField(max_length=254)
    state = models.CharField(max_length=30, blank=True)
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="unique_conversation")
        ]
        verbose_name = _("conversación")
        verbose_name_plural = _("conversaciones")

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk}"


class SocialPostLink(models.Model):
    """A Facebook or Instagram post that staff linked to an exercise: comments on it become
    contributions (the commenter's public profile name is kept, never published)."""

    class Platform(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"

    platform = models.CharField(_("red social"), max_length=10, choices=Platform.choices)
    post_id = models.CharField(
        _("identificador de la publicación"),
        max_length=100,
        help_text=_("Facebook: PAGEID_POSTID. Instagram: el id de la publicación (media id)."),
    )
    exercise = models.ForeignKey(
        "exercises.Exercise",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ejercicio"),
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "post_id"], name="unique_social_post")
        ]
        verbose_name = _("publicación enlazada")
        verbose_name_plural = _("publicaciones enlazadas")

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.post_id}"

    def urna_entity_ids(self) -> set[int]:
        return self.exercise.urna_entity_ids()


class OperatorSession(models.Model):
    """A live broadcast, call-in or meeting during which an operator types contributions."""

    exercise = models.ForeignKey(
        "exercises.Exercise",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ejercicio"),
    )
    channel = models.CharField(
        _("canal"), max_length=10, choices=channel_choices(OPERATOR_CHANNELS)
    )
    programme = models.CharField(_("programa o lugar"), max_length=150, blank=True)
    date = models.DateField(_("fecha"))
    operator = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    entries = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sesión de consola")
        verbose_name_plural = _("sesiones de consola")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.programme} {self.date:%Y-%m-%d}"

    def urna_entity_ids(self) -> set[int]:
        return self.exercise.urna_entity_ids()
