"""Annual goals for the platform's indicators, set by the platform team.

The indicators themselves are computed from the other apps' data (selectors); only the goals
are stored, as in Urna de Cristal's table of annual indicators and goals.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorGoal(models.Model):
    year = models.PositiveSmallIntegerField(_("año"))
    key = models.CharField(_("indicador"), max_length=60)
    target = models.DecimalField(_("meta"), max_digits=12, decimal_places=2)
    note = models.CharField(_("nota"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "key"], name="one_goal_per_year")]
        ordering = ["-year", "key"]
        verbose_name = _("meta de indicador")
        verbose_name_plural = _("metas de indicadores")

    def __str__(self) -> str:
        return f"{self.year} · {self.key}"
