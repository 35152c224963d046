"""The results matrix at scale: answer templates, bulk answers run in chunks, and the notices
sent to citizens when their contribution is answered.

The answers themselves are ``exercises.ContributionResponse`` rows (one per contribution) and
``exercises.ResponseGroup`` (one shared answer): every write of them goes through
``urna.results.services``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urna.exercises.models import Decision


class AnswerTemplate(models.Model):
    """A reusable decision and reason of one entity ("No corresponde a este decreto…")."""

    entity = models.ForeignKey(
        "entities.Entity", on_delete=models.CASCADE, related_name="result_templates"
    )
    title = models.CharField(_("título"), max_length=120)
    decision = models.CharField(_("decisión"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("razón"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "title"], name="unique_result_template")
        ]
        verbose_name = _("plantilla de respuesta de la matriz")
        verbose_name_plural = _("plantillas de respuesta de la matriz")

    def __str__(self) -> str:
        return self.title

    def urna_entity_ids(self) -> set[int]:
        return {self.entity_id}


class AnswerBatch(models.Model):
    """One answer given to a whole selection (a campaign, a theme, a filter result, ticked
    rows), written in chunks in id order. ``last_id`` is the keyset cursor, moved in the same
    transaction as each chunk's answers: a job killed mid-way resumes after the last chunk."""

    class Kind(models.TextChoices):
        ROWS = "rows", _("Aportes marcados")
        FILTER = "filter", _("Todos los del filtro")
        THEME = "theme", _("Tema")
        CAMPAIGN = "campaign", _("Campaña")

    class Status(models.TextChoices):
        RUNNING = "running", _("En curso")
        DONE = "done", _("Terminada")
        STOPPED = "stopped", _("Detenida")

    exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.CASCADE, related_name="answer_batches"
    )
    group = models.ForeignKey(
        "exercises.ResponseGroup", on_delete=models.CASCADE, related_name="batches"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # What was selected: {"ids": [...]}, {"filters": {...}}, {"theme": id}, {"group": id}.
    selection = models.JSONField(default=dict)
    overwrite = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    notified = models.PositiveIntegerField(default=0)
    last_id = models.BigIntegerField(default=0)
    job_id = models.BigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["exercise", "status"], name="answer_batch_status_idx")]
        verbose_name = _("respuesta en bloque")
        verbose_name_plural = _("respuestas en bloque")

    def __str__(self) -> str:
        return f"{self.group.title} ({self.done}/{self.total})"

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


class AnswerNotice(models.Model):
    """The citizen was told about this version of the answer to their contribution: at most
    one message per contribution and answer version (a digest of decision and reason)."""

    contribution = models.ForeignKey(
        "exercises.Contribution", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    version = models.CharField(max_length=16)
    message_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "version"], name="unique_answer_notice")
        ]
        verbose_name = _("aviso de respuesta")
        verbose_name_plural = _("avisos de respuesta")

    def __str__(self) -> str:
        return f"{self.contribution_id}:{self.version}"
