"""Entity-scoped admin pages for every app, whichever floor it stands on.

Who may see which entity's rows is answered by ``urna.accounts.permissions``, one floor above
audit, entities and territory. Accounts registers its answer here in ``AccountsConfig.ready()``
(``register_staff_scope``); admin modules below it ask ``staff_scope`` or subclass
``EntityScopedAdmin`` instead of importing accounts. Until a scope is registered nobody sees any
entity's rows (a missing registration fails closed).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin

# (user, action) → the ids of the entities where the user may do the action, or None for all.
StaffScope = Callable[[Any, str], set[int] | None]

_scope: StaffScope | None = None


def register_staff_scope(scope: StaffScope) -> None:
    global _scope
    _scope = scope


def staff_scope(user: Any, action: str) -> set[int] | None:
    """The entities in which ``user`` may do ``action``: a set of ids, or None for all of them."""
    if _scope is None:
        return set()
    return _scope(user, action)


class EntityScopedAdmin(admin.ModelAdmin):
    """An admin list showing only the rows of the entities where the user may ``scope_action``
    (rows whose ``scope_field`` is one of them)."""

    scope_action = ""
    scope_field = "entity_id"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = staff_scope(request.user, self.scope_action)
        return qs if ids is None else qs.filter(**{f"{self.scope_field}__in": ids})
