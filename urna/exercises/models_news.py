"""What happened after a consultation: the updates an entity posts on an exercise (with their
documents), who follows it, and the record that each piece of news was told once. Imported by
``urna.exercises.models``, where the rest of the app finds them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urna.exercises.models import Exercise


class ExerciseUpdateQuerySet(models.QuerySet):
    def published(self) -> "ExerciseUpdateQuerySet":
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class ExerciseUpdate(models.Model):
    """News an entity posts on an exercise once the consultation is over: a new phase, a decision
    taken, the final decree or act published. Public on the exercise's timeline once published
    (``published_at``), and told once to its participants and followers
    (``services.updates``)."""

    class Kind(models.TextChoices):
        PHASE = "phase", _("Nueva fase")
        DECISION = "decision", _("Decisión tomada")
        ACT = "act", _("Norma o acto final publicado")
        OTHER = "other", _("Otra novedad")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=200)
    body = models.TextField(_("texto (Markdown)"), blank=True)
    # Sanitised HTML rendered from ``body`` (links allowed) by the service that saves it.
    body_html = models.TextField(blank=True, editable=False)
    # The exercise's owner when it was posted: whose word it is, and whose staff may edit it.
    entity = models.ForeignKey(
        "entities.Entity", on_delete=models.PROTECT, related_name="+", verbose_name=_("entidad")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # None: a draft, seen only by staff.
    published_at = models.DateTimeField(_("publicada"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExerciseUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "id"]
        indexes = [models.Index(fields=["exercise", "published_at"], name="exercise_update_idx")]
        verbose_name = _("novedad de un ejercicio")
        verbose_name_plural = _("novedades de ejercicios")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        url = reverse("exercises:timeline", kwargs={"slug": self.exercise.slug})
        return f"{url}#novedad-{self.pk}"

    def urna_entity_ids(self) -> set[int]:
        return self.exercise.urna_entity_ids()


class ExerciseUpdateDocument(models.Model):
    """A document published with an update (the decree, the minutes), public like the
    exercise's own documents."""

    update = models.ForeignKey(ExerciseUpdate, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("título"), max_length=200)
    file = models.FileField(_("archivo"), upload_to="ejercicios/novedades/%Y/")
    # Checked from the file's content, not from the name the uploader gave.
    file_type = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("documento de una novedad")

    def __str__(self) -> str:
        return self.title


class ExerciseFollower(models.Model):
    """A citizen who asked to hear what becomes of an exercise without contributing to it, on
    the channel they chose, after proving the address is theirs with a code; or who asked to
    hear no more of it (``stopped_at``)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="followers")
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="exercise_follows"
    )
    # sms, whatsapp or email (urna.contacts.models.ConsentChannel).
    channel = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)
    # Asked to hear no more of this exercise: kept (it also silences a participant's news of
    # it), cleared by following again.
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "contact"], name="unique_exercise_follower")
        ]
        verbose_name = _("seguidor de un ejercicio")
        verbose_name_plural = _("seguidores de ejercicios")

    def __str__(self) -> str:
        return f"{self.exercise_id}·{self.contact_id}"


class ExerciseBroadcast(models.Model):
    """One telling of news to everyone who took part in or follows an exercise: its results, or
    one of its updates. The row is written in the transaction that queues the messages, and is
    unique per exercise for the results and per update, so news is told once however many
    times the job runs."""

    class Kind(models.TextChoices):
        RESULTS = "results", _("Resultados publicados")
        UPDATE = "update", _("Novedad")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="broadcasts")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    update = models.ForeignKey(
        ExerciseUpdate, null=True, blank=True, on_delete=models.CASCADE, related_name="broadcasts"
    )
    # Channel -> id of the messaging dispatch that carries it, and how many were queued there.
    dispatches = models.JSONField(default=dict)
    recipients = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["exercise"],
                condition=Q(kind="results"),
                name="unique_results_broadcast",
            ),
            models.UniqueConstraint(
                fields=["update"],
                condition=Q(update__isnull=False),
                name="unique_update_broadcast",
            ),
        ]
        verbose_name = _("aviso a participantes")
        verbose_name_plural = _("avisos a participantes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.exercise_id}"
