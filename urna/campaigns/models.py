"""Segments and campaigns: the government speaking first to citizens who asked to hear from it.

A ``Segment`` is a saved filter over contacts (interests, territory, consent by channel, activity,
language; see ``urna.campaigns.selectors.segment_contacts``). A ``Campaign`` is one message per
channel to a segment, written by one staff member and approved by another, then sent by
``urna.messaging`` dispatches, one per channel (``CampaignDispatch``): each contact gets one
message, by the first channel in the campaign's order it consented to (or its preferred one).
Which action is allowed in which status is the table in ``urna.campaigns.workflow``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.Model):
    entity = models.ForeignKey("entities.Entity", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # {"topics": [...], "entities": [...], "departments": [...], "municipalities": [...],
    #  "exercises": [...], "in_departments": [...], "in_municipalities": [...], "channels": [...],
    #  "purpose": "campaigns", "active_days": 90, "took_part": [...], "languages": [...]}
    filters = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "segmento"

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SUBMITTED = "submitted", _("Enviada a aprobación")
        APPROVED = "approved", _("Aprobada")
        SCHEDULED = "scheduled", _("Programada")
        SENDING = "sending", _("Enviándose")
        PAUSED = "paused", _("En pausa")
        SENT = "sent", _("Enviada")
        CANCELLED = "cancelled", _("Cancelada")

    class Purpose(models.TextChoices):
        # The purposes a citizen consents to (urna.contacts.models.Purpose), less "answers",
        # which are never a campaign.
        CAMPAIGNS = "campaigns", _("Información del Gobierno (campañas)")
        SURVEYS = "surveys", _("Encuestas y consultas")

    entity = models.ForeignKey("entities.Entity", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=150)
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="campaigns")
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.CAMPAIGNS)
    # Channels in priority order ("sms", "whatsapp", "email").
    channels = models.JSONField(default=list)
    # False: one message per contact (first consented channel, or the preferred one); True: a
    # message on every channel the contact consented to.
    every_channel = models.BooleanField(default=False)
    sms_body = models.TextField(blank=True)
    email_subject = models.CharField(max_length=200, blank=True)
    email_text = models.TextField(blank=True)
    email_html = models.TextField(blank=True)  # sanitised with nh3 when saved
    whatsapp_template = models.CharField(max_length=100, blank=True)
    whatsapp_language = models.CharField(max_length=10, blank=True)
    whatsapp_params = models.JSONField(default=list, blank=True)
    link_url = models.URLField(max_length=1000, blank=True)
    # Messages per second wanted; 0: the provider's rate. Never above the provider's.
    rate_per_second = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    run_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who last changed the content: like the creator, they may not approve it.
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Why an approver sent it back to draft.
    return_reason = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["entity", "status"], name="campaign_entity_status_idx")]
        verbose_name = "campaña"

    def __str__(self) -> str:
        return self.name


class CampaignDispatch(models.Model):
    """The dispatch that carries a campaign on one channel."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="dispatches")
    channel = models.CharField(max_length=10)
    position = models.PositiveSmallIntegerField()
    dispatch = models.OneToOneField(
        "messaging.Dispatch", on_delete=models.PROTECT, related_name="+"
    )
    # Set once the audience of this channel was queued (a rerun of the start job skips it).
    enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "channel"], name="unique_campaign_channel")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.channel}"
