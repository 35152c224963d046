"""Creating entities: the national list shipped with Urna, and territorial ones on demand."""

import csv
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from urna.entities.models import Entity
from urna.territory.models import Department, Municipality

NATIONAL_PATH = Path(__file__).resolve().parent / "data" / "national_entities.csv"
PLATFORM_ACRONYM = "URNA"


@transaction.atomic
def entities_load_national(*, path: Path = NATIONAL_PATH) -> int:
    """Create or refresh the national entities; returns how many were created."""
    created = 0
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_acronym: dict[str, Entity] = {}
    for row in rows:
        entity, was_created = Entity.objects.update_or_create(
            acronym=row["acronym"],
            defaults={
                "name": row["name"],
                "slug": slugify(row["acronym"]),
                "level": Entity.Level.NATIONAL,
                "kind": row["kind"],
                "sector": row["sector"],
                "parent": by_acronym.get(row["parent"]) if row["parent"] else None,
            },
        )
        by_acronym[entity.acronym] = entity
        created += was_created
    _, was_created = Entity.objects.get_or_create(
        acronym=PLATFORM_ACRONYM,
        defaults={
            "name": "Equipo Urna (plataforma)",
            "slug": "urna",
            "level": Entity.Level.NATIONAL,
            "kind": Entity.Kind.PLATFORM,
            "sector": "Tecnologías de la Información y las Comunicaciones",
            "parent": by_acronym.get("MINTIC"),
        },
    )
    return created + was_created


def platform_entity() -> Entity:
    return Entity.objects.get(acronym=PLATFORM_ACRONYM)


def entity_for_municipality(*, municipality: Municipality) -> Entity:
    """The mayor's office of a municipality, created on first use."""
    existing = Entity.objects.filter(kind=Entity.Kind.MAYORALTY, municipality=municipality).first()
    if existing:
        return existing
    name = (
        "Alcaldía Mayor de Bogotá"
        if municipality.code == "11001"
        else f"Alcaldía de {municipality.display_name}"
    )
    try:
        with transaction.atomic():
            return Entity.objects.create(
                name=name,
                acronym=f"ALC-{municipality.code}",
                slug=f"alcaldia-{municipality.code}-{slugify(municipality.display_name)}"[:60],
                level=Entity.Level.TERRITORIAL,
                kind=Entity.Kind.MAYORALTY,
                sector="Gobierno territorial",
                department_id=municipality.department_id,
                municipality=municipality,
            )
    except IntegrityError:  # created by a concurrent request
        return Entity.objects.get(kind=Entity.Kind.MAYORALTY, municipality=municipality)


def entity_for_department(*, department: Department) -> Entity:
    """The governor's office of a department, created on first use."""
    existing = Entity.objects.filter(kind=Entity.Kind.GOVERNORATE, department=department).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Entity.objects.create(
                name=f"Gobernación de {department.display_name}",
                acronym=f"GOB-{department.code}",
                slug=f"gobernacion-{department.code}-{slugify(department.display_name)}"[:60],
                level=Entity.Level.TERRITORIAL,
                kind=Entity.Kind.GOVERNORATE,
                sector="Gobierno territorial",
                department=department,
            )
    except IntegrityError:
        return Entity.objects.get(kind=Entity.Kind.GOVERNORATE, department=department)


def entities_create_territorial(*, department_code: str | None = None) -> int:
    """Create every governorate (Bogotá D.C. has none: it is a district) and mayor's office."""
    before = Entity.objects.territorial().count()
    departments = Department.objects.all()
    if department_code:
        departments = departments.filter(code=department_code)
    for department in departments:
        if department.code != "11":
            entity_for_department(department=department)
        for municipality in department.municipalities.filter(kind=Municipality.Kind.MUNICIPIO):
            entity_for_municipality(municipality=municipality)
    return Entity.objects.territorial().count() - before
