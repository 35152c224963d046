"""Every computed indicator: a stable English key, a Spanish label, a unit, a group, the
breakdowns it has and the scopes it is computed for.

Keys are stable: goals, manual values, CSV columns and the API name them.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COUNT, PERCENT, DAYS = "count", "percent", "days"
ALL_SCOPES = ("all", "entity", "department")

GROUPS: dict[str, Promise] = {
    "reach": _("Alcance"),
    "interaction": _("Interacción"),
    "replies": _("Respuestas a la ciudadanía"),
    "exercises": _("Ejercicios de participación"),
    "partnerships": _("Alianzas"),
    "campaigns": _("Campañas e información"),
    "channels": _("Tráfico por canal"),
    "social": _("Redes sociales del Gobierno"),
    "perception": _("Percepción ciudadana de la plataforma"),
}


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    label: Promise
    unit: str  # "count", "percent" or "days"
    group: str
    dims: tuple[str, ...] = ()  # breakdowns stored beside the total ("channel")
    scopes: tuple[str, ...] = ALL_SCOPES
    # A state at a moment (the month's end, or now for the current month), not activity within
    # the period: the year's value is its last month's.
    snapshot: bool = False
    help: Promise | str = ""


def _interaction(key: str, label: Promise, *, dims: tuple[str, ...] = ("channel",)):
    return IndicatorDef(key, label, COUNT, "interaction", dims=dims)


DEFINITIONS: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        "people_reached",
        _("Personas alcanzadas"),
        COUNT,
        "reach",
        help=_(
            "Personas distintas (contactos y cuentas) que dejaron un aporte, radicaron una "
            "consulta o recibieron un mensaje en el periodo."
        ),
    ),
    _interaction("interactions_total", _("Interacciones ciudadanas")),
    _interaction("interactions_contributions", _("Aportes a ejercicios")),
    _interaction("interactions_votes", _("Respuestas a preguntas cerradas")),
    _interaction("interactions_supports", _("Apoyos a propuestas"), dims=()),
    _interaction("interactions_queries", _("Consultas ciudadanas (PQRSD)")),
    _interaction("interactions_surveys", _("Respuestas a encuestas de percepción")),
    _interaction("interactions_deliberation", _("Votos en deliberaciones")),
    IndicatorDef(
        "replies_received", _("Consultas recibidas"), COUNT, "replies", scopes=("all", "entity")
    ),
    IndicatorDef(
        "replies_answered", _("Consultas respondidas"), COUNT, "replies", scopes=("all", "entity")
    ),
    IndicatorDef(
        "replies_within_term_pct",
        _("Respondidas dentro del plazo legal"),
        PERCENT,
        "replies",
        scopes=("all", "entity"),
    ),
    IndicatorDef(
        "replies_median_days",
        _("Mediana de días hábiles para responder"),
        DAYS,
        "replies",
        scopes=("all", "entity"),
    ),
    IndicatorDef(
        "replies_p90_days",
        _("Días hábiles en que se responde el 90 % de las consultas"),
        DAYS,
        "replies",
        scopes=("all", "entity"),
    ),
    IndicatorDef(
        "replies_overdue",
        _("Consultas vencidas sin respuesta"),
        COUNT,
        "replies",
        scopes=("all", "entity"),
        snapshot=True,
    ),
    IndicatorDef(
        "exercises_carried_out", _("Ejercicios de participación realizados"), COUNT, "exercises"
    ),
    IndicatorDef("exercises_national", _("Ejercicios de entidades nacionales"), COUNT, "exercises"),
    IndicatorDef(
        "exercises_territorial", _("Ejercicios de entidades territoriales"), COUNT, "exercises"
    ),
    IndicatorDef(
        "exercises_with_results", _("Ejercicios con resultados publicados"), COUNT, "exercises"
    ),
    IndicatorDef(
        "partnerships_total",
        _("Alianzas entre entidades (parejas distintas)"),
        COUNT,
        "partnerships",
        scopes=("all", "entity"),
    ),
    IndicatorDef(
        "partnerships_national_national",
        _("Alianzas entre entidades nacionales"),
        COUNT,
        "partnerships",
        scopes=("all", "entity"),
    ),
    IndicatorDef(
        "partnerships_national_territorial",
        _("Alianzas nacionales con territoriales"),
        COUNT,
        "partnerships",
        scopes=("all", "entity"),
    ),
    IndicatorDef(
        "partnerships_territorial_territorial",
        _("Alianzas entre entidades territoriales"),
        COUNT,
        "partnerships",
        scopes=("all", "entity"),
    ),
    IndicatorDef("campaigns_sent", _("Campañas enviadas"), COUNT, "campaigns"),
    IndicatorDef(
        "campaigns_people_reached", _("Personas alcanzadas por campañas"), COUNT, "campaigns"
    ),
    IndicatorDef(
        "crm_contacts_informed",
        _("Contactos que reciben información del Gobierno (CRM)"),
        COUNT,
        "campaigns",
        scopes=("all", "department"),
        snapshot=True,
    ),
    IndicatorDef(
        "channel_inbound", _("Mensajes y envíos recibidos"), COUNT, "channels", dims=("channel",)
    ),
    IndicatorDef("channel_outbound", _("Mensajes enviados"), COUNT, "channels", dims=("channel",)),
    IndicatorDef(
        "social_accounts_tracked",
        _("Cuentas oficiales registradas"),
        COUNT,
        "social",
        snapshot=True,
    ),
    IndicatorDef(
        "social_accounts_active", _("Cuentas oficiales activas"), COUNT, "social", snapshot=True
    ),
    IndicatorDef(
        "social_followers", _("Seguidores de las cuentas oficiales"), COUNT, "social", snapshot=True
    ),
    *(
        IndicatorDef(
            key,
            label,
            PERCENT,
            "perception",
            scopes=("all", "entity"),
            snapshot=True,
            help=_(
                "Estimación ponderada de la encuesta de percepción publicada (la última ola del "
                "año); el margen de error está en los resultados de la encuesta."
            ),
        )
        for key, label in (
            ("perception_knowledge", _("Personas que conocen la plataforma")),
            ("perception_use", _("Personas que usaron la plataforma en el último año")),
            ("perception_satisfaction", _("Usuarios satisfechos con la plataforma")),
        )
    ),
)

BY_KEY: dict[str, IndicatorDef] = {d.key: d for d in DEFINITIONS}
