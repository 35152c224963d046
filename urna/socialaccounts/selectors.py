"""Reads of the social-accounts registry: the indicators' figures, the public directory, the
check "is this account official?" and the platform team's advice."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum

from urna.core.errors import InvalidInput
from urna.core.text import search_normalise
from urna.entities.models import Entity
from urna.socialaccounts.handles import (
    PATTERNS,
    handle_normalise,
    network_of_host,
    profile_parse,
    profile_raw,
    url_key,
    url_split,
)
from urna.socialaccounts.models import Network, SocialAccount, SocialFigure

ENTITIES_SHOWN = 200
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


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    network: str = ""
    level: str = ""
    department: str = ""
    entity: int | None = None


def latest_figures() -> dict[str, Subquery]:
    """Annotations of an account's latest figure: its date and followers."""
    latest = SocialFigure.objects.filter(account=OuterRef("pk")).order_by("-date")
    return {
        "last_figure_on": Subquery(latest.values("date")[:1]),
        "last_followers": Subquery(latest.values("followers")[:1]),
    }


def directory(filters: DirectoryFilters) -> QuerySet[SocialAccount]:
    """The public directory: accounts not waiting for review, filtered, with their entity and
    latest followers; every word of ``q`` must appear in the account's name, handle or entity
    (accents and case ignored)."""
    qs = SocialAccount.objects.public().select_related("entity", "entity__department")
    for word in search_normalise(filters.q).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    if filters.network:
        qs = qs.filter(network=filters.network)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.department:
        qs = qs.filter(entity__department_id=filters.department)
    if filters.entity:
        qs = qs.filter(entity_id=filters.entity)
    return qs.annotate(**latest_figures()).order_by("entity__name", "network", "handle")


def staff_accounts(
    accounts: QuerySet[SocialAccount], *, q: str = "", network: str = "", status: str = ""
) -> QuerySet[SocialAccount]:
    """The staff list: ``accounts`` (already scoped to the user's entities) searched like the
    directory, by network and status, with the latest figure."""
    for word in search_normalise(q).split()[:8]:
        accounts = accounts.filter(search_text__contains=word)
    if network:
        accounts = accounts.filter(network=network)
    if status:
        accounts = accounts.filter(status=status)
    return accounts.annotate(**latest_figures()).order_by("entity__name", "network", "handle")


def directory_entities() -> QuerySet[Entity]:
    """The entities with an account in the public directory (the entity filter's choices)."""
    listed = SocialAccount.objects.public().filter(entity=OuterRef("pk"))
    return Entity.objects.filter(Exists(listed)).order_by("name")


@dataclass
class Lookup:
    """The answer to "is this account official?": what was understood of the text and the
    registry's accounts that match it (several when a bare @handle exists on several
    networks)."""

    text: str
    understood: bool
    network: str = ""
    handle: str = ""
    accounts: list[SocialAccount] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.accounts)


def account_lookup(text: str) -> Lookup:
    """Look a pasted profile address or @handle up in the registry (accounts under review are
    not official yet and are not found; closed ones are, and say so)."""
    text = (text or "").strip()[:300]
    public = (
        SocialAccount.objects.public()
        .select_related("entity", "entity__department")
        .annotate(**latest_figures())
    )
    parsed = profile_parse(text)
    if parsed is not None:
        accounts = public.filter(network=parsed.network, handle=parsed.handle)
        return Lookup(text, True, parsed.network, parsed.handle, list(accounts))
    raw = profile_raw(text)
    if raw is not None:  # a handle the network would not allow: no account can have it
        return Lookup(text, True, raw[0], raw[1].lstrip("@"), [])
    found: list[SocialAccount] = []
    parts = None if text.startswith("@") else url_split(text)
    if parts is not None and network_of_host(parts.hostname or "") is not None:
        return Lookup(text, False)  # a network's page that names no account
    if parts is not None:
        key = url_key(text)
        found = [a for a in public.filter(network=Network.OTHER) if url_key(a.profile_url) == key]
        if found or "/" in text:
            return Lookup(text, True, Network.OTHER, "", found)
    handle = text.lstrip("@")
    candidates = Q()
    for network in PATTERNS:
        try:
            candidates |= Q(network=network, handle=handle_normalise(network, handle))
        except InvalidInput:
            continue  # not a handle on that network
    if not handle or not candidates:
        return Lookup(text, False)
    return Lookup(text, True, "", handle, list(public.filter(candidates)))


def account_detail(pk: int) -> SocialAccount | None:
    """One public account with its entity and its latest figures (newest first)."""
    return (
        SocialAccount.objects.public()
        .select_related("entity", "entity__department")
        .filter(pk=pk)
        .first()
    )


def account_figures(account: SocialAccount, *, limit: int = 24) -> list[SocialFigure]:
    return list(account.figures.order_by("-date")[:limit])


@dataclass
class Advice:
    dormant: list[SocialAccount]
    unverified: list[SocialAccount]
    stale: list[SocialAccount]
    without_account: list[Entity]
    without_account_total: int


def advice(*, today: date, dormant_days: int = 90, stale_days: int = 45) -> Advice:
    """The platform team's advice to entities, over the accounts not closed:

    - dormant: no post in the last ``dormant_days`` (no figure with posts > 0 since then, or
      no figure at all);
    - unverified: the network has not verified the account;
    - stale: the latest figure is older than ``stale_days`` (or there is none);
    - entities (active, not the platform's own) without any account in the registry: the
      first ``ENTITIES_SHOWN`` (national ones first) and how many in all.
    """
    open_accounts = (
        SocialAccount.objects.exclude(status=SocialAccount.Status.CLOSED)
        .select_related("entity")
        .annotate(
            last_post_on=Max("figures__date", filter=Q(figures__posts__gt=0)),
            last_figure_on=Max("figures__date"),
        )
        .order_by("entity__name", "network", "handle")
    )
    accounts = list(open_accounts)
    quiet_since = today - timedelta(days=dormant_days)
    stale_since = today - timedelta(days=stale_days)
    listed = SocialAccount.objects.filter(entity=OuterRef("pk"))
    without = Entity.objects.active().exclude(kind=Entity.Kind.PLATFORM).exclude(Exists(listed))
    return Advice(
        dormant=[a for a in accounts if a.last_post_on is None or a.last_post_on < quiet_since],
        unverified=[a for a in accounts if not a.verified],
        stale=[a for a in accounts if a.last_figure_on is None or a.last_figure_on < stale_since],
        without_account=list(without.order_by("level", "name")[:ENTITIES_SHOWN]),
        without_account_total=without.count(),
    )
