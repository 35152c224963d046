"""The tables of an exercise's deliberation (``urna.deliberation``): its published statements,
the anonymised vote matrix (participants as opaque pseudonyms), each placed participant's opinion
group and position, and the representative and consensus statements with Polis's figures. The
dataset of an exercise with a deliberation carries them after its other tables.
"""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext_lazy as _

from urna.deliberation import opendata as deliberation_data
from urna.opendata.anonymise import MASKED, OPAQUE_ID, Field
from urna.opendata.table import Table


def _deliberation_statement_fields() -> tuple[Field, ...]:
    return (
        Field("afirmacion_id", "integer", _("Identificador de la afirmación."), required=True),
        Field(
            "texto",
            "string",
            _(
                "Texto de la afirmación publicada. Los datos personales se reemplazan por "
                "[nombre], [documento], [teléfono], [correo], [dirección] y [usuario]."
            ),
            kind=MASKED,
        ),
        Field(
            "origen",
            "string",
            _("Quién la escribió: el equipo de la entidad (staff) o un participante."),
            enum=("staff", "participant"),
        ),
        Field("de_acuerdo", "integer", _("Votos de acuerdo en el último cálculo.")),
        Field("en_desacuerdo", "integer", _("Votos en desacuerdo en el último cálculo.")),
        Field("paso", "integer", _("Votos «paso» en el último cálculo.")),
    )


def _deliberation_vote_fields() -> tuple[Field, ...]:
    return (
        Field(
            "participante",
            "string",
            _("Identificador seudónimo del participante (opaco y estable; no identifica a nadie)."),
            kind=OPAQUE_ID,
            required=True,
        ),
        Field("afirmacion_id", "integer", _("Afirmación votada."), required=True),
        Field(
            "voto",
            "integer",
            _("1 de acuerdo, -1 en desacuerdo, 0 paso."),
            required=True,
        ),
        Field(
            "canal",
            "string",
            _("Canal del voto."),
            enum=("web", "api", "sms", "ussd", "whatsapp", "phone"),
        ),
    )


def _deliberation_participant_fields() -> tuple[Field, ...]:
    return (
        Field(
            "participante",
            "string",
            _("Identificador seudónimo del participante (el mismo de la tabla de votos)."),
            kind=OPAQUE_ID,
            required=True,
        ),
        Field("grupo", "string", _("Grupo de opinión (A–E)."), enum=tuple("ABCDE")),
        Field("x", "number", _("Primera coordenada en el mapa de opiniones (ACP escalada).")),
        Field("y", "number", _("Segunda coordenada en el mapa de opiniones.")),
    )


def _deliberation_group_fields() -> tuple[Field, ...]:
    return (
        Field(
            "tipo",
            "string",
            _("representativa (de un grupo) o consenso (de todos)."),
            enum=("representativa", "consenso"),
            required=True,
        ),
        Field("grupo", "string", _("Grupo (vacío para el consenso)."), enum=tuple("ABCDE")),
        Field("afirmacion_id", "integer", _("Afirmación."), required=True),
        Field("postura", "string", _("agree o disagree."), enum=("agree", "disagree")),
        Field("de_acuerdo", "integer", _("Votos de acuerdo (en el grupo, o de todos).")),
        Field("en_desacuerdo", "integer", _("Votos en desacuerdo (en el grupo, o de todos).")),
        Field("votos", "integer", _("Votos sobre la afirmación (en el grupo, o de todos).")),
        Field(
            "probabilidad",
            "number",
            _("Probabilidad con seudoconteos de Polis: (1 + n) / (2 + votos)."),
        ),
        Field("prueba_p", "number", _("Estadístico z de la prueba de una proporción.")),
        Field("representatividad", "number", _("Probabilidad en el grupo / fuera del grupo.")),
        Field(
            "prueba_representatividad",
            "number",
            _("Estadístico z de la prueba de dos proporciones."),
        ),
    )


@cache
def deliberation_tables() -> tuple[Table, ...]:
    """The tables of an exercise's deliberation."""
    return (
        Table(
            name="deliberacion-afirmaciones",
            title=_("Deliberación: afirmaciones"),
            description=_("Las afirmaciones publicadas de la deliberación y sus votos."),
            fields=_deliberation_statement_fields(),
            source=deliberation_data.statement_rows,
            primary_key=("afirmacion_id",),
        ),
        Table(
            name="deliberacion-votos",
            title=_("Deliberación: matriz de votos"),
            description=_(
                "Un voto por participante y afirmación publicada, con participantes seudónimos."
            ),
            fields=_deliberation_vote_fields(),
            source=deliberation_data.vote_rows,
            primary_key=("participante", "afirmacion_id"),
        ),
        Table(
            name="deliberacion-participantes",
            title=_("Deliberación: grupos de opinión de los participantes"),
            description=_(
                "Grupo y posición en el mapa de cada participante ubicado (con al menos los votos "
                "mínimos) en el último cálculo."
            ),
            fields=_deliberation_participant_fields(),
            source=deliberation_data.participant_group_rows,
            primary_key=("participante",),
        ),
        Table(
            name="deliberacion-grupos",
            title=_("Deliberación: afirmaciones representativas y de consenso"),
            description=_(
                "Las afirmaciones que distinguen a cada grupo y aquellas en que coinciden todos, "
                "con las cifras del algoritmo de Polis."
            ),
            fields=_deliberation_group_fields(),
            source=deliberation_data.group_statement_rows,
        ),
    )
