"""Population margins: read from a CSV (shipped, or uploaded by staff) into a ``MarginSet``."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from urna.audit.services import audit_record
from urna.core.errors import InvalidInput
from urna.surveys.models import Margin, MarginSet

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = {
    "cnpv2018-sexo": (
        "margins_cnpv2018_sex.csv",
        "Censo 2018 (DANE): población por sexo",
        "DANE, CNPV 2018; see urna/surveys/data/PROVENANCE.md",
    ),
}
MAX_ROWS = 2000


def margins_parse(file: IO[bytes]) -> list[tuple[str, str, int]]:
    """Rows (dimension, category, population) of a margins CSV, or InvalidInput."""
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    if set(reader.fieldnames or []) < {"dimension", "category", "population"}:
        raise InvalidInput(
            _("El CSV debe tener las columnas dimension, category y population."), field="file"
        )
    rows = []
    for line, row in enumerate(reader, start=2):
        dimension = (row["dimension"] or "").strip()
        if dimension not in Margin.Dimension.values:
            raise InvalidInput(
                _("Línea %(n)s: dimensión «%(d)s» no válida (department, age_group o sex).")
                % {"n": line, "d": dimension[:20]},
                field="file",
            )
        population = (row["population"] or "").strip().replace(".", "").replace(",", "")
        if not population.isdigit() or int(population) == 0:
            raise InvalidInput(
                _("Línea %(n)s: la población debe ser un número entero positivo.") % {"n": line},
                field="file",
            )
        rows.append((dimension, (row["category"] or "").strip()[:20], int(population)))
        if len(rows) > MAX_ROWS:
            raise InvalidInput(_("El CSV tiene demasiadas filas."), field="file")
    if not rows:
        raise InvalidInput(_("El CSV no tiene filas."), field="file")
    return rows


def margin_set_create(
    *, name: str, source: str, file: IO[bytes], entity: Any = None, by: Any = None
) -> MarginSet:
    rows = margins_parse(file)
    with transaction.atomic():
        margin_set = MarginSet.objects.create(entity=entity, name=name[:150], source=source)
        Margin.objects.bulk_create(
            Margin(margin_set=margin_set, dimension=d, category=c, population=p) for d, c, p in rows
        )
        audit_record(
            action="survey.margins",
            obj=margin_set,
            actor=by,
            entity=entity,
            after={"rows": len(rows)},
        )
    return margin_set


def margin_set_shipped(key: str) -> MarginSet:
    """The shipped margin set ``key`` (loaded once)."""
    filename, name, source = SHIPPED[key]
    existing = MarginSet.objects.filter(name=name, entity=None).first()
    if existing is not None:
        return existing
    with (DATA / filename).open("rb") as handle:
        return margin_set_create(name=name, source=source, file=handle)
