"""The portal's failures, told in Spanish with what to do about each.

socrata-py raises ``UnexpectedResponseException`` (any status but 200-202, with the portal's
JSON body), ``ResourceFailedException`` (a source, schema or job the portal marks failed),
``TimeoutException`` (waiting too long) and lets ``requests`` errors through.
"""

from __future__ import annotations

from typing import Any

import requests
from django.utils.translation import gettext as _
from socrata.http import TimeoutException, UnexpectedResponseException
from socrata.resource import ResourceFailedException

from urna.core.errors import DomainError

PORTAL_ERRORS = (
    UnexpectedResponseException,
    ResourceFailedException,
    TimeoutException,
    requests.RequestException,
)


class SocrataError(DomainError):
    """A publication the portal refused or could not finish; ``message`` is for the operator,
    ``portal_status`` the HTTP status the portal answered, if it answered."""

    status = 502
    code = "socrata_error"

    def __init__(self, message: str, *, portal_status: int | None = None) -> None:
        super().__init__(message)
        self.portal_status = portal_status


def portal_error(exc: Exception, *, domain: str, table: str, fourfour: str = "") -> SocrataError:
    """The ``SocrataError`` for one of ``PORTAL_ERRORS`` raised while publishing ``table``."""
    where = {"domain": domain, "table": table, "id": fourfour}
    if isinstance(exc, UnexpectedResponseException):
        return _status_error(exc.status, exc.body, where)
    if isinstance(exc, ResourceFailedException):
        return SocrataError(
            _(
                "El portal %(domain)s no pudo procesar la tabla %(table)s: %(detail)s. "
                "Revise la revisión abierta en el portal y vuelva a publicar."
            )
            % {**where, "detail": _detail(exc.body)}
        )
    if isinstance(exc, TimeoutException):
        return SocrataError(
            _(
                "El portal %(domain)s no terminó de procesar la tabla %(table)s a tiempo. "
                "Puede seguir procesándola: revise el conjunto en el portal antes de volver a "
                "publicar."
            )
            % where
        )
    return SocrataError(
        _(
            "No se pudo conectar con %(domain)s (%(detail)s). Revise SOCRATA_DOMAIN y la "
            "conexión del servidor, y vuelva a intentarlo."
        )
        % {**where, "detail": type(exc).__name__}
    )


def _status_error(status: int, body: Any, where: dict[str, str]) -> SocrataError:
    if status == 401:
        message = _(
            "El portal %(domain)s rechazó las credenciales (401). Revise SOCRATA_API_KEY_ID y "
            "SOCRATA_API_KEY_SECRET (o SOCRATA_USERNAME y SOCRATA_PASSWORD): la clave debe "
            "estar activa y pertenecer a un usuario del portal."
        )
    elif status == 403:
        message = _(
            "La cuenta no tiene permiso para publicar en %(domain)s (403). Pida al "
            "administrador del portal el rol de publicador, o que la haga propietaria o "
            "colaboradora del conjunto %(id)s."
        )
    elif status == 404 and where["id"]:
        message = _(
            "El portal %(domain)s no encontró el conjunto %(id)s de la tabla %(table)s (404). "
            "Si lo borraron en el portal, publique de nuevo con --recrear para crear otro."
        )
    elif status == 404:
        message = _(
            "%(domain)s no ofrece la API de gestión de datos de Socrata (404). Revise "
            "SOCRATA_DOMAIN: es el dominio del portal, por ejemplo www.datos.gov.co."
        )
    elif status >= 500:
        message = _(
            "El portal %(domain)s falló al procesar la tabla %(table)s (error %(status)s). No "
            "es un problema de los datos: vuelva a intentarlo más tarde y, si persiste, "
            "escriba al soporte del portal."
        )
    else:
        message = _(
            "El portal %(domain)s rechazó la tabla %(table)s (error %(status)s): %(detail)s"
        )
    return SocrataError(
        message % {**where, "status": status, "detail": _detail(body)}, portal_status=status
    )


def _detail(body: Any) -> str:
    """The portal's own explanation: DSMAPI and the views API both answer ``message``."""
    if isinstance(body, dict):
        inner = body.get("resource") if isinstance(body.get("resource"), dict) else body
        for key in ("message", "failure_details", "error"):
            if isinstance(inner.get(key), str) and inner[key]:
                return inner[key][:500]
    return _("sin detalle")
