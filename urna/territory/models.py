"""Colombia's political-administrative division (DANE DIVIPOLA), keyed by DANE codes."""

from django.db import models


class Department(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=120)  # as in DIVIPOLA: upper case, with accents
    display_name = models.CharField(max_length=120)  # title case for pages

    class Meta:
        ordering = ["display_name"]
        verbose_name = "departamento"

    def __str__(self) -> str:
        return self.display_name


class Municipality(models.Model):
    class Kind(models.TextChoices):
        MUNICIPIO = "municipio", "Municipio"
        AREA_NO_MUNICIPALIZADA = "area_no_municipalizada", "Área no municipalizada"
        ISLA = "isla", "Isla"

    code = models.CharField(max_length=5, primary_key=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="municipalities"
    )
    name = models.CharField(max_length=120)
    display_name = models.CharField(max_length=120)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.MUNICIPIO)
    latitude = models.DecimalField(max_digits=12, decimal_places=9, null=True, blank=True)
    longitude = models.DecimalField(max_digits=12, decimal_places=9, null=True, blank=True)

    class Meta:
        ordering = ["department_id", "display_name"]
        verbose_name = "municipio"

    def __str__(self) -> str:
        return f"{self.display_name} ({self.department.display_name})"
