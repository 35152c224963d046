"""What Socrata is told about each table: the dataset's metadata and each column's type.

Socrata datasets are single tables, so each table of an Urna dataset becomes one Socrata dataset
whose metadata repeats the Urna dataset's (publisher, licence, coverage) and names the table.
The custom fields follow datos.gov.co's own fieldsets ("Información de Datos", "Información de
la Entidad") where they have a field for the value, and an "Urna" fieldset for the rest
(identifier, temporal coverage, BCP 47 language).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from urna.opendata.datasets import Dataset, absolute, license_info
from urna.opendata.tables import Table

# Socrata's licence ids for the licences Urna knows (``licenseId`` of a view).
SOCRATA_LICENSES = {
    "CC-BY-4.0": "CC_40_BY",
    "CC-BY-SA-4.0": "CC_40_BY_SA",
    "CC0-1.0": "CC0_10",
    "ODbL-1.0": "ODBL",
}
DATA_FIELDSET = "Información de Datos"
ENTITY_FIELDSET = "Información de la Entidad"
URNA_FIELDSET = "Urna"
NAME_LIMIT = 255

# The DSMAPI transform that gives a column its type. Every CSV column arrives as text; left to
# itself Socrata guesses, and a guessed number drops the leading zero of a DANE code ("05001").
_TRANSFORMS = {
    "integer": "to_number(`{}`)",
    "number": "to_number(`{}`)",
    "year": "to_number(`{}`)",
    "boolean": "to_boolean(`{}`)",
    "date": "to_floating_timestamp(`{}`)",
    "datetime": "to_floating_timestamp(`{}`)",
}


def table_identifier(dataset: Dataset, table: Table) -> str:
    return f"{dataset.identifier}/{table.name}"


def tag(keyword: str) -> str:
    """Socrata tags are lower case; letters (accents too), digits, spaces and - _ . are kept."""
    cleaned = "".join(ch for ch in keyword.lower() if ch.isalnum() or ch in " -_.").strip()
    return cleaned[:100]


def revision_metadata(
    dataset: Dataset, table: Table, *, base_url: str, category: str = ""
) -> dict[str, Any]:
    """The ``metadata`` of a DSMAPI revision: the view's metadata once the revision applies."""
    landing = absolute(dataset.landing_path(), base_url)
    license_name = license_info()["name"]
    tags = list(dict.fromkeys(t for t in (tag(k) for k in dataset.keywords) if t))
    metadata: dict[str, Any] = {
        "name": f"{dataset.title}: {table.title}"[:NAME_LIMIT],
        "description": _description(dataset, table, landing),
        "tags": tags,
        "attribution": dataset.publisher,
        "attributionLink": landing,
        "metadata": {"custom_fields": _custom_fields(dataset, table, landing)},
    }
    if license_name in SOCRATA_LICENSES:
        metadata["licenseId"] = SOCRATA_LICENSES[license_name]
    if category:
        metadata["category"] = category
    return metadata


def _description(dataset: Dataset, table: Table, landing: str) -> str:
    return "\n\n".join(
        [
            dataset.description,
            f"{table.title}. {table.description}",
            _(
                "Datos anonimizados publicados por Urna. El conjunto completo (todas las "
                "tablas, su diccionario de datos y el paquete de datos) está en %(url)s"
            )
            % {"url": landing},
        ]
    )


def _custom_fields(dataset: Dataset, table: Table, landing: str) -> dict[str, dict[str, str]]:
    return {
        DATA_FIELDSET: {
            "Idioma": "Español",
            "Cobertura Geográfica": dataset.spatial,
            "Frecuencia de Actualización": "Diaria" if dataset.preliminary else "No aplica",
        },
        ENTITY_FIELDSET: {"Nombre de la Entidad": dataset.publisher},
        URNA_FIELDSET: {
            "Identificador": table_identifier(dataset, table),
            "Conjunto de datos": dataset.identifier,
            "Página del conjunto": landing,
            "Cobertura temporal": dataset.temporal_text,
            "Modificado": dataset.modified.isoformat(),
            "Idioma": "es-CO",
        },
    }


def column_changes(table: Table) -> list[tuple[str, str, str, str]]:
    """Each column's ``(field_name, transform, display_name, description)`` from the table's
    Table Schema; the CSV header gives Socrata the field names, already lower-case snake."""
    return [
        (
            f.name,
            _TRANSFORMS.get(f.type, "`{}`").format(f.name),
            str(f.title or f.name),
            str(f.description),
        )
        for f in table.fields
    ]
