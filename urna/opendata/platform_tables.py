"""The platform's tables of citizen queries (PQRSD): the published answered queries and each
entity's compliance with the legal response terms, for the queries dataset.

Built like the exercise tables (``urna.opendata.tables``): declared columns, a ``source`` of raw
rows, every row anonymised by ``Table.rows``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from urna.entities.models import Entity
from urna.opendata.anonymise import DAY, OPAQUE_ID, Field
from urna.opendata.tables import Table, choices_of, stream_rows
from urna.queries.models import Query, QueryChannel, QueryStat, QueryType
from urna.queries.selectors import sla_figures


def published_queries():
    return Query.objects.published().filter(answered_at__isnull=False)


def _queries_source(_subject: Any) -> Iterator[tuple]:
    qs = (
        published_queries()
        .order_by("id")
        .values_list(
            "id",
            "type",
            "entity__acronym",
            "entity__name",
            "channel",
            "municipality__department_id",
            "filed_at",
            "answered_at",
            "business_days_taken",
            "answered_within_term",
        )
    )
    yield from stream_rows(qs)


def _queries_fields() -> tuple[Field, ...]:
    return (
        Field(
            "id",
            "string",
            _("Identificador opaco y estable de la consulta (no es el número de radicado)."),
            kind=OPAQUE_ID,
            required=True,
        ),
        Field("tipo", "string", _("Tipo de PQRSD."), enum=choices_of(QueryType), required=True),
        Field("entidad", "string", _("Sigla de la entidad que respondió.")),
        Field("entidad_nombre", "string", _("Nombre de la entidad que respondió.")),
        Field("canal", "string", _("Canal por el que llegó."), enum=choices_of(QueryChannel)),
        Field("departamento_dane", "string", _("Código DANE del departamento del ciudadano.")),
        Field("fecha_radicacion", "date", _("Día de radicación."), kind=DAY, required=True),
        Field("fecha_respuesta", "date", _("Día de la respuesta."), kind=DAY),
        Field("dias_habiles", "integer", _("Días hábiles que tomó la respuesta.")),
        Field(
            "dentro_del_termino",
            "boolean",
            _("Verdadero si se respondió dentro del término legal."),
        ),
    )


def sla_rows() -> list[tuple]:
    """Per entity and year: received, answered, answered within term, share, median and 90th
    percentile of business days (the queries app's SLA figures)."""
    years = sorted({month.year for month in QueryStat.objects.dates("month", "year")})
    names = dict(Entity.objects.values_list("pk", F("acronym")))
    full_names = dict(Entity.objects.values_list("pk", "name"))
    rows: list[tuple] = []
    for year in years:
        figures = sla_figures(year=year)
        for scope in sorted(figures, key=lambda s: (s != 0, names.get(s, ""))):
            row = figures[scope]
            rows.append(
                (
                    year,
                    names.get(scope, "") if scope else "",
                    full_names.get(scope, "") if scope else str(_("Todas las entidades")),
                    row.received,
                    row.answered,
                    row.answered_within_term,
                    row.within_term_pct,
                    row.median_days,
                    row.p90_days,
                    row.transferred,
                )
            )
    return rows


def _sla_source(_subject: Any) -> Iterator[tuple]:
    yield from sla_rows()


def _sla_fields() -> tuple[Field, ...]:
    return (
        Field("anio", "year", _("Año."), required=True),
        Field("entidad", "string", _("Sigla de la entidad (vacío: toda la plataforma).")),
        Field("entidad_nombre", "string", _("Nombre de la entidad.")),
        Field("recibidas", "integer", _("Consultas recibidas en el año.")),
        Field("respondidas", "integer", _("Consultas respondidas en el año.")),
        Field("respondidas_a_tiempo", "integer", _("Respondidas dentro del término legal.")),
        Field("porcentaje_a_tiempo", "number", _("Porcentaje respondido a tiempo.")),
        Field("mediana_dias_habiles", "number", _("Mediana de días hábiles de respuesta.")),
        Field("p90_dias_habiles", "number", _("Percentil 90 de días hábiles de respuesta.")),
        Field("trasladadas", "integer", _("Consultas trasladadas a otra autoridad.")),
    )


@cache
def query_tables() -> list[Table]:
    return [
        Table(
            name="consultas",
            title=_("Consultas ciudadanas respondidas y publicadas"),
            description=_(
                "Cada PQRSD respondida cuya publicación se autorizó: tipo, entidad, canal, "
                "departamento, fechas y tiempo de respuesta. Sin textos ni datos del ciudadano."
            ),
            fields=_queries_fields(),
            source=_queries_source,
            primary_key=("id",),
        ),
        Table(
            name="cumplimiento-entidades",
            title=_("Cumplimiento de términos por entidad"),
            description=_(
                "Por año y entidad: consultas recibidas, respondidas, respondidas a tiempo y "
                "tiempos de respuesta en días hábiles."
            ),
            fields=_sla_fields(),
            source=_sla_source,
        ),
    ]
