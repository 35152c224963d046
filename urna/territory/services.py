"""Loading DIVIPOLA into the database: idempotent, so a second run changes nothing."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from urna.territory.models import Department, Municipality

DIVIPOLA_PATH = Path(__file__).resolve().parent / "data" / "divipola.csv"

# Words kept in lower case inside a title-cased Spanish place name.
_SMALL = {"de", "del", "la", "las", "los", "el", "y", "e", "en"}
_SPECIAL = {"D.C.": "D.C.", "BOGOTÁ, D.C.": "Bogotá, D.C."}


def display_name(name: str) -> str:
    """'SANTA CRUZ DE MOMPOX' → 'Santa Cruz de Mompox'; keeps 'D.C.' and 'San Andrés'."""
    if name in _SPECIAL:
        return _SPECIAL[name]
    words = []
    for index, word in enumerate(name.lower().split(" ")):
        if word == "d.c.":
            words.append("D.C.")
        elif index > 0 and word in _SMALL:
            words.append(word)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(words)


@dataclass(frozen=True)
class LoadResult:
    departments_created: int
    departments_updated: int
    municipalities_created: int
    municipalities_updated: int

    @property
    def changed(self) -> int:
        return sum(
            (
                self.departments_created,
                self.departments_updated,
                self.municipalities_created,
                self.municipalities_updated,
            )
        )


def _decimal(value: str) -> Decimal | None:
    return Decimal(value).quantize(Decimal("0.000000001")) if value.strip() else None


@transaction.atomic
def divipola_load(*, path: Path = DIVIPOLA_PATH) -> LoadResult:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    departments: dict[str, str] = {}
    for row in rows:
        departments.setdefault(row["department_code"], row["department_name"])

    existing_deps = {d.code: d for d in Department.objects.all()}
    dep_created = dep_updated = 0
    for code, name in departments.items():
        wanted = {"name": name, "display_name": display_name(name)}
        current = existing_deps.get(code)
        if current is None:
            Department.objects.create(code=code, **wanted)
            dep_created += 1
        elif any(getattr(current, key) != value for key, value in wanted.items()):
            Department.objects.filter(code=code).update(**wanted)
            dep_updated += 1

    existing = {m.code: m for m in Municipality.objects.all()}
    to_create: list[Municipality] = []
    mun_updated = 0
    for row in rows:
        wanted = {
            "department_id": row["department_code"],
            "name": row["municipality_name"],
            "display_name": display_name(row["municipality_name"]),
            "kind": row["kind"],
            "latitude": _decimal(row["latitude"]),
            "longitude": _decimal(row["longitude"]),
        }
        current = existing.get(row["municipality_code"])
        if current is None:
            to_create.append(Municipality(code=row["municipality_code"], **wanted))
        elif any(getattr(current, key) != value for key, value in wanted.items()):
            Municipality.objects.filter(code=current.code).update(**wanted)
            mun_updated += 1
    Municipality.objects.bulk_create(to_create, batch_size=500)
    return LoadResult(dep_created, dep_updated, len(to_create), mun_updated)
