"""What the platform team enters by hand: manual indicators and the annual goals.

Manual indicators are the figures Urna cannot see (followers of the platform's own accounts,
radio and TV audience, perception-survey results, media mentions): a definition and its values
per year or per month. Goals apply to computed indicators (``urna.indicators.engine``) and to
manual ones alike, by their key, for the whole platform or for one entity. Every write goes
through ``urna.indicators.services``, which validates it and writes the audit log.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["IndicatorGoal", "ManualIndicator", "ManualValue"]


class ManualIndicator(models.Model):
    class Unit(models.TextChoices):
        COUNT = "count", _("Cantidad")
        PERCENT = "percent", _("Porcentaje")
        NUMBER = "number", _("Número (con decimales)")

    class Aggregation(models.TextChoices):
        # Flows (mentions in a month) add up over the year; stocks (followers, the result of
        # a survey) are read at the year's last figure.
        SUM = "sum", _("Suma de los meses")
        LAST = "last", _("Último dato del año")

    class Group(models.TextChoices):
        SOCIAL = "social", _("Redes sociales")
        AUDIENCE = "audience", _("Audiencia de radio y televisión")
        PERCEPTION = "perception", _("Percepción ciudadana")
        MEDIA = "media", _("Menciones en medios")
        OTHER = "other", _("Otros")

    key = models.SlugField(_("clave"), max_length=60, unique=True)
    label = models.CharField(_("nombre"), max_length=160)
    unit = models.CharField(_("unidad"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    aggregation = models.CharField(
        _("valor del año"), max_length=4, choices=Aggregation.choices, default=Aggregation.SUM
    )
    group = models.CharField(_("grupo"), max_length=12, choices=Group.choices)
    source = models.CharField(_("fuente habitual"), max_length=200)
    description = models.TextField(_("qué mide"), blank=True)
    is_example = models.BooleanField(_("dato de ejemplo"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "indicators"
        ordering = ["group", "label"]
        verbose_name = _("indicador manual")
        verbose_name_plural = _("indicadores manuales")

    def __str__(self) -> str:
        return self.label


class ManualValue(models.Model):
    """One figure of a manual indicator: for a month (1-12) or the whole year (month 0), for
    the whole platform (no entity) or for one entity."""

    indicator = models.ForeignKey(
        ManualIndicator,
        on_delete=models.PROTECT,
        related_name="values",
        verbose_name=_("indicador"),
    )
    year = models.PositiveSmallIntegerField(_("año"))
    month = models.PositiveSmallIntegerField(_("mes"), default=0)
    entity = models.ForeignKey(
        "entities.Entity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entidad"),
    )
    value = models.DecimalField(_("valor"), max_digits=16, decimal_places=2)
    source = models.CharField(_("fuente"), max_length=200)
    note = models.CharField(_("nota"), max_length=300, blank=True)
    is_example = models.BooleanField(_("dato de ejemplo"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "indicators"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "month"],
                condition=Q(entity__isnull=True),
                name="one_manual_value_per_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "entity", "year", "month"],
                condition=Q(entity__isnull=False),
                name="one_entity_manual_value_per_period",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="manual_value_not_negative"),
            models.CheckConstraint(condition=Q(month__lte=12), name="manual_value_month_range"),
        ]
        indexes = [models.Index(fields=["year", "indicator"], name="manual_value_year_idx")]
        ordering = ["-year", "-month", "indicator"]
        verbose_name = _("dato de indicador manual")
        verbose_name_plural = _("datos de indicadores manuales")

    def __str__(self) -> str:
        period = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        return f"{self.indicator.key} · {period}"

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    def urna_entity_ids(self) -> list[int | None]:
        return [self.entity_id]


class IndicatorGoal(models.Model):
    """The target of one indicator (computed or manual, by key) for one year: for the whole
    platform (no entity) or for one entity."""

    year = models.PositiveSmallIntegerField(_("año"))
    key = models.CharField(_("indicador"), max_length=60)
    entity = models.ForeignKey(
        "entities.Entity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entidad"),
    )
    target = models.DecimalField(_("meta"), max_digits=12, decimal_places=2)
    note = models.CharField(_("nota"), max_length=200, blank=True)
    is_example = models.BooleanField(_("meta de ejemplo"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        app_label = "indicators"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "key"], condition=Q(entity__isnull=True), name="one_goal_per_year"
            ),
            models.UniqueConstraint(
                fields=["year", "key", "entity"],
                condition=Q(entity__isnull=False),
                name="one_entity_goal_per_year",
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="goal_not_negative"),
        ]
        ordering = ["-year", "key"]
        verbose_name = _("meta de indicador")
        verbose_name_plural = _("metas de indicadores")

    def __str__(self) -> str:
        return f"{self.year} · {self.key}"

    def urna_entity_ids(self) -> list[int | None]:
        return [self.entity_id]
