"""Stored analyses of an exercise's contributions and the analysts' work on them.

An ``Analysis`` is one run of the text pipeline (``pipeline.analyse``) over the exercise's
visible and pending contributions. Its result is stored as rows: one ``Theme`` per theme, one
``DuplicateGroup`` per group of two or more near-identical texts, and one ``Assignment`` per
contribution (its theme and its group), written in bulk. Analysts then rename, merge, split and
move; every merge and split is also kept as an ``Operation`` so that the next run can replay it.
The latest finished analysis is the exercise's current one: the workspace, the report and the
open data read it.

``ModerationFlag`` is the moderation aid: a likely insult, threat or piece of personal data
found in a contribution, with its reason, waiting for a moderator. A flag never hides anything.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Analysis(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("En curso")
        DONE = "done", _("Terminado")
        FAILED = "failed", _("Fallido")

    exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.CASCADE, related_name="analyses"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    # The number of themes asked for; None lets the pipeline choose it.
    k = models.PositiveSmallIntegerField(null=True, blank=True)
    statistics = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=500, blank=True)
    job_id = models.BigIntegerField(null=True, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every analyst edit: the report and open data use it as their change stamp.
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["exercise", "status", "id"], name="analysis_current_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_analysis_per_exercise",
            )
        ]
        verbose_name = _("análisis")
        verbose_name_plural = _("análisis")

    def __str__(self) -> str:
        return f"{self.exercise_id} #{self.pk} ({self.status})"

    def urna_entity_ids(self) -> set[int]:
        return self.exercise.urna_entity_ids()

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


class Theme(models.Model):
    class Origin(models.TextChoices):
        ENGINE = "engine", _("Análisis automático")
        SPLIT = "split", _("División hecha por un analista")

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="themes")
    # The pipeline's theme number (split halves get new numbers after the pipeline's).
    key = models.IntegerField()
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.ENGINE)
    label = models.CharField(_("etiqueta automática"), max_length=200)
    analyst_label = models.CharField(_("nombre dado por el analista"), max_length=200, blank=True)
    terms = models.JSONField(default=list)
    size = models.PositiveIntegerField(default=0)
    distinct_size = models.PositiveIntegerField(default=0)
    # Contribution ids chosen by the pipeline as representative, closest to the centre first.
    quote_ids = models.JSONField(default=list)
    # Contribution ids the analyst pinned; shown before the pipeline's quotes.
    pinned_ids = models.JSONField(default=list)
    is_finding = models.BooleanField(_("es un hallazgo"), default=False)
    conclusion = models.TextField(_("conclusión"), blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    # A theme split in two stays as an empty record of where its halves came from.
    split_into = models.JSONField(default=list, blank=True)
    # False once merged into another theme or split in two.
    live = models.BooleanField(default=True)

    class Meta:
        ordering = ["-size", "key"]
        constraints = [models.UniqueConstraint(fields=["analysis", "key"], name="unique_theme_key")]
        verbose_name = _("tema")
        verbose_name_plural = _("temas")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.analyst_label or self.label


class DuplicateGroup(models.Model):
    analysis = models.ForeignKey(
        Analysis, on_delete=models.CASCADE, related_name="duplicate_groups"
    )
    key = models.IntegerField()
    size = models.PositiveIntegerField()
    representative = models.ForeignKey(
        "exercises.Contribution", on_delete=models.CASCADE, related_name="+"
    )
    exact = models.BooleanField(default=False)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicate_groups"
    )

    class Meta:
        ordering = ["-size", "key"]
        constraints = [models.UniqueConstraint(fields=["analysis", "key"], name="unique_group_key")]
        verbose_name = _("grupo de duplicados")
        verbose_name_plural = _("grupos de duplicados")

    def __str__(self) -> str:
        return f"{self.analysis_id}/{self.key} ({self.size})"


class Assignment(models.Model):
    """Where one contribution sits in one analysis: its theme (None: unclassified), the theme
    the pipeline gave it, and its duplicate group (None: a text of its own)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="assignments")
    contribution = models.ForeignKey(
        "exercises.Contribution", on_delete=models.CASCADE, related_name="insight_assignments"
    )
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
        db_index=False,
    )
    base_theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    group = models.ForeignKey(
        DuplicateGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
        db_index=False,
    )
    analyst_moved = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["theme", "contribution"], name="assignment_theme_idx"),
            models.Index(fields=["group", "contribution"], name="assignment_group_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "contribution"], name="unique_assignment")
        ]
        verbose_name = _("asignación de tema")
        verbose_name_plural = _("asignaciones de tema")

    def __str__(self) -> str:
        return f"{self.contribution_id} → {self.theme_id}"


class Operation(models.Model):
    """A merge or split done by an analyst, replayed on the next analysis of the exercise."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Fusión")
        SPLIT = "split", _("División")

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="operations")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # merge: {"source": theme id, "target": theme id}; split: {"theme": id, "into": [id, id]}.
    data = models.JSONField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("operación del analista")
        verbose_name_plural = _("operaciones del analista")

    def __str__(self) -> str:
        return f"{self.kind} {self.data}"


class ModerationFlag(models.Model):
    class Code(models.TextChoices):
        # Same Spanish texts as ``moderation.REASONS``, here translatable.
        INSULT = "insult", _("Posible insulto o lenguaje ofensivo")
        THREAT = "threat", _("Posible amenaza")
        PHONE = "phone", _("Contiene un número de teléfono (dato personal)")
        EMAIL = "email", _("Contiene un correo electrónico (dato personal)")
        ID_DOCUMENT = (
            "id_document",
            _("Contiene un número de documento de identidad (dato personal)"),
        )

    contribution = models.ForeignKey(
        "exercises.Contribution", on_delete=models.CASCADE, related_name="insight_flags"
    )
    exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    code = models.CharField(max_length=12, choices=Code.choices)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["exercise", "resolved_at", "id"], name="flag_queue_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["contribution", "code"], name="unique_flag")]
        verbose_name = _("alerta de moderación")
        verbose_name_plural = _("alertas de moderación")

    def __str__(self) -> str:
        return f"{self.contribution_id}: {self.code}"

    def urna_entity_ids(self) -> set[int]:
        return self.exercise.urna_entity_ids()
