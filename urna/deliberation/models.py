"""Deliberation on an exercise, Polis-style: statements, votes on them, and the opinion groups
computed from the votes.

A deliberation belongs to one exercise. Staff seed statements and participants propose more; a
statement is voted on only once it is published (moderated like a contribution: pending,
published, rejected with a public reason). Each participant (an account, a contact reached by
WhatsApp or USSD, or an anonymous browser with a signed cookie) votes agree (+1), disagree (-1)
or pass (0) once per statement; a new vote replaces the old one. ``services`` is the one door
for all of it; ``maths`` turns the votes into groups, stored in ``DeliberationResult`` by a
throttled background job, so pages read stored results only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urna.core.channels import Channel, channel_choices
from urna.core.privacy import mask_personal_data, personal_data_scan

# The channels a vote arrives by: the web page, the API, and the phone channels.
VOTE_CHANNELS = frozenset(
    {Channel.WEB, Channel.API, Channel.SMS, Channel.USSD, Channel.WHATSAPP, Channel.PHONE}
)


class Deliberation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Abierta")
        CLOSED = "closed", _("Cerrada")

    exercise = models.OneToOneField(
        "exercises.Exercise",
        on_delete=models.PROTECT,
        related_name="deliberation",
        verbose_name=_("ejercicio"),
    )
    question = models.CharField(
        _("pregunta que se delibera"),
        max_length=300,
        help_text=_("Lo que se pregunta a la ciudadanía, p. ej. «¿Qué piensa de…?»"),
    )
    status = models.CharField(
        _("estado"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    # Participants may propose statements (moderated before they are voted on).
    accepts_proposals = models.BooleanField(_("acepta afirmaciones de participantes"), default=True)
    # The groups are recomputed at most once every this many seconds, however fast votes come.
    recompute_seconds = models.PositiveIntegerField(
        _("intervalo mínimo entre recálculos (segundos)"), default=60
    )
    # Participants with fewer votes are shown nowhere in the map and join no group (Polis: 7).
    min_votes = models.PositiveSmallIntegerField(
        _("votos mínimos para ubicar a un participante"), default=7
    )
    # Set by the first vote after a recompute started; the recompute clears it when it starts
    # (``recompute.py``), at ``recomputed_at``.
    dirty = models.BooleanField(default=False)
    recomputed_at = models.DateTimeField(null=True, blank=True)
    is_example = models.BooleanField(_("contenido de ejemplo"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deliberación")
        verbose_name_plural = _("deliberaciones")

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("deliberation:detail", kwargs={"slug": self.exercise.slug})

    def urna_entity_ids(self) -> set[int]:
        return self.exercise.urna_entity_ids()


class Participant(models.Model):
    """Who votes: one row per deliberation and person. Exactly one of ``user``, ``contact`` and
    ``anonymous_key`` (the id in a browser's signed cookie) names them; public outputs show the
    row's opaque id only."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.CASCADE, related_name="participants", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    anonymous_key = models.CharField(max_length=32, null=True, blank=True)
    # The statement a one-at-a-time channel (SMS, WhatsApp, USSD) last put before the
    # participant: their next "1", "2" or "3" is a vote on it (``services.vote_shown``).
    shown_statement = models.ForeignKey(
        "Statement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "user"],
                condition=Q(user__isnull=False),
                name="delib_participant_user",
            ),
            models.UniqueConstraint(
                fields=["deliberation", "contact"],
                condition=Q(contact__isnull=False),
                name="delib_participant_contact",
            ),
            models.UniqueConstraint(
                fields=["deliberation", "anonymous_key"],
                condition=Q(anonymous_key__isnull=False),
                name="delib_participant_anonymous",
            ),
        ]
        indexes = [
            models.Index(
                fields=["contact"], condition=Q(contact__isnull=False), name="delib_p_contact"
            ),
            models.Index(fields=["user"], condition=Q(user__isnull=False), name="delib_p_user"),
        ]
        verbose_name = _("participante")

    def __str__(self) -> str:
        return f"P{self.pk}"


class Statement(models.Model):
    class Origin(models.TextChoices):
        STAFF = "staff", _("Equipo de la entidad")
        PARTICIPANT = "participant", _("Participante")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("Pendiente de moderación")
        PUBLISHED = "published", _("Publicada")
        REJECTED = "rejected", _("Rechazada")

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.CASCADE, related_name="statements", db_index=False
    )
    # What was written, for moderators; the public reads ``public_text`` (masked at intake,
    # as contributions are: ``urna.core.privacy``), and ``personal_data`` lists the kinds found.
    text = models.TextField(_("afirmación"))
    public_text = models.TextField(blank=True)
    personal_data = models.CharField(max_length=60, blank=True)
    origin = models.CharField(max_length=12, choices=Origin.choices)
    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    rejected_reason = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["deliberation", "moderation", "id"], name="delib_statement_idx")
        ]
        verbose_name = _("afirmación")
        verbose_name_plural = _("afirmaciones")

    def __str__(self) -> str:
        return f"#{self.pk}"

    def save(self, *args, **kwargs) -> None:
        # The services fill both; a row created another way (admin) gets them here, so it is
        # never public unmasked.
        if self.text and not self.public_text:
            self.public_text, self.personal_data = personal_data_scan(self.text)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "public_text", "personal_data"}
        super().save(*args, **kwargs)

    def urna_entity_ids(self) -> set[int]:
        return self.deliberation.urna_entity_ids()

    @property
    def masked_text(self) -> str:
        """The text the public may read (never the original)."""
        if self.public_text or not self.text:
            return self.public_text
        return mask_personal_data(self.text)


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("De acuerdo")
        DISAGREE = -1, _("En desacuerdo")
        PASS = 0, _("Paso / no estoy seguro")

    # The deliberation is repeated here so the recompute reads its matrix from one index.
    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    value = models.SmallIntegerField(choices=Value.choices)
    channel = models.CharField(max_length=12, choices=channel_choices(VOTE_CHANNELS))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="delib_vote_once"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="delib_vote_value"),
        ]
        indexes = [
            # Covers the recompute's read of the whole matrix (an index-only scan).
            models.Index(
                fields=["deliberation", "participant", "statement", "value"],
                name="delib_vote_matrix",
            ),
        ]
        verbose_name = _("voto")

    def __str__(self) -> str:
        return f"{self.participant_id}·{self.statement_id}={self.value}"


class DeliberationResult(models.Model):
    """The last computed groups of a deliberation (``maths.deliberation_analyse``): what the
    public page, the API and open data read. ``projection`` holds every placed participant's
    point and group (``maths.projection_pack``); ``map_points`` a sample of them for the SVG."""

    deliberation = models.OneToOneField(
        Deliberation, on_delete=models.CASCADE, related_name="result"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0)
    vote_count = models.PositiveIntegerField(default=0)
    participant_count = models.PositiveIntegerField(default=0)
    placed_count = models.PositiveIntegerField(default=0)
    statement_count = models.PositiveIntegerField(default=0)
    k = models.PositiveSmallIntegerField(default=0)
    silhouettes = models.JSONField(default=dict)
    groups = models.JSONField(default=list)
    consensus = models.JSONField(default=dict)
    statement_stats = models.JSONField(default=dict)
    components = models.JSONField(default=dict)
    map_points = models.JSONField(default=list)
    projection = models.BinaryField(default=b"")

    class Meta:
        verbose_name = _("resultado de la deliberación")

    def __str__(self) -> str:
        return f"{self.deliberation_id} @ {self.computed_at:%Y-%m-%d %H:%M}"
