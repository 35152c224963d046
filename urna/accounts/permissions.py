"""The one place that answers "may this user do X on this object", scoped by entity.

Which role may do which action is declared as data (ROLE_ACTIONS). An object belongs to one or
more entities (``entity_ids_of``); a user may act on it when one of their memberships in one of
those entities has a role that allows the action. A platform administrator (role ``admin`` in the
Urna platform entity) and a superuser act everywhere.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _

from urna.accounts.models import Membership, Role
from urna.core.errors import PermissionDenied
from urna.entities.models import Entity
from urna.entities.services import PLATFORM_ACRONYM

EXERCISE_ACTIONS = {
    "exercise.view_staff",
    "exercise.create",
    "exercise.edit",
    "exercise.publish",
    "exercise.close",
    "exercise.results",
    "exercise.export",
}
QUERY_ACTIONS = {
    "query.view",
    "query.assign",
    "query.answer",
    "query.note",
    "query.request_completion",
    "query.extend",
    "query.transfer",
    "query.close",
    "query.publish",
}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.MANAGER: frozenset(
        EXERCISE_ACTIONS
        | QUERY_ACTIONS
        | {"contribution.respond", "contribution.enter", "report.edit", "indicators.view"}
        | {"opendata.publish", "audit.view"}
        | {"campaign.view", "campaign.approve", "contacts.view", "contacts.import"}
        | {"socialaccounts.manage", "meeting.manage"}
    ),
    # Only moderators (and administrators) read the personal data citizens type into their
    # contributions; other staff see the masked text, like the public.
    Role.MODERATOR: frozenset(
        {"exercise.view_staff", "contribution.moderate", "contribution.enter", "channel.manage"}
        | {"contribution.view_personal_data"}
    ),
    Role.ANALYST: frozenset(
        {"exercise.view_staff", "exercise.export", "insights.view", "insights.run"}
        | {"insights.edit", "report.edit", "indicators.view", "opendata.publish"}
    ),
    Role.CAMPAIGN: frozenset(
        {"exercise.view_staff", "campaign.view", "campaign.send", "contacts.view"}
        | {"contacts.import"}
        | {"contribution.enter", "indicators.view", "socialaccounts.manage"}
        | {"meeting.manage"}
    ),
}
# Actions only the platform team holds (they span entities by nature).
PLATFORM_ACTIONS = frozenset({"query.triage", "entity.manage"})
PLATFORM_ROLES = frozenset({Role.ADMIN, Role.MANAGER})
# Actions of an entity's administrators only (``role_allows`` gives Role.ADMIN every action, and
# no other role lists these): running the entity's part of the response network — its staff and
# their roles, routing rules, terms, non-working days and answer templates (``urna.network``).
ADMIN_ACTIONS = frozenset({"network.manage"})


def _memberships(user: Any) -> list[tuple[int, str, str]]:
    """(entity id, entity acronym, role) of the user, cached on the user object per request."""
    cached = getattr(user, "_urna_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, entity__active=True).values_list(
                "entity_id", "entity__acronym", "role"
            )
        )
        user._urna_memberships = cached
    return cached


def role_allows(role: str, action: str) -> bool:
    return role == Role.ADMIN or action in ROLE_ACTIONS.get(role, frozenset())


def is_platform_admin(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    platform = PLATFORM_ACRONYM
    return any(
        acronym == platform and role == Role.ADMIN for _, acronym, role in _memberships(user)
    )


def is_platform_staff(user: Any) -> bool:
    platform = PLATFORM_ACRONYM
    return is_platform_admin(user) or any(
        acronym == platform for _, acronym, _ in _memberships(user)
    )


def entity_ids_for(user: Any, action: str) -> set[int] | None:
    """Entities in which the user may do ``action``: a set of ids, or None for "all of them"."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if is_platform_admin(user):
        return None
    platform = PLATFORM_ACRONYM
    ids: set[int] = set()
    for entity_id, acronym, role in _memberships(user):
        if acronym == platform:
            # The platform team works across entities, within what its role allows.
            if role_allows(role, action) or (action in PLATFORM_ACTIONS and role in PLATFORM_ROLES):
                return None
        elif role_allows(role, action) and action not in PLATFORM_ACTIONS:
            ids.add(entity_id)
    return ids


def entity_ids_of(obj: Any) -> set[int]:
    """The entities an object belongs to. Models may define ``urna_entity_ids()``."""
    if obj is None:
        return set()
    method = getattr(obj, "urna_entity_ids", None)
    if callable(method):
        return {pk for pk in method() if pk is not None}
    if isinstance(obj, Entity):
        return {obj.pk}
    for attribute in ("entity_id", "owner_id"):
        value = getattr(obj, attribute, None)
        if value is not None:
            return {value}
    return set()


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May ``user`` do ``action`` on ``obj`` (or, with no object, somewhere at all)?"""
    allowed = entity_ids_for(user, action)
    if allowed is None:
        return True
    if obj is None:
        return bool(allowed)
    return bool(allowed & entity_ids_of(obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(_("No tiene permiso para esta acción."), code="forbidden")


def scope_queryset(qs: Any, user: Any, action: str, *, field: str = "entity") -> Any:
    """Filter a queryset to the objects whose ``field`` entity the user may act on."""
    allowed = entity_ids_for(user, action)
    if allowed is None:
        return qs
    return qs.filter(**{f"{field}__in": allowed})


def otp_verified(user: Any) -> bool:
    """Whether a session may act as staff: it confirmed a TOTP device at login, unless the
    deployment does not require one (``STAFF_REQUIRE_OTP``). Staff pages, the admin and the
    staff API's session all ask here."""
    if not settings.STAFF_REQUIRE_OTP:
        return True
    is_verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
    return bool(is_verified and is_verified())


def staff_required(view: Callable) -> Callable:
    """Staff pages: an active staff user, verified with TOTP when the deployment requires it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            raise DjangoPermissionDenied
        if not otp_verified(user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def roles_of(user: Any) -> Iterable[str]:
    return {role for _, _, role in _memberships(user)}


def can_hold_api_token(user: Any) -> bool:
    """Personal API tokens are for staff with a role in an (active) entity."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and _memberships(user)
    )


def can_revoke_api_token(user: Any, token: Any) -> bool:
    """A user revokes their own tokens; a platform administrator revokes anyone's."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return token.user_id == user.pk or is_platform_admin(user)
