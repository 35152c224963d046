"""The tables of a published survey's dataset: its anonymised microdata (one row per complete
response, closed answers and weight, small cells generalised by ``urna.surveys.microdata``) and
its weighted estimates (``urna.surveys.exports``). Built like the other tables: declared
columns, a ``source`` of raw rows, every row anonymised by ``Table.rows``.

The microdata's columns depend on the survey's questions, so the tables are built per survey;
reading a form costs queries, so a catalogue (which needs only each table's name, title and
description) asks for ``listing`` tables, whose microdata declares only the fixed columns.
The weight is the mean of its published cell (``urna.surveys.microdata.cell_weights``), so it
cannot give back a generalised value. A question named like a personal column (``correo``,
``telefono``...) is left out of the microdata rather than refused (``check_fields`` would
otherwise break the whole catalogue), and so is one named like a fixed column (``peso``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from urna.opendata.anonymise import FORBIDDEN_NAMES, Field
from urna.opendata.table import Table
from urna.surveys.exports import estimate_rows
from urna.surveys.microdata import WEIGHT, microdata_rows, microdata_schema
from urna.surveys.models import SurveyResult

MICRODATA = "microdatos"
ESTIMATES = "estimaciones"
# Module constants: a catalogue memoises translated labels by identity (``catalog_entry``).
MICRODATA_TITLE = _("Microdatos anonimizados")
MICRODATA_DESCRIPTION = _(
    "Una fila por respuesta completa: respuestas cerradas y peso. Sin texto libre ni datos de "
    "contacto; departamento, edad y sexo generalizados donde hay menos de cinco personas, y el "
    "peso promediado en cada combinación publicada de departamento, edad y sexo."
)
WEIGHT_DESCRIPTION = _(
    "Peso tras el raking a los márgenes de población, promediado entre las respuestas con el "
    "mismo departamento, grupo de edad y sexo publicados."
)
ESTIMATES_TITLE = _("Estimaciones ponderadas")
ESTIMATES_DESCRIPTION = _(
    "Por pregunta y opción: proporción ponderada con margen de error al 95 %, efecto de diseño "
    "y conteos sin ponderar."
)

ESTIMATE_FIELDS = (
    Field("pregunta", "string", _("Nombre de la pregunta en el formulario."), required=True),
    Field("texto_pregunta", "string", _("Texto de la pregunta.")),
    Field("tipo", "string", _("Tipo de pregunta.")),
    Field("fila", "string", _("Fila de una pregunta de matriz.")),
    Field("opcion", "string", _("Nombre de la opción.")),
    Field("texto_opcion", "string", _("Texto de la opción.")),
    Field("estimacion", "number", _("Proporción ponderada (0 a 1), o media.")),
    Field("margen_error_95", "number", _("Margen de error al 95 %.")),
    Field("efecto_diseno", "number", _("Efecto de diseño de Kish.")),
    Field("n_ponderado", "integer", _("Respuestas con peso que entran en la estimación.")),
    Field("n_sin_ponderar", "integer", _("Respuestas sin ponderar.")),
)


def _kept(survey: Any) -> tuple[list[int], tuple[Field, ...]]:
    """The microdata columns published (their positions in ``microdata_rows``) and fields."""
    kept: list[int] = []
    fields: list[Field] = []
    seen: set[str] = set()
    for i, (name, kind, description, enum) in enumerate(microdata_schema(survey)):
        # A question named like a fixed column ("peso") would make two columns of one name.
        if name.lower() in FORBIDDEN_NAMES or name in seen:
            continue
        seen.add(name)
        if i == WEIGHT:
            description = WEIGHT_DESCRIPTION
        kept.append(i)
        fields.append(Field(name, kind, description, enum=enum, required=name == "fila"))
    return kept, tuple(fields)


def _microdata_source(survey: Any) -> Iterator[list[Any]]:
    kept, _fields = _kept(survey)
    _header, rows = microdata_rows(survey)
    for row in rows:
        yield [row[i] for i in kept]


def _estimates_source(survey: Any) -> Iterator[list[Any]]:
    # The weighting questions (department, age group, sex) are the microdata's
    # quasi-identifiers: their small counts are not published beside it.
    quasi = set((survey.weighting or {}).values())
    _header, rows = estimate_rows(SurveyResult.objects.filter(survey=survey).first())
    yield from (row for row in rows if row[0] not in quasi)


def _fixed_fields() -> tuple[Field, ...]:
    return (
        Field("fila", "integer", "", required=True),
        Field("departamento", "string", ""),
        Field("grupo_edad", "string", ""),
        Field("sexo", "string", ""),
        Field("peso", "number", ""),
    )


def survey_tables(survey: Any, *, listing: bool = False) -> list[Table]:
    """The survey's two tables. ``listing``: for a catalogue only (no query; the microdata's
    schema is not read, so such a table is never downloaded)."""
    microdata = _fixed_fields() if listing else _kept(survey)[1]
    return [
        Table(
            name=MICRODATA,
            title=MICRODATA_TITLE,
            description=MICRODATA_DESCRIPTION,
            fields=microdata,
            source=_microdata_source,
            primary_key=("fila",),
        ),
        Table(
            name=ESTIMATES,
            title=ESTIMATES_TITLE,
            description=ESTIMATES_DESCRIPTION,
            fields=ESTIMATE_FIELDS,
            source=_estimates_source,
        ),
    ]
