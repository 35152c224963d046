"""Exercise reports: the staff's written takeaways and the generated PDF of each report."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportTakeaways(models.Model):
    """What the entity learned from the exercise, written by staff for its report."""

    exercise = models.OneToOneField(
        "exercises.Exercise", on_delete=models.CASCADE, related_name="report_takeaways"
    )
    body = models.TextField(_("aprendizajes y conclusiones (Markdown)"), blank=True)
    # Sanitised HTML rendered from ``body`` by the service that saves it.
    body_html = models.TextField(blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("aprendizajes del informe")
        verbose_name_plural = _("aprendizajes de los informes")

    def __str__(self) -> str:
        return f"{self.exercise_id}"

    def urna_entity_ids(self) -> set[int]:
        return self.exercise.urna_entity_ids()


class ReportFile(models.Model):
    """The stored PDF of an exercise's report, built from the data as of ``stamp``."""

    exercise = models.OneToOneField(
        "exercises.Exercise", on_delete=models.CASCADE, related_name="report_file"
    )
    stamp = models.DateTimeField()
    path = models.CharField(max_length=300)  # relative to MEDIA_ROOT
    size = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    generated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("PDF del informe")

    def __str__(self) -> str:
        return self.path


class InformeFile(models.Model):
    """The stored PDF of an exercise's informe global de observaciones, built from the data as
    of ``stamp`` (``urna.reports.informe.informe_stamp``)."""

    exercise = models.OneToOneField(
        "exercises.Exercise", on_delete=models.CASCADE, related_name="informe_file"
    )
    stamp = models.CharField(max_length=200)
    path = models.CharField(max_length=300)  # relative to MEDIA_ROOT
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    generated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("PDF del informe global de observaciones")

    def __str__(self) -> str:
        return self.path
