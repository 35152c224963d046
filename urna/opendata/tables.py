"""The published tables: each one's Table Schema and the SQL that fills it.

A ``Table`` declares its columns (``anonymise.Field``: name, Table Schema type, description and
treatment) and a ``source`` that yields raw rows; ``Table.rows(subject)`` is the only way to read
it, and it passes every row through ``anonymise.row_anonymiser`` — so the CSV, JSON, data
package, ZIP and CKAN uploads all publish the same anonymised rows.

Sources read with ``values_list(...).iterator(chunk_size=...)`` over joins (no per-row query),
so a million contributions stream in constant memory.

``Table`` is in ``urna.opendata.table``; this module holds the tables of an exercise's dataset
(its deliberation's in ``tables_deliberation``); the platform's citizen-queries tables are in
``urna.opendata.platform_tables``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, CharField, Count, Value, When
from django.db.models.functions import Cast, Concat, TruncDate
from django.utils.translation import gettext_lazy as _

from urna.core.channels import channel_choices
from urna.deliberation.models import Deliberation
from urna.exercises.models import (
    CONTRIBUTION_CHANNELS,
    Article,
    ClosedQuestion,
    Contribution,
    Decision,
)
from urna.exercises.selectors import question_results
from urna.opendata.analysis import analysis_columns
from urna.opendata.anonymise import (
    DAY,
    MASKED,
    OPAQUE_ID,
    TEXT,
    Field,
    suppress_small_cells,
)
from urna.opendata.table import Table, stream_rows
from urna.opendata.tables_deliberation import deliberation_tables


def _visible(exercise: Any):
    return Contribution.objects.filter(
        exercise=exercise, moderation=Contribution.Moderation.VISIBLE
    ).order_by()


def choices_of(model_choices: Any) -> tuple[str, ...]:
    """The values of a choices class, as the strings a Table Schema enum lists."""
    return tuple(str(v) for v in model_choices.values)


# The channels a contribution can arrive by (the platform's enum without "exercise" and the
# legacy "social"), in the enum's order.
CONTRIBUTION_CHANNEL_VALUES = tuple(
    value for value, _label in channel_choices(CONTRIBUTION_CHANNELS)
)


# --- exercise tables ---------------------------------------------------------------------------


def _contributions_source(exercise: Any) -> Iterator[tuple]:
    # Articles and questions are a handful per exercise: looked up in Python rather than
    # joined for each of a million rows. The timestamp is read as text (no per-row parsing):
    # both SQLite and PostgreSQL (UTC sessions) give "YYYY-MM-DD HH:MM:SS…" in UTC.
    articles = dict(Article.objects.filter(exercise=exercise).values_list("pk", "label"))
    questions = dict(ClosedQuestion.objects.filter(exercise=exercise).values_list("pk", "number"))
    qs = (
        _visible(exercise)
        .annotate(**analysis_columns(exercise), created_text=Cast("created_at", CharField()))
        .order_by("id")
        .values_list(
            "id",
            "kind",
            "public_text",
            "article_id",
            "question_id",
            "choice",
            "channel",
            "department_id",
            "municipality_id",
            "created_text",
            "_theme_id",
            "_theme_label",
            "_duplicate_group",
            "moderation",
            "response__decision",
            "response__reason",
        )
    )
    slug = exercise.slug
    article, question = articles.get, questions.get
    for row in stream_rows(qs):
        yield (row[0], slug, row[1], row[2], article(row[3]), question(row[4]), *row[5:])


def _contribution_fields() -> tuple[Field, ...]:
    return (
        Field(
            "id",
            "string",
            _("Identificador opaco y estable del aporte (no es el número de recibo)."),
            kind=OPAQUE_ID,
            required=True,
        ),
        Field("ejercicio", "string", _("Identificador (slug) del ejercicio."), required=True),
        Field(
            "tipo",
            "string",
            _("Tipo de aporte."),
            enum=choices_of(Contribution.Kind),
            required=True,
        ),
        Field(
            "texto",
            "string",
            _(
                "Texto del aporte. Nombres, números de documento, teléfonos, correos, "
                "direcciones y usuarios de redes se reemplazan por [nombre], [documento], "
                "[teléfono], [correo], [dirección] y [usuario]."
            ),
            kind=MASKED,
        ),
        Field("articulo", "string", _("Artículo comentado, si lo hay.")),
        Field("pregunta", "integer", _("Número de la pregunta cerrada respondida, si la hay.")),
        Field(
            "opcion",
            "string",
            _("Opción elegida (clave; varias separadas por comas en selección múltiple)."),
        ),
        Field("canal", "string", _("Canal por el que llegó."), enum=CONTRIBUTION_CHANNEL_VALUES),
        Field("departamento_dane", "string", _("Código DANE del departamento.")),
        Field("municipio_dane", "string", _("Código DANE (DIVIPOLA) del municipio.")),
        Field(
            "fecha",
            "date",
            _("Día en que se recibió (hora de Colombia)."),
            kind=DAY,
            required=True,
        ),
        Field("tema_id", "integer", _("Tema asignado por el análisis de textos.")),
        Field("tema", "string", _("Nombre del tema."), kind=TEXT),
        Field(
            "grupo_duplicados_id",
            "integer",
            _("Grupo de aportes casi idénticos (campañas masivas), si pertenece a uno."),
        ),
        Field(
            "moderacion",
            "string",
            _("Estado de moderación (sólo se publican los aportes visibles)."),
            enum=(str(Contribution.Moderation.VISIBLE),),
        ),
        Field(
            "respuesta_decision",
            "string",
            _("Decisión de la entidad en la matriz de resultados."),
            enum=choices_of(Decision),
        ),
        Field("respuesta", "string", _("Razón de la decisión de la entidad."), kind=TEXT),
    )


def _question_results_source(exercise: Any) -> Iterator[tuple]:
    for result in question_results(exercise):
        question = result["question"]
        for option in result["options"]:
            share = (
                round(100 * option["count"] / result["respondents"], 1)
                if result["respondents"]
                else None
            )
            yield (
                question.number,
                question.text,
                question.kind,
                option["key"],
                option["label"],
                option["count"],
                result["respondents"],
                share,
            )


def _question_results_fields() -> tuple[Field, ...]:
    return (
        Field("pregunta", "integer", _("Número de la pregunta."), required=True),
        Field("pregunta_texto", "string", _("Texto de la pregunta.")),
        Field(
            "pregunta_tipo", "string", _("Tipo de pregunta."), enum=choices_of(ClosedQuestion.Kind)
        ),
        Field("opcion", "string", _("Clave de la opción."), required=True),
        Field("opcion_texto", "string", _("Texto de la opción.")),
        Field("respuestas", "integer", _("Respuestas que eligieron la opción.")),
        Field("total_respondientes", "integer", _("Respuestas a la pregunta.")),
        Field("porcentaje", "number", _("Porcentaje de las respuestas a la pregunta.")),
    )


def _participation_source(exercise: Any) -> Iterator[tuple]:
    qs = (
        _visible(exercise)
        .values_list(
            "channel",
            "department_id",
            "department__display_name",
            "municipality_id",
            "municipality__display_name",
        )
        .annotate(n=Count("id"))
        .order_by("channel", "department_id", "municipality_id")
    )
    yield from qs


def _participation_fields() -> tuple[Field, ...]:
    return (
        Field("canal", "string", _("Canal."), enum=CONTRIBUTION_CHANNEL_VALUES, required=True),
        Field("departamento_dane", "string", _("Código DANE del departamento (vacío: sin dato).")),
        Field("departamento", "string", _("Nombre del departamento.")),
        Field("municipio_dane", "string", _("Código DANE del municipio (vacío: sin dato).")),
        Field("municipio", "string", _("Nombre del municipio.")),
        Field("aportes", "integer", _("Aportes visibles."), required=True),
    )


def _daily_source(exercise: Any) -> Iterator[tuple]:
    qs = (
        _visible(exercise)
        .annotate(day=TruncDate("created_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values_list("day", "channel")
        .annotate(n=Count("id"))
        .order_by("day", "channel")
    )
    yield from qs


def _daily_fields() -> tuple[Field, ...]:
    return (
        Field("fecha", "date", _("Día (hora de Colombia)."), kind=DAY, required=True),
        Field("canal", "string", _("Canal."), enum=CONTRIBUTION_CHANNEL_VALUES, required=True),
        Field("aportes", "integer", _("Aportes visibles recibidos ese día."), required=True),
    )


DEMOGRAPHIC_DIMENSIONS = (
    ("age_range", "rango_edad"),
    ("gender", "genero"),
    ("ethnic_group", "grupo_etnico"),
)
NO_DATA = "sin_dato"


def _person_expression() -> Case:
    """Who took part: the contact, else the user account, else the contribution itself (an
    anonymous contribution counts as one person)."""
    return Case(
        When(contact_id__isnull=False, then=Concat(Value("c"), Cast("contact_id", CharField()))),
        When(user_id__isnull=False, then=Concat(Value("u"), Cast("user_id", CharField()))),
        default=Concat(Value("x"), Cast("id", CharField())),
        output_field=CharField(),
    )


def demographic_rows(exercise: Any) -> list[dict[str, Any]]:
    """People and contributions by age range, gender and ethnic group, with cells of fewer than
    five people suppressed (and complementary cells, see ``suppress_small_cells``)."""
    labels = {
        "age_range": dict(Contribution.AgeRange.choices),
        "gender": dict(Contribution.Gender.choices),
        "ethnic_group": dict(Contribution.EthnicGroup.choices),
    }
    rows: list[dict[str, Any]] = []
    for attribute, public_name in DEMOGRAPHIC_DIMENSIONS:
        for value, contributions, people in (
            _visible(exercise)
            .values_list(attribute)
            .annotate(n=Count("id"), people=Count(_person_expression(), distinct=True))
            .order_by(attribute)
        ):
            rows.append(
                {
                    "dimension": public_name,
                    "valor": value or NO_DATA,
                    "valor_texto": str(labels[attribute].get(value, _("Sin dato"))),
                    "personas": people,
                    "aportes": contributions,
                }
            )
    rows = suppress_small_cells(rows, count_field="personas", group_fields=("dimension",))
    for row in rows:
        if row["suppressed"]:
            row["aportes"] = None
    return rows


def _demographics_source(exercise: Any) -> Iterator[tuple]:
    for row in demographic_rows(exercise):
        yield (
            row["dimension"],
            row["valor"],
            row["valor_texto"],
            row["personas"],
            row["aportes"],
            row["suppressed"],
        )


def _demographics_fields() -> tuple[Field, ...]:
    return (
        Field(
            "dimension",
            "string",
            _("Dimensión: rango_edad, genero o grupo_etnico."),
            enum=tuple(name for _a, name in DEMOGRAPHIC_DIMENSIONS),
            required=True,
        ),
        Field("valor", "string", _("Valor declarado (sin_dato si no se declaró)."), required=True),
        Field("valor_texto", "string", _("Valor en palabras.")),
        Field(
            "personas",
            "integer",
            _("Personas distintas (vacío si son menos de 5 o si se suprime para protegerlas)."),
        ),
        Field("aportes", "integer", _("Aportes (vacío cuando se suprime la celda).")),
        Field(
            "suprimido",
            "boolean",
            _("Verdadero si la celda se oculta para que nadie pueda ser identificado."),
            required=True,
        ),
    )


def _has_deliberation(exercise: Any) -> bool:
    """Whether the exercise has a deliberation (no query when it was fetched with
    ``select_related("deliberation")``, as ``selectors.published_exercises`` does)."""
    if exercise is None:
        return False
    try:
        exercise.deliberation  # noqa: B018 - the reverse one-to-one raises when there is none
    except Deliberation.DoesNotExist:
        return False
    return True


def exercise_tables(exercise: Any = None) -> list[Table]:
    """The tables of an exercise's dataset, in publication order: the tables every exercise has,
    then its deliberation's when ``exercise`` has one (no empty deliberation tables, and so no
    empty datasets on a portal, for the exercises without)."""
    extra = deliberation_tables() if _has_deliberation(exercise) else ()
    return [*_common_tables(), *extra]


@cache
def _common_tables() -> tuple[Table, ...]:
    return (
        Table(
            name="aportes",
            title=_("Aportes"),
            description=_(
                "Cada aporte visible del ejercicio, anonimizado, con la respuesta de la entidad "
                "en la matriz de resultados."
            ),
            fields=_contribution_fields(),
            source=_contributions_source,
            primary_key=("id",),
        ),
        Table(
            name="resultados-preguntas",
            title=_("Resultados de las preguntas cerradas"),
            description=_("Respuestas por opción de cada pregunta cerrada, con su porcentaje."),
            fields=_question_results_fields(),
            source=_question_results_source,
            primary_key=("pregunta", "opcion"),
        ),
        Table(
            name="participacion-canal-territorio",
            title=_("Participación por canal y territorio"),
            description=_("Aportes visibles por canal, departamento y municipio."),
            fields=_participation_fields(),
            source=_participation_source,
        ),
        Table(
            name="participacion-diaria",
            title=_("Participación por día"),
            description=_("Aportes visibles por día y canal."),
            fields=_daily_fields(),
            source=_daily_source,
            primary_key=("fecha", "canal"),
        ),
        Table(
            name="participacion-demografica",
            title=_("Participación por rango de edad, género y grupo étnico"),
            description=_(
                "Personas y aportes según los datos demográficos que declararon. Las celdas con "
                "menos de 5 personas se suprimen."
            ),
            fields=_demographics_fields(),
            source=_demographics_source,
            primary_key=("dimension", "valor"),
        ),
    )
