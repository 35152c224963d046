"""Persisted background jobs: the one queue every capability uses.

A job row is the source of truth. Workers claim a job by a compare-and-set UPDATE that also sets
a lease; a worker killed mid-job leaves its lease to expire and another worker runs the job again
(at-least-once, so every job is written to be safe to run twice).
"""

from django.db import models
from django.db.models import Q


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "En cola"
        RUNNING = "running", "En ejecución"
        DONE = "done", "Terminado"
        FAILED = "failed", "Fallido"

    name = models.CharField(max_length=120, db_index=True)
    kwargs = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    priority = models.SmallIntegerField(default=100)  # lower runs first
    run_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=5)
    locked_by = models.CharField(max_length=120, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    # At most one queued-or-running job per key (e.g. "insights.analyse:42").
    unique_key = models.CharField(max_length=160, null=True, blank=True)
    entity = models.ForeignKey(
        "entities.Entity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    progress = models.FloatField(default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    result = models.JSONField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "priority", "run_at"], name="job_claim_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["unique_key"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_job_per_key",
            )
        ]
        verbose_name = "tarea en segundo plano"
        verbose_name_plural = "tareas en segundo plano"

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.get_status_display()})"
