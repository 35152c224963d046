"""Reads of the queries workflow: the managers' inbox, the citizen's status, public answers and
the SLA indicators (from the monthly counters the services maintain)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from urna.accounts import permissions
from urna.accounts.models import Role, User
from urna.core.channels import Channel
from urna.core.errors import InvalidInput, NotFound
from urna.core.privacy import mask_personal_data
from urna.core.text import search_normalise
from urna.entities.models import Entity
from urna.queries import terms
from urna.queries.models import (
    CONFIGURABLE_TYPES,
    MAX_EXTENSION_DAYS,
    OPEN_STATES,
    RUNNING_STATES,
    TERM_DAYS,
    AnswerTemplate,
    EntityTerm,
    Query,
    QueryDaysStat,
    QueryEvent,
    QueryStat,
    QueryState,
    QueryType,
)

INBOX_PAGE = 50


@dataclass(frozen=True)
class InboxFilters:
    state: str = "open"  # a QueryState, "open" (default), "overdue" or "all"
    type: str = ""
    channel: str = ""
    due_within: int | None = None  # business days
    mine: bool = False
    entity_id: int | None = None
    receipt: str = ""


@dataclass
class InboxPage:
    items: list[Query]
    next_cursor: str | None
    filters: InboxFilters
    today: date = field(default_factory=terms.local_today)


def _cursor_parse(cursor: str | None) -> tuple[date, int] | None:
    if not cursor:
        return None
    try:
        day, _, pk = cursor.partition("_")
        return date.fromisoformat(day), int(pk)
    except ValueError as exc:
        raise InvalidInput("cursor", field="cursor") from exc


def query_inbox(
    *, user: Any, filters: InboxFilters, cursor: str | None = None, limit: int = INBOX_PAGE
) -> InboxPage:
    """The queries a manager may see, by due date then id, a page at a time (keyset: constant
    cost whatever the page). Scoped to the user's entities; the platform team sees all."""
    today = terms.local_today()
    qs = permissions.scope_queryset(Query.objects.all(), user, "query.view")
    if filters.entity_id:
        qs = qs.filter(entity_id=filters.entity_id)
    states: tuple | None = None
    if filters.state == "open":
        states = OPEN_STATES
    elif filters.state == "overdue":
        states = RUNNING_STATES
        qs = qs.filter(due_date__lt=today)
    elif filters.state in QueryState.values:
        states = (filters.state,)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.due_within is not None:
        states = tuple(s for s in (states or RUNNING_STATES) if s in RUNNING_STATES)
        qs = qs.filter(due_date__lte=terms.add_business_days(today, max(0, filters.due_within)))
    if filters.mine:
        qs = qs.filter(assigned_to=user)
    if filters.receipt:
        qs = qs.filter(receipt=filters.receipt.strip().upper())
    position = _cursor_parse(cursor)
    if position is not None:
        day, pk = position
        qs = qs.filter(Q(due_date__gt=day) | Q(due_date=day, id__gt=pk))
    qs = qs.select_related("entity", "assigned_to").only(
        "id", "receipt", "type", "channel", "state", "due_date", "filed_at", "extended_at",
        "entity__acronym", "entity__name", "assigned_to__username", "text",
    )  # fmt: skip
    # One ordered index scan per state, merged here, instead of sorting every open query of
    # the platform (an IN over states defeats the due-date order of the indexes).
    parts = [qs.filter(state=state) for state in states] if states else [qs]
    rows = sorted(
        (row for part in parts for row in part.order_by("due_date", "id")[: limit + 1]),
        key=lambda row: (row.due_date, row.pk),
    )[: limit + 1]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = f"{last.due_date.isoformat()}_{last.pk}"
    return InboxPage(items=rows, next_cursor=next_cursor, filters=filters, today=today)


def query_for_staff(*, user: Any, pk: int) -> Query:
    """One query with what the workspace shows; NotFound when out of the user's scope (so a
    manager cannot even learn that another entity's query exists)."""
    qs = permissions.scope_queryset(Query.objects.all(), user, "query.view")
    query = (
        qs.select_related(
            "entity", "assigned_to", "contact", "municipality__department", "transferred_from"
        )
        .filter(pk=pk)
        .first()
    )
    if query is None:
        raise NotFound("")
    return query


def query_history(query: Query, *, public_only: bool = False) -> QuerySet[QueryEvent]:
    events = query.events.select_related("actor")
    return events.filter(public=True) if public_only else events


def query_by_receipt(receipt: str) -> Query | None:
    return Query.objects.select_related("entity").filter(receipt=receipt).first()


def query_get_by_receipt(receipt: str) -> Query:
    query = query_by_receipt(receipt)
    if query is None:
        raise NotFound(_("No encontramos una solicitud con ese recibo."))
    return query


def term_days_for(*, type: str, entity: Any = None) -> int:
    """The term of a query type at an entity (its own term for complaints, claims, suggestions
    and reports when it configured one)."""
    if entity is not None and type in CONFIGURABLE_TYPES:
        own = (
            EntityTerm.objects.filter(entity=entity, type=type)
            .values_list("business_days", flat=True)
            .first()
        )
        if own:
            return own
    return TERM_DAYS[type]


def extension_limit(query: Query) -> date:
    """The latest date an extension may set (Ley 1755 art. 14 parágrafo: twice the term;
    Ley 1581: 5 or 8 more business days)."""
    return terms.add_business_days(
        query.term_start, query.term_days + MAX_EXTENSION_DAYS[query.type], entity=query.entity_id
    )


def publication_draft(query: Query) -> tuple[str, str]:
    """The question and answer with personal data removed, as a starting point for publishing."""
    names = [query.contact.name] if query.contact_id and query.contact.name else []
    return (
        mask_personal_data(query.text, names=names),
        mask_personal_data(query.answer, names=names),
    )


def answer_templates_for(entity_id: int | None) -> QuerySet[AnswerTemplate]:
    return AnswerTemplate.objects.filter(Q(entity_id=entity_id) | Q(entity__isnull=True))


def managers_of(entity_id: int) -> QuerySet:
    return (
        User.objects.filter(
            is_active=True,
            memberships__entity_id=entity_id,
            memberships__role__in=[Role.MANAGER, Role.ADMIN],
        )
        .distinct()
        .order_by("username")
    )


# --- public questions and answers ---------------------------------------------------------------


def qa_search(*, q: str = "", entity_id: int | None = None) -> QuerySet[Query]:
    """Published questions and answers, newest first; ``q`` searches them in Spanish (full-text
    search on PostgreSQL, an accent-insensitive match on the normalised column on SQLite)."""
    qs = Query.objects.published().select_related("entity")
    if entity_id:
        qs = qs.filter(entity_id=entity_id)
    q = (q or "").strip()[:200]
    if q:
        if connection.vendor == "postgresql":
            vector = SearchVector("public_question", weight="A", config="spanish") + SearchVector(
                "public_answer", weight="B", config="spanish"
            )
            query = SearchQuery(q, config="spanish", search_type="websearch")
            return (
                qs.annotate(rank=SearchRank(vector, query))
                .filter(rank__gt=0)
                .order_by("-rank", "-published_at")
            )
        for word in search_normalise(q).split()[:8]:
            qs = qs.filter(search_text__contains=word)
    return qs.order_by("-published_at", "-id")


# --- SLA indicators -----------------------------------------------------------------------------


@dataclass
class SlaFigures:
    scope: int  # entity id, 0 for the whole platform
    received: int = 0
    answered: int = 0
    answered_within_term: int = 0
    transferred: int = 0
    overdue_now: int = 0
    median_days: float | None = None
    p90_days: float | None = None
    name: str = ""
    acronym: str = ""

    @property
    def within_term_pct(self) -> float | None:
        if not self.answered:
            return None
        return round(100 * self.answered_within_term / self.answered, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.scope or None,
            "entity": self.acronym or None,
            "entity_name": self.name or None,
            "received": self.received,
            "answered": self.answered,
            "answered_within_term": self.answered_within_term,
            "answered_within_term_pct": self.within_term_pct,
            "median_business_days": self.median_days,
            "p90_business_days": self.p90_days,
            "overdue_now": self.overdue_now,
            "transferred": self.transferred,
        }


def _period(year: int, month: int | None) -> Q:
    if month:
        return Q(month=date(year, month, 1))
    return Q(month__gte=date(year, 1, 1), month__lte=date(year, 12, 1))


def percentile(histogram: list[tuple[int, int]], fraction: float) -> float | None:
    """Nearest-rank percentile of a histogram [(value, count), …]."""
    total = sum(count for _, count in histogram)
    if not total:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for value, count in sorted(histogram):
        seen += count
        if seen >= rank:
            return float(value)
    return float(histogram[-1][0])


def overdue_counts(*, today: date | None = None) -> dict[int, int]:
    """Overdue queries now, per entity id (0: all of them, triage included)."""
    today = today or terms.local_today()
    rows = (
        Query.objects.filter(state__in=RUNNING_STATES, due_date__lt=today)
        .values("entity_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["entity_id"] or 0: row["n"] for row in rows}
    counts[0] = sum(counts.values())
    return counts


def sla_figures(
    *,
    year: int,
    month: int | None = None,
    scopes: list[int] | None = None,
    dim: str = "all",
    value: str = "",
) -> dict[int, SlaFigures]:
    """SLA figures per scope (entity id; 0 = platform) for a year or one month, optionally for
    one query type or channel (``dim`` "type"/"channel", ``value``)."""
    if dim not in ("all", "type", "channel"):
        raise InvalidInput("dim", field="dim")
    base = QueryStat.objects.filter(_period(year, month), dim=dim, value=value)
    days_base = QueryDaysStat.objects.filter(_period(year, month), dim=dim, value=value)
    if scopes is not None:
        base = base.filter(scope__in=scopes)
        days_base = days_base.filter(scope__in=scopes)
    result: dict[int, SlaFigures] = {}
    for row in (
        base.values("scope")
        .annotate(
            r=Sum("received"),
            a=Sum("answered"),
            w=Sum("answered_within_term"),
            t=Sum("transferred"),
        )
        .order_by()
    ):
        result[row["scope"]] = SlaFigures(
            scope=row["scope"],
            received=row["r"] or 0,
            answered=row["a"] or 0,
            answered_within_term=row["w"] or 0,
            transferred=row["t"] or 0,
        )
    histograms: dict[int, list[tuple[int, int]]] = {}
    for row in days_base.values("scope", "days").annotate(n=Sum("count")).order_by():
        histograms.setdefault(row["scope"], []).append((row["days"], row["n"]))
    for scope, histogram in histograms.items():
        figures = result.setdefault(scope, SlaFigures(scope=scope))
        figures.median_days = percentile(histogram, 0.5)
        figures.p90_days = percentile(histogram, 0.9)
    return result


def sla_board(
    *, user: Any, year: int, month: int | None = None, today: date | None = None
) -> tuple[SlaFigures | None, list[SlaFigures]]:
    """The SLA board: the platform row (platform team only) and one row per entity the user may
    see indicators of, with the overdue count now."""
    allowed = permissions.entity_ids_for(user, "query.view")
    scopes = None if allowed is None else sorted(allowed)
    figures = sla_figures(year=year, month=month, scopes=None if scopes is None else [*scopes])
    overdue = overdue_counts(today=today)
    entities = Entity.objects.active().exclude(kind=Entity.Kind.PLATFORM)
    if scopes is not None:
        entities = entities.filter(pk__in=scopes)
    else:
        with_data = {scope for scope in figures if scope} | {pk for pk in overdue if pk}
        entities = entities.filter(Q(level=Entity.Level.NATIONAL) | Q(pk__in=with_data))
    rows = []
    for entity in entities.only("id", "name", "acronym").order_by("name"):
        row = figures.get(entity.pk) or SlaFigures(scope=entity.pk)
        row.name, row.acronym = entity.name, entity.acronym
        row.overdue_now = overdue.get(entity.pk, 0)
        rows.append(row)
    total = None
    if scopes is None:
        total = figures.get(0) or SlaFigures(scope=0)
        total.overdue_now = overdue.get(0, 0)
    return total, rows


def sla_breakdown(
    *, year: int, month: int | None = None, scope: int = 0, dim: str = "type"
) -> list[tuple[str, SlaFigures]]:
    """SLA figures of one scope by query type or by channel, with their Spanish labels (two
    grouped queries, whatever the number of values)."""
    labels = dict(QueryType.choices if dim == "type" else Channel.choices)
    period = _period(year, month)
    figures: dict[str, SlaFigures] = {}
    rows = (
        QueryStat.objects.filter(period, scope=scope, dim=dim)
        .values("value")
        .annotate(
            r=Sum("received"),
            a=Sum("answered"),
            w=Sum("answered_within_term"),
            t=Sum("transferred"),
        )
        .order_by()
    )
    for row in rows:
        figures[row["value"]] = SlaFigures(
            scope=scope,
            received=row["r"] or 0,
            answered=row["a"] or 0,
            answered_within_term=row["w"] or 0,
            transferred=row["t"] or 0,
        )
    histograms: dict[str, list[tuple[int, int]]] = {}
    days = (
        QueryDaysStat.objects.filter(period, scope=scope, dim=dim)
        .values("value", "days")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in days:
        histograms.setdefault(row["value"], []).append((row["days"], row["n"]))
    for value, histogram in histograms.items():
        item = figures.setdefault(value, SlaFigures(scope=scope))
        item.median_days = percentile(histogram, 0.5)
        item.p90_days = percentile(histogram, 0.9)
    return [
        (str(label), figures[value])
        for value, label in labels.items()
        if value in figures
        and (figures[value].received or figures[value].answered or figures[value].transferred)
    ]


def sla_monthly(*, year: int, scope: int = 0) -> list[tuple[date, SlaFigures]]:
    """One scope's figures month by month of a year (open data and the annual report)."""
    rows = []
    for month in range(1, 13):
        row = sla_figures(year=year, month=month, scopes=[scope]).get(scope)
        if row is not None:
            rows.append((date(year, month, 1), row))
    return rows


def query_receipt_texts(query: Query) -> dict[str, str]:
    """The entity's answer and completion request as the receipt shows them (``/r/<receipt>``
    and ``GET /api/v1/queries/{receipt}``): anyone holding the receipt reads them, so personal
    data is masked, the contact's own name included. The citizen gets the whole answer by the
    channel they left; staff see it in the inbox."""
    names = [query.contact.name] if query.contact_id and query.contact.name else []
    return {
        "answer": mask_personal_data(query.answer, names=names),
        "completion_request": mask_personal_data(query.completion_request, names=names),
    }
