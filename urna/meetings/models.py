"""Meetings and workshops: training and awareness spaces, in person or online (Decidim's
meetings are the model).

A meeting belongs to one entity (the exercise's owner when it is attached to an exercise) and is
public once published. Citizens register with an optional name and a phone or an email; past
the capacity they wait in line, and the first in line takes the seat someone cancels
(``services.registration_cancel``). After the meeting, staff record the minutes, who attended,
and the contributions taken in the room (entered into the exercise through its intake door and
linked here by ``MeetingContribution``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeetingQuerySet(models.QuerySet):
    def published(self) -> "MeetingQuerySet":
        return self.filter(published_at__isnull=False)

    def upcoming(self) -> "MeetingQuerySet":
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "id")

    def past(self) -> "MeetingQuerySet":
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-id")


class Meeting(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Encuentro")
        WORKSHOP = "workshop", _("Taller")
        TRAINING = "training", _("Capacitación")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("Presencial")
        ONLINE = "online", _("Virtual")

    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(_("descripción (Markdown)"), blank=True)
    # Sanitised HTML rendered from ``description`` by the service that saves it.
    description_html = models.TextField(blank=True, editable=False)
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    mode = models.CharField(
        _("modalidad"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON
    )
    address = models.CharField(_("dirección"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "territory.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipio"),
    )
    video_url = models.URLField(_("enlace de la videollamada"), blank=True)
    starts_at = models.DateTimeField(_("empieza"))
    ends_at = models.DateTimeField(_("termina"))
    exercise = models.ForeignKey(
        "exercises.Exercise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("ejercicio"),
    )
    entity = models.ForeignKey(
        "entities.Entity", on_delete=models.PROTECT, related_name="+", verbose_name=_("entidad")
    )
    # None: no limit on seats.
    capacity = models.PositiveIntegerField(_("cupos"), null=True, blank=True)
    registration_open = models.BooleanField(_("inscripciones abiertas"), default=True)
    # None: a draft, seen only by staff.
    published_at = models.DateTimeField(_("publicado"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelado"), null=True, blank=True)
    # Why staff cancelled it: public, on its page and in the lists.
    cancel_reason = models.CharField(_("motivo de la cancelación"), max_length=300, blank=True)
    minutes = models.TextField(_("acta (Markdown)"), blank=True)
    minutes_html = models.TextField(blank=True, editable=False)
    minutes_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["published_at", "ends_at"], name="meeting_public_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]
        verbose_name = _("encuentro")
        verbose_name_plural = _("encuentros")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    def urna_entity_ids(self) -> set[int]:
        return {self.entity_id}

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def accepts_registrations(self) -> bool:
        return (
            self.published_at is not None
            and self.cancelled_at is None
            and self.registration_open
            and self.starts_at > timezone.now()
        )


class Registration(models.Model):
    """A citizen's seat (or place in line) at a meeting. ``code`` is their receipt: it shows the
    registration and cancels it, without an account."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Cupo confirmado")
        WAITING = "waiting", _("En lista de espera")
        CANCELLED = "cancelled", _("Cancelada")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=150, blank=True)
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # How the citizen hears from Urna about this meeting: sms, whatsapp or email.
    channel = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices)
    attended = models.BooleanField(_("asistió"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The reminder was queued for this start time (a meeting moved gets a new reminder).
    reminded_for = models.DateTimeField(null=True, blank=True)
    # The registrant was told the meeting is cancelled (once: ``cancellations``).
    cancellation_told_at = models.DateTimeField(null=True, blank=True)
    # The API client's key for this registration: the same request retried returns it.
    idempotency_key = models.CharField(max_length=120, null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["meeting", "status", "created_at"], name="registration_line_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "idempotency_key"], name="registration_idempotency_unique"
            )
        ]
        verbose_name = _("inscripción a un encuentro")
        verbose_name_plural = _("inscripciones a encuentros")

    def __str__(self) -> str:
        return self.code

    def urna_entity_ids(self) -> set[int]:
        return {self.meeting.entity_id}


class MeetingContribution(models.Model):
    """A contribution taken at a meeting and entered into its exercise by staff."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="contributions")
    contribution = models.OneToOneField(
        "exercises.Contribution", on_delete=models.CASCADE, related_name="meeting_link"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("aporte tomado en un encuentro")
        verbose_name_plural = _("aportes tomados en encuentros")

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.contribution_id}"
