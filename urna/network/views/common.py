"""What every page of the network shares: who may open it, and the entity it is about.

An entity's administrators open their own entity's pages; the platform administrators every
entity's. Staff whose role does not include the tool get a 403 that says why; an administrator
who types another entity's address gets a 404 (its existence is not theirs to know).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from urna.accounts import permissions
from urna.accounts.staff_tools import refusal_message, staff_tool
from urna.entities.models import Entity
from urna.network.services import MANAGE_ENTITIES, MANAGE_NETWORK


def network_staff(view: Callable) -> Callable:
    """Logged-in, verified staff only (the project's staff check)."""
    return login_required(permissions.staff_required(view))


def refuse(action: str) -> PermissionDenied:
    if action == MANAGE_ENTITIES:
        return PermissionDenied(
            _("Crear y editar entidades es tarea del equipo de la plataforma (administrador).")
        )
    # The staff office's own words: the tool, and the roles that open it.
    return PermissionDenied(refusal_message(staff_tool("network:index")))


def require_somewhere(request: HttpRequest, action: str) -> None:
    if not permissions.can(request.user, action):
        raise refuse(action)


def entity_for(request: HttpRequest, pk: int, action: str = MANAGE_NETWORK) -> Entity:
    """The entity of a page, when ``request.user`` may do ``action`` on it."""
    entity = Entity.objects.select_related("department", "municipality", "parent").filter(pk=pk)
    entity = entity.first()
    if entity is not None and permissions.can(request.user, action, entity):
        return entity
    if permissions.can(request.user, action):
        raise Http404  # another entity's page
    raise refuse(action)


def can_manage_entities(request: HttpRequest) -> bool:
    return permissions.can(request.user, MANAGE_ENTITIES)
