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


class SocrataDataset(models.Model):
    """Which Socrata dataset (its "four-by-four" id) holds one table of one Urna dataset on one
    portal, so that publishing again replaces that dataset instead of creating another.

    Socrata chooses the id when it creates a dataset (unlike CKAN, where Urna names the package
    and finds it by name), so the id must be remembered here.
    """

    domain = models.CharField(_("portal"), max_length=255)
    dataset = models.CharField(_("conjunto de datos de Urna"), max_length=120)
    table = models.CharField(_("tabla"), max_length=60)
    fourfour = models.CharField(_("identificador en Socrata"), max_length=9)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conjunto publicado en Socrata")
        verbose_name_plural = _("conjuntos publicados en Socrata")
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "dataset", "table"], name="opendata_socrata_one_per_table"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset}/{self.table} → {self.domain}/d/{self.fourfour}"
