"""The platform's indicators: computed facts kept fresh by ``urna.indicators.engine``, and (in
``models_manual``) the manual indicators and the annual goals the platform team enters.

A fact is one figure of one indicator for one period (a month, or month 0 for the whole year),
one scope (the whole platform, an entity or a department) and optionally one dimension value
(a channel). Pages read facts only; the engine recomputes them incrementally or from scratch.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorFact(models.Model):
    class ScopeKind(models.TextChoices):
        ALL = "all", _("Toda la plataforma")
        ENTITY = "entity", _("Entidad")
        DEPARTMENT = "department", _("Departamento")

    key = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    scope_kind = models.CharField(max_length=10, choices=ScopeKind.choices)
    scope = models.CharField(max_length=12, blank=True)
    dim = models.CharField(max_length=20, blank=True)
    value = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "scope_kind", "scope", "year", "month", "dim"],
                name="unique_indicator_fact",
            ),
            models.CheckConstraint(
                condition=models.Q(month__lte=12), name="indicator_fact_month_range"
            ),
        ]
        indexes = [
            models.Index(
                fields=["scope_kind", "scope", "year", "month"], name="indicator_fact_table_idx"
            ),
            models.Index(fields=["year", "month"], name="indicator_fact_period_idx"),
        ]
        verbose_name = _("dato de indicador")
        verbose_name_plural = _("datos de indicadores")

    def __str__(self) -> str:
        return f"{self.key} {self.year}-{self.month:02d} {self.scope_kind}:{self.scope}"


class IndicatorWatermark(models.Model):
    source = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(default=0)
    last_stamp = models.DateTimeField(null=True, blank=True)
    state = models.JSONField(default=dict, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("marca de actualización de indicadores")
        verbose_name_plural = _("marcas de actualización de indicadores")

    def __str__(self) -> str:
        return self.source


from urna.indicators.models_manual import *  # noqa: E402, F403
