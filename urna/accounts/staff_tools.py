"""The staff office's tools, declared as data: per tool, the action that opens it.

One rule serves both sides: the office (``/staff/``) lists the tools ``tool_allows`` opens to the
user, and each tool's view carries ``@tool_required("<url name>")``, which answers 403 with the
roles that would open it. Objects of another entity stay a 404 inside the tools (that hides
their existence); a role that does not include a tool is a 403 that says why.

A new tool appends itself with ``staff_tool_register`` (from its app's ``AppConfig.ready()`` or
here in ``STAFF_TOOLS``) and decorates its view. The pages inside a tool (a campaign's segments,
an exercise's moderation…) are declared in their app's ``urls.py`` with ``tool_patterns``, so
each of them refuses the same roles with the same 403 before it looks up any object.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import URLPattern
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from urna.accounts.models import Role
from urna.accounts.permissions import (
    PLATFORM_ACTIONS,
    PLATFORM_ROLES,
    entity_ids_for,
    is_platform_staff,
    otp_verified,
    role_allows,
)
from urna.entities.services import PLATFORM_ACRONYM


class Section:
    """Headings of the office, in the order shown."""

    PARTICIPATION = "participation"
    QUERIES = "queries"
    OUTREACH = "outreach"
    DATA = "data"
    NETWORK = "network"
    ACCOUNT = "account"


SECTION_LABELS: dict[str, Promise] = {
    Section.PARTICIPATION: _("Participación"),
    Section.QUERIES: _("Consultas ciudadanas (PQRSD)"),
    Section.OUTREACH: _("Canales, campañas y contactos"),
    Section.DATA: _("Análisis, datos e indicadores"),
    Section.NETWORK: _("Red de entidades"),
    Section.ACCOUNT: _("Su cuenta y la administración"),
}


@dataclass(frozen=True)
class StaffTool:
    """A page of the staff office. ``action`` (of ``accounts.permissions``) opens it in at least
    one entity; None: any staff member. ``platform``: only the Urna platform team, and (with an
    action) only when the action spans every entity (inbound messages belong to none)."""

    url_name: str
    label: Promise | str
    section: str
    action: str | None = None
    platform: bool = False


STAFF_TOOLS: list[StaffTool] = [
    StaffTool(
        "exercises:staff_list",
        _("Ejercicios de participación: crear, publicar, moderar y responder"),
        Section.PARTICIPATION,
        "exercise.view_staff",
    ),
    StaffTool(
        "surveys:staff_list",
        _("Encuestas de percepción: crear, distribuir, ponderar y publicar"),
        Section.PARTICIPATION,
        "exercise.view_staff",
    ),
    StaffTool(
        "channels:console",
        _("Consola de operador (radio, TV, teléfono, presencial)"),
        Section.PARTICIPATION,
        "contribution.enter",
    ),
    StaffTool(
        "queries:staff_inbox",
        _("Consultas ciudadanas (PQRSD): bandeja del gestor"),
        Section.QUERIES,
        "query.view",
    ),
    StaffTool(
        "queries:staff_sla",
        _("Consultas ciudadanas: oportunidad de las respuestas"),
        Section.QUERIES,
        "query.view",
    ),
    StaffTool(
        "queries:staff_triage",
        _("Consultas ciudadanas: clasificación (equipo Urna)"),
        Section.QUERIES,
        "query.triage",
        platform=True,
    ),
    StaffTool(
        "channels:inbound_list",
        _("Mensajes recibidos por los canales"),
        Section.OUTREACH,
        "channel.manage",
        platform=True,
    ),
    StaffTool(
        "channels:social_links",
        _("Publicaciones enlazadas a ejercicios"),
        Section.OUTREACH,
        "channel.manage",
    ),
    StaffTool(
        "campaigns:list",
        _("Campañas: segmentos, mensajes, aprobación y resultados"),
        Section.OUTREACH,
        "campaign.view",
    ),
    StaffTool(
        "contacts:imports",
        _("Contactos: importar bases con su autorización"),
        Section.OUTREACH,
        "contacts.view",
    ),
    StaffTool(
        "contacts:operator_consent",
        _("Registrar una autorización dada por teléfono"),
        Section.OUTREACH,
        "contribution.enter",
    ),
    StaffTool(
        "socialaccounts:staff_list",
        _("Redes sociales oficiales: cuentas, cifras, importación y consejos"),
        Section.OUTREACH,
        "socialaccounts.manage",
    ),
    StaffTool(
        "insights:list",
        _("Análisis de aportes: temas, campañas y hallazgos"),
        Section.DATA,
        "insights.view",
    ),
    StaffTool(
        "reports:staff_list",
        _("Informes: aprendizajes de cada ejercicio"),
        Section.DATA,
        "report.edit",
    ),
    StaffTool(
        "opendata:staff_settings",
        _("Datos abiertos: ediciones preliminares"),
        Section.DATA,
        "opendata.publish",
    ),
    StaffTool(
        "indicators:staff_dashboard",
        _("Indicadores: las cifras de su entidad frente a sus metas"),
        Section.DATA,
        "indicators.view",
    ),
    StaffTool(
        "indicators:goals",
        _("Indicadores: metas por año y registro de datos manuales (equipo Urna)"),
        Section.DATA,
        platform=True,
    ),
    StaffTool(
        "accounts:api_tokens",
        _("Tokens de acceso a la API (sistemas de gestión documental y PQRSD)"),
        Section.ACCOUNT,
    ),
    StaffTool(
        "admin:index",
        _("Administración (datos de su entidad)"),
        Section.ACCOUNT,
    ),
]


def staff_tool_register(tool: StaffTool) -> None:
    """Add a tool to the office (idempotent: a tool already listed by its URL name is replaced)."""
    for index, existing in enumerate(STAFF_TOOLS):
        if existing.url_name == tool.url_name:
            STAFF_TOOLS[index] = tool
            return
    STAFF_TOOLS.append(tool)


def staff_tool(url_name: str) -> StaffTool:
    for tool in STAFF_TOOLS:
        if tool.url_name == url_name:
            return tool
    raise LookupError(f"No staff tool is declared for {url_name!r}")


def tool_allows(user: Any, tool: StaffTool) -> bool:
    """May ``user`` open ``tool``? The one rule of the office and of the tools' views."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        return False
    if tool.platform and not is_platform_staff(user):
        return False
    if tool.action is None:
        return True
    allowed = entity_ids_for(user, tool.action)
    return allowed is None if tool.platform else (allowed is None or bool(allowed))


def tools_for(user: Any) -> list[tuple[Promise, list[StaffTool]]]:
    """The tools ``user`` may open, grouped under the office's section headings."""
    groups: dict[str, list[StaffTool]] = {}
    for tool in STAFF_TOOLS:
        if tool_allows(user, tool):
            groups.setdefault(tool.section, []).append(tool)
    order = list(SECTION_LABELS)
    return [
        (SECTION_LABELS.get(section, section), tools)
        for section, tools in sorted(
            groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)
        )
    ]


def roles_opening(tool: StaffTool) -> list[str]:
    """The roles (their labels, in the active language) whose members may open ``tool``."""
    if tool.action is None:
        return [gettext(label) for _value, label in Role.choices]
    platform_wide = tool.platform and tool.action in PLATFORM_ACTIONS
    return [
        gettext(label)
        for value, label in Role.choices
        if role_allows(value, tool.action) or (platform_wide and value in PLATFORM_ROLES)
    ]


def refusal_message(tool: StaffTool) -> str:
    """Why a staff member may not open ``tool``: the roles that do, and where."""
    roles = ", ".join(roles_opening(tool))
    if tool.platform:
        return gettext(
            "Su rol no incluye la herramienta «%(tool)s». La abren estos roles del equipo de "
            "la plataforma (%(platform)s): %(roles)s."
        ) % {"tool": tool.label, "platform": PLATFORM_ACRONYM, "roles": roles}
    return gettext(
        "Su rol no incluye la herramienta «%(tool)s». La abren estos roles en una entidad: "
        "%(roles)s."
    ) % {"tool": tool.label, "roles": roles}


def _refuse_unless_allowed(request: Any, url_name: str) -> None:
    tool = staff_tool(url_name)
    if not tool_allows(request.user, tool):
        raise PermissionDenied(refusal_message(tool))


def tool_required(url_name: str) -> Callable:
    """A tool's view: 403, with the roles that would open it, when ``tool_allows`` says no.
    Put it under ``staff_required`` (which answers anyone who is not staff)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            _refuse_unless_allowed(request, url_name)
            return view(request, *args, **kwargs)

        # Copied by the decorators above it (``wraps`` updates ``__dict__``): ``tool_patterns``
        # reads it to leave a tool's entry view as it is.
        wrapper.urna_tool = url_name
        return wrapper

    return decorator


def _inside_tool(url_name: str, view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        # Whoever is not verified staff is answered by the view's own checks (a login redirect,
        # a bare 403), as on any staff page.
        if user.is_authenticated and user.is_active and user.is_staff and otp_verified(user):
            _refuse_unless_allowed(request, url_name)
        return view(request, *args, **kwargs)

    wrapper.urna_tool = url_name
    return wrapper


def tool_patterns(url_name: str, patterns: list[URLPattern]) -> list[URLPattern]:
    """The URL patterns of the pages inside the tool ``url_name``: each refuses a staff member
    whose role does not include the tool with the tool's 403, before the view looks anything up
    (so another entity's object stays a 404 only for those who hold the tool). A view that
    already carries a tool's check (an entry view, another tool's page) is left as it is."""
    guarded = []
    for pattern in patterns:
        if getattr(pattern.callback, "urna_tool", None) is None:
            pattern = URLPattern(
                pattern.pattern,
                _inside_tool(url_name, pattern.callback),
                pattern.default_args,
                pattern.name,
            )
        guarded.append(pattern)
    return guarded
