"""Government entities: national (ministries, administrative departments, agencies) and
territorial (governors' and mayors' offices), each with its place in the state's structure."""

from django.db import models
from django.db.models import Q


class EntityQuerySet(models.QuerySet):
    def active(self) -> "EntityQuerySet":
        return self.filter(active=True)

    def national(self) -> "EntityQuerySet":
        return self.filter(level=Entity.Level.NATIONAL)

    def territorial(self) -> "EntityQuerySet":
        return self.filter(level=Entity.Level.TERRITORIAL)

    def search(self, q: str) -> "EntityQuerySet":
        return self.filter(Q(name__icontains=q) | Q(acronym__icontains=q))


class Entity(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", "Nacional"
        TERRITORIAL = "territorial", "Territorial"

    class Kind(models.TextChoices):
        PRESIDENCY = "presidency", "Presidencia"
        MINISTRY = "ministry", "Ministerio"
        ADMINISTRATIVE_DEPARTMENT = "administrative_department", "Departamento administrativo"
        AGENCY = "agency", "Agencia o entidad adscrita"
        SUPERINTENDENCY = "superintendency", "Superintendencia"
        GOVERNORATE = "governorate", "Gobernación"
        MAYORALTY = "mayoralty", "Alcaldía"
        PLATFORM = "platform", "Equipo de la plataforma"
        # A partner: a public or private body outside the executive branch that answers the
        # queries of its field and co-runs exercises (a university, a chamber of commerce).
        PARTNER = "partner", "Entidad aliada"

    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    level = models.CharField(max_length=12, choices=Level.choices, db_index=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    sector = models.CharField(max_length=120, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    department = models.ForeignKey(
        "territory.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        "territory.Municipality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name"]
        verbose_name = "entidad"
        verbose_name_plural = "entidades"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(kind="mayoralty"),
                name="one_mayoralty_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["department"],
                condition=Q(kind="governorate"),
                name="one_governorate_per_department",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def territory_code(self) -> str | None:
        return self.municipality_id or self.department_id
