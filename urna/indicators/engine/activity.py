"""Activity figures of one year, read month by month from the tables in ``sources``.

Counts (interactions by channel, inbound and outbound traffic) come from one grouped query per
table and month; people reached are distinct over the period, so the persons of each month are
read once and gathered in sets, for the month and for the year (the year's value is not the sum
of its months). Every read is a range of ids (``spans``: the lowest and highest id of a table's
rows in a month) together with the month's time range, so no table is scanned whole.
"""

from collections import defaultdict

from django.db.models import BooleanField, CharField, Count, IntegerField, Q, Value

from urna.indicators.engine.facts import Facts, scopes_of
from urna.indicators.engine.periods import Month, period_bounds
from urna.indicators.engine.sources import ACTIVITIES, Activity

Spans = dict[str, dict[Month, tuple[int, int]]]  # source name → month → (lowest id, highest id)
PEOPLE_SCOPES = ("all", "entity", "department")


def _month_rows(activity: Activity, month: Month, span: tuple[int, int]):
    low, high = period_bounds(*month)
    stamp = activity.stamp
    return activity.rows().filter(
        **{"pk__gte": span[0], "pk__lte": span[1], f"{stamp}__gte": low, f"{stamp}__lt": high}
    )


def _annotations(activity: Activity) -> dict:
    empty = Value("", output_field=CharField())
    no = Value(False, output_field=BooleanField())
    return {
        "_channel": activity.channel,
        "_entity": activity.entity
        if activity.entity is not None
        else Value(None, output_field=IntegerField()),
        "_department": activity.department if activity.department is not None else empty,
        "_interaction": activity.interaction if activity.interaction is not None else empty,
        "_inbound": activity.inbound if activity.inbound is not None else no,
        "_campaign": activity.campaign if activity.campaign is not None else no,
    }


def _count(facts: Facts, activity: Activity, month: Month, span: tuple[int, int]) -> None:
    year, m = month
    names = list(_annotations(activity))
    rows = (
        _month_rows(activity, month, span)
        .annotate(**_annotations(activity))
        .values(*names)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        channel, n = row["_channel"] or "", row["n"]
        where = {"entity": row["_entity"], "department": row["_department"] or None}
        if row["_interaction"]:
            facts.add(row["_interaction"], year, m, n, dim=channel, **where)
            facts.add("interactions_total", year, m, n, dim=channel, **where)
        if row["_inbound"]:
            facts.add("channel_inbound", year, m, n, dim=channel, **where)
        if activity.outbound:
            facts.add("channel_outbound", year, m, n, dim=channel, **where)


class People:
    """Distinct persons per scope, for one period."""

    def __init__(self) -> None:
        self.sets: dict[tuple[str, str], set[int]] = defaultdict(set)

    def add(self, person: int, entity, department: str | None) -> None:
        for scope in scopes_of(PEOPLE_SCOPES, entity, department):
            self.sets[scope].add(person)

    def merge(self, other: "People") -> None:
        for scope, persons in other.sets.items():
            self.sets[scope] |= persons

    def put(self, facts: Facts, key: str, year: int, month: int) -> None:
        for (scope_kind, scope), persons in self.sets.items():
            facts.put(key, year, month, len(persons), scope_kind=scope_kind, scope=scope)


def _persons(
    activity: Activity, month: Month, span: tuple[int, int], reached: People, campaigns: People
) -> None:
    """Add the month's persons of one table to the month's sets (contacts as even numbers,
    accounts as odd ones, so that the two never collide)."""
    if not (activity.contact or activity.user):
        return
    annotations = _annotations(activity)
    someone = Q()
    for name in (activity.contact, activity.user):
        if name:
            someone |= Q(**{f"{name}__isnull": False})
    rows = (
        _month_rows(activity, month, span)
        .filter(someone)
        .annotate(**{k: annotations[k] for k in ("_entity", "_department", "_campaign")})
        .values_list(
            activity.contact or "pk",
            activity.user or "pk",
            "_entity",
            "_department",
            "_campaign",
        )
        .order_by()
    )
    for contact, user, entity, department, campaign in rows.iterator(chunk_size=5000):
        person = 2 * contact if activity.contact and contact is not None else 2 * user + 1
        reached.add(person, entity, department or None)
        if campaign:
            campaigns.add(person, entity, department or None)


def activity_facts(year: int, spans: Spans) -> Facts:
    """Every activity fact of ``year`` (its twelve months and the year itself)."""
    facts = Facts()
    year_reached, year_campaigns = People(), People()
    for m in range(1, 13):
        reached, campaigns = People(), People()
        for activity in ACTIVITIES:
            span = spans.get(activity.name, {}).get((year, m))
            if span is None:
                continue
            _count(facts, activity, (year, m), span)
            _persons(activity, (year, m), span, reached, campaigns)
        reached.put(facts, "people_reached", year, m)
        campaigns.put(facts, "campaigns_people_reached", year, m)
        year_reached.merge(reached)
        year_campaigns.merge(campaigns)
    year_reached.put(facts, "people_reached", year, 0)
    year_campaigns.put(facts, "campaigns_people_reached", year, 0)
    return facts
