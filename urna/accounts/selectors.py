from typing import Any

from django.db.models import QuerySet

from urna.accounts.models import Membership, Role


def memberships_for(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("entity").order_by("entity__name")


def entity_leads(*, entity_id: int) -> QuerySet:
    """Staff who receive an entity's escalations: its leads, else its administrators."""
    from urna.accounts.models import User

    leads = User.objects.filter(
        is_active=True, memberships__entity_id=entity_id, memberships__is_lead=True
    )
    if leads.exists():
        return leads.distinct()
    return User.objects.filter(
        is_active=True, memberships__entity_id=entity_id, memberships__role=Role.ADMIN
    ).distinct()
