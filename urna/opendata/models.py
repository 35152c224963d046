"""What each exercise's entity chose about its open data.

Datasets exist for every exercise whose results are published; an exercise still open (or being
analysed) has them only when its entity opts into a "preliminary" edition here.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DatasetSettings(models.Model):
    exercise = models.OneToOneField(
        "exercises.Exercise", on_delete=models.CASCADE, related_name="dataset_settings"
    )
    preliminary = models.BooleanField(
        _("publicar edición preliminar"),
        default=False,
        help_text=_(
            "Publica los datos abiertos mientras el ejercicio está abierto o en análisis. "
            "Los datos cambian cada día hasta que se publiquen los resultados."
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("configuración de datos abiertos")
        verbose_name_plural = _("configuraciones de datos abiertos")

    def __str__(self) -> str:
        return f"{self.exercise_id}: {'preliminar' if self.preliminary else 'resultados'}"

    def urna_entity_ids(self) -> set[int]:
        return self.exercise.urna_entity_ids()
