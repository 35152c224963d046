"""What every page of the network shares: who may open it (``urna.network.access``, the rule the
API follows too), and the entity it is about, as Django's 403 and 404."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from urna.accounts import permissions
from urna.core.errors import NotFound
from urna.core.errors import PermissionDenied as DomainPermissionDenied
from urna.entities.models import Entity
from urna.network import access
from urna.network.services import MANAGE_ENTITIES, MANAGE_NETWORK


def network_staff(view: Callable) -> Callable:
    """Logged-in, verified staff only (the project's staff check)."""
    return login_required(permissions.staff_required(view))


def require_somewhere(request: HttpRequest, action: str) -> None:
    try:
        access.require_somewhere(request.user, action)
    except DomainPermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc


def entity_for(request: HttpRequest, pk: int, action: str = MANAGE_NETWORK) -> Entity:
    """The entity of a page, when ``request.user`` may do ``action`` on it."""
    try:
        return access.entity_for(user=request.user, pk=pk, action=action)
    except NotFound as exc:
        raise Http404 from exc
    except DomainPermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc


def can_manage_entities(request: HttpRequest) -> bool:
    return permissions.can(request.user, MANAGE_ENTITIES)
