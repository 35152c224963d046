"""Placeholders of answer templates: ``{radicado}``, ``{entidad}``… filled from the query when a
manager uses a template, checked when a template is saved, and shown with sample values in the
template's preview."""

from __future__ import annotations

import re
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urna.core.errors import InvalidInput

PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")

# name → what it stands for (shown beside the template form).
PLACEHOLDERS: dict[str, Any] = {
    "radicado": gettext_lazy("el número de radicado de la consulta"),
    "fecha": gettext_lazy("la fecha en que se radicó"),
    "vence": gettext_lazy("la fecha en que vence el término"),
    "tipo": gettext_lazy("el tipo de solicitud"),
    "entidad": gettext_lazy("el nombre de la entidad"),
    "gestor": gettext_lazy("el nombre de quien responde"),
}

SAMPLE_VALUES = {
    "radicado": "PQ-2026-000123",
    "fecha": "2 dic. 2026",
    "vence": "23 dic. 2026",
    "tipo": "Petición",
    "entidad": "Alcaldía de Manizales",
    "gestor": "Mónica Gestora",
}


def placeholders_check(body: str) -> None:
    """Refuse a template that names a placeholder Urna does not know (a typo would reach the
    citizen as ``{radicdo}``)."""
    unknown = sorted({name for name in PLACEHOLDER_RE.findall(body) if name not in PLACEHOLDERS})
    if unknown:
        raise InvalidInput(
            _("Marcadores desconocidos: %(unknown)s. Puede usar: %(known)s.")
            % {
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            },
            field="body",
        )


def _fill(body: str, values: dict[str, str]) -> str:
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def placeholders_render(body: str, *, query: Any, by: Any = None) -> str:
    """The template's text for one query, with every known placeholder filled."""
    manager = by if by is not None and getattr(by, "is_authenticated", False) else None
    values = {
        "radicado": query.receipt,
        "fecha": formats.date_format(timezone.localdate(query.filed_at), "DATE_FORMAT"),
        "vence": formats.date_format(query.due_date, "DATE_FORMAT"),
        "tipo": str(query.get_type_display()),
        "entidad": query.entity.name if query.entity_id else "",
        "gestor": (manager.get_full_name() or manager.get_username()) if manager else "",
    }
    return _fill(body, values)


def placeholders_preview(body: str) -> str:
    """The template's text with sample values, for its preview."""
    return _fill(body, SAMPLE_VALUES)
