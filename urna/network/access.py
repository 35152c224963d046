"""Who opens what in the response network, for its pages and its API alike.

An entity's administrators act on their own entity; the platform administrators on every
entity. Staff whose role does not include the tool are refused (403) with the reason; an
administrator who names another entity's object is told it does not exist (404: its existence
is not theirs to know). Raises the domain's errors; the pages turn them into Django's.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from urna.accounts import permissions
from urna.accounts.staff_tools import refusal_message, staff_tool
from urna.core.errors import NotFound, PermissionDenied
from urna.entities.models import Entity
from urna.network.services import MANAGE_ENTITIES


def refusal(action: str) -> PermissionDenied:
    """The 403 of a staff member whose role does not allow ``action`` anywhere."""
    if action == MANAGE_ENTITIES:
        return PermissionDenied(
            _("Crear y editar entidades es tarea del equipo de la plataforma (administrador).")
        )
    # The staff office's own words: the tool, and the roles that open it.
    return PermissionDenied(refusal_message(staff_tool("network:index")))


def require_somewhere(user: Any, action: str) -> None:
    if not permissions.can(user, action):
        raise refusal(action)


def entity_for(*, user: Any, pk: int, action: str) -> Entity:
    """The entity ``pk`` when ``user`` may do ``action`` on it: NotFound when the user may do
    it elsewhere (another entity's, or none at all), the refusal when nowhere."""
    entity = (
        Entity.objects.select_related("department", "municipality", "parent").filter(pk=pk).first()
    )
    if entity is not None and permissions.can(user, action, entity):
        return entity
    if permissions.can(user, action):
        raise NotFound(_("No encontramos esa entidad."))
    raise refusal(action)
