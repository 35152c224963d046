"""Domain errors shared by services, views, the API and channels.

Services raise these; each caller maps them to its medium (an HTTP status in the API, a form
error on a page, a short reply on SMS). Messages are Spanish by default through gettext.
"""

import re
from typing import Any

from django.utils.translation import gettext as _


class DomainError(Exception):
    """A rule of the domain refused the action. ``code`` is stable for API clients."""

    status = 400
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "detail": self.message}
        if self.field:
            body["errors"] = {self.field: [self.message]}
        return body


class InvalidInput(DomainError):
    status = 422
    code = "invalid"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"


def _message_for(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Este campo es obligatorio.")
    if kind in {"string_too_short"}:
        return _("El texto es demasiado corto (mínimo %(n)s caracteres).") % {
            "n": ctx.get("min_length")
        }
    if kind in {"string_too_long"}:
        return _("El texto es demasiado largo (máximo %(n)s caracteres).") % {
            "n": ctx.get("max_length")
        }
    if kind in {"literal_error", "enum"}:
        # pydantic writes the options in English ("'a', 'b' or 'c'"): list them in the
        # language of the request ("'a', 'b' o 'c'").
        expected = str(ctx.get("expected", ""))
        options = re.findall(r"'[^']*'", expected)
        listed = (
            f"{', '.join(options[:-1])} {_('o')} {options[-1]}" if len(options) > 1 else expected
        )
        return _("Valor no permitido. Opciones: %(opts)s.") % {"opts": listed}
    if kind == "greater_than_equal":
        return _("Debe ser un número mayor o igual que %(n)s.") % {"n": ctx.get("ge")}
    if kind == "greater_than":
        return _("Debe ser un número mayor que %(n)s.") % {"n": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("Debe ser un número menor o igual que %(n)s.") % {"n": ctx.get("le")}
    if kind == "less_than":
        return _("Debe ser un número menor que %(n)s.") % {"n": ctx.get("lt")}
    if kind.startswith("int") or kind.startswith("float"):
        return _("Debe ser un número.")
    if kind.startswith("bool"):
        return _("Debe ser verdadero o falso.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Fecha no válida (use AAAA-MM-DD).")
    if kind in {"model_attributes_type", "dict_type", "json_invalid"}:
        return _("El cuerpo de la petición no es un JSON válido.")
    if kind == "value_error":
        return str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        return _("Campo no reconocido.")
    return _("Valor no válido.")


def validation_errors_es(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """Turn pydantic/ninja validation errors into ``{"errors": {field: [msg]}}`` in Spanish."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in {"body", "payload"}]
        if loc and loc[0] in {"query", "path", "form"}:
            loc = loc[1:]
        name = ".".join(loc) or "__all__"
        fields.setdefault(name, []).append(_message_for(error))
    return {
        "code": "invalid",
        "detail": _("Hay errores en los datos enviados."),
        "errors": fields,
    }
