"""Reads of the social-accounts registry: the indicators' figures, the public directory, the
check "is this account official?" and the platform team's advice."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum

from urna.socialaccounts.models import SocialAccount, SocialFigure

INDICATOR_KEYS = ("social_accounts_tracked", "social_accounts_active", "social_followers")


def indicator_figures(*, start: date, end: date) -> list[dict]:
    """The registry's figures for the indicators engine, one row per entity and key:
    ``{"entity_id", "department", "key", "value"}`` for every entity with an account listed by
    ``end``. ``department`` is the DANE code of the entity's department ("" for national ones).

    - ``social_accounts_tracked``: accounts listed by ``end`` and not closed by then.
    - ``social_accounts_active``: of those, the ones not waiting for review with a figure dated
      in ``[start, end]`` that shows posts (posts > 0, or posts unknown: the source only gave
      followers). An account's status is today's; a past period's activity is what its figures
      say, so an account dormant now still counts as active in the year it posted.
    - ``social_followers``: the sum over the tracked accounts of each one's latest followers
      figure dated on or before ``end``.

    Example accounts (``is_example``) are counted like any other: the demo's indicators are made
    of them and the demo dashboard says so.
    """
    tracked = SocialAccount.objects.tracked_at(end)
    posted = SocialFigure.objects.filter(
        account=OuterRef("pk"), date__gte=start, date__lte=end
    ).filter(Q(posts__gt=0) | Q(posts__isnull=True))
    latest = SocialFigure.objects.filter(account=OuterRef("pk"), date__lte=end).order_by("-date")
    per_entity = (
        tracked.annotate(
            posted=Exists(posted), last_followers=Subquery(latest.values("followers")[:1])
        )
        .values("entity_id")
        .annotate(
            tracked=Count("id"),
            active=Count("id", filter=Q(posted=True) & ~Q(status=SocialAccount.Status.PENDING)),
            followers=Sum("last_followers"),
        )
        .order_by()
    )
    counts = {row["entity_id"]: row for row in per_entity}
    listed = (
        SocialAccount.objects.filter(listed_on__lte=end)
        .values_list("entity_id", "entity__department_id")
        .distinct()
        .order_by("entity_id")
    )
    rows = []
    for entity_id, department in listed:
        row = counts.get(entity_id, {})
        values = (row.get("tracked", 0), row.get("active", 0), row.get("followers") or 0)
        rows.extend(
            {"entity_id": entity_id, "department": department or "", "key": key, "value": value}
            for key, value in zip(INDICATOR_KEYS, values, strict=True)
        )
    return rows
