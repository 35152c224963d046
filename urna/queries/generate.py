"""Synthetic queries in bulk, for the demo's history and the 1,000,000-query benchmark.

Rows go in with one multi-row ``executemany`` per batch (no model instances, no per-row
events), with legal dates from the same calendar as ``terms.due_date`` (a precomputed table of
business days makes them cheap). The SLA counters are rebuilt afterwards with
``query_stats_rebuild``. The demo then gives its rows the history and audit entries the
services would have written (``history_write``); the benchmark does not need them.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from urna.accounts.models import Membership, Role, User
from urna.audit.services import audit_record_many
from urna.core.channels import Channel
from urna.core.receipts import ALPHABET
from urna.entities.models import Entity
from urna.queries import terms
from urna.queries.models import TERM_DAYS, Query, QueryEvent, QueryState, QueryTransfer

TYPES = list(TERM_DAYS)
TYPE_WEIGHTS = [40, 15, 8, 10, 12, 5, 6, 2, 2]
# How often each channel brings a query (social networks told apart since issue #13).
CHANNEL_WEIGHTS: dict[str, int] = {
    Channel.WEB.value: 45,
    Channel.API.value: 5,
    Channel.SMS.value: 12,
    Channel.USSD.value: 4,
    Channel.WHATSAPP.value: 14,
    Channel.FACEBOOK.value: 3,
    Channel.INSTAGRAM.value: 1,
    Channel.X.value: 1,
    Channel.EMAIL.value: 8,
    Channel.PHONE.value: 4,
    Channel.RADIO.value: 2,
    Channel.IN_PERSON.value: 1,
}
CHANNELS = list(CHANNEL_WEIGHTS)
SAMPLE_TEXTS = [
    "Solicito información sobre los requisitos del subsidio para pequeños productores.",
    "Quiero saber cuándo abren la convocatoria de becas para estudiantes de zonas rurales.",
    "Presento queja porque no me han respondido la solicitud de conexión a internet.",
    "Reclamo por el cobro de un servicio que nunca recibí en el centro de salud.",
    "Sugiero ampliar el horario de atención de la oficina regional los sábados.",
    "Denuncio el mal estado de la vía terciaria que conecta la vereda con el municipio.",
    "Pido copia del contrato de mantenimiento del polideportivo municipal.",
    "¿Cuál es el concepto de la entidad sobre el uso de agroquímicos cerca de fuentes de agua?",
]


class BusinessDayTable:
    """Business days of a national calendar between two dates, for O(log n) term arithmetic
    (the same answers as ``terms.Calendar`` without its day-by-day loop)."""

    def __init__(self, start: date, end: date):
        calendar = terms.Calendar(None)
        self.days: list[date] = []
        day = start
        while day <= end:
            if calendar.is_business_day(day):
                self.days.append(day)
            day += timedelta(days=1)

    def receipt_date(self, moment: datetime) -> date:
        local = moment.astimezone(terms.BOGOTA)
        day = local.date()
        i = bisect.bisect_left(self.days, day)
        if self.days[i] == day and local.time() < terms.FILING_CUTOFF:
            return day
        return self.days[bisect.bisect_right(self.days, day)]

    def add(self, start: date, n: int) -> date:
        return self.days[bisect.bisect_right(self.days, start) + n - 1] if n else start


def _receipt(rng: random.Random, year: int, seen: set[str]) -> str:
    while True:
        code = f"PQ-{year}-" + "".join(rng.choices(ALPHABET, k=7))
        if code not in seen:
            seen.add(code)
            return code


COLUMNS = [
    "receipt",
    "type",
    "text",
    "channel",
    "reply_provider",
    "state",
    "entity_id",
    "assigned_to_id",
    "publication_consent",
    "filed_at",
    "term_start",
    "term_days",
    "due_date",
    "answer",
    "answered_at",
    "business_days_taken",
    "answered_within_term",
    "closed_at",
    "transferred_at",
    "transferred_from_id",
    "extended_at",
    "extension_reason",
    "suspended_at",
    "completion_request",
    "external_authority",
    "close_reason",
    "public_question",
    "public_answer",
    "search_text",
    "created_at",
    "updated_at",
]


@dataclass(frozen=True)
class _Plan:
    """What every drawn query shares: where, when and by whom it may be filed."""

    entity_ids: list[int]
    managers: dict[int, list[int]]
    start: date
    span: int  # days between the first and the last filing day
    today: date
    table: BusinessDayTable


@dataclass
class _Draft:
    """One synthetic query as it is drawn, before it becomes a row."""

    type_: str
    channel: str
    entity_id: int
    filed_at: datetime
    term_days: int
    term_start: date
    due: date
    state: str = QueryState.NEW
    assigned: int | None = None
    answer: str | None = None
    answered_at: datetime | None = None
    taken: int | None = None
    within: bool | None = None
    closed_at: datetime | None = None
    transferred_at: datetime | None = None
    transferred_from: int | None = None
    extended_at: datetime | None = None
    suspended_at: datetime | None = None


# The draws below call the random generator in a fixed order: a seed always gives the same
# queries.


def _draw_filing(rng: random.Random, plan: _Plan) -> _Draft:
    type_ = rng.choices(TYPES, TYPE_WEIGHTS)[0]
    channel = rng.choices(CHANNELS, list(CHANNEL_WEIGHTS.values()))[0]
    entity_id = rng.choice(plan.entity_ids)
    day = plan.start + timedelta(days=rng.randrange(plan.span))
    filed_at = datetime.combine(
        day, time(rng.randrange(6, 22), rng.randrange(60)), tzinfo=terms.BOGOTA
    )
    term_days = TERM_DAYS[type_]
    term_start = plan.table.receipt_date(filed_at)
    due = plan.table.add(term_start, term_days)
    return _Draft(type_, channel, entity_id, filed_at, term_days, term_start, due)


def _draw_transfer(rng: random.Random, d: _Draft, plan: _Plan, roll: float) -> tuple | None:
    """About 2 % are transferred on receipt to another entity, whose term starts then."""
    if not (d.term_start < plan.today and roll < 0.02 and len(plan.entity_ids) > 1):
        return None
    d.transferred_from = d.entity_id
    d.entity_id = rng.choice([e for e in plan.entity_ids if e != d.entity_id])
    d.transferred_at = d.filed_at + timedelta(days=rng.randrange(1, 4))
    d.term_start = plan.table.receipt_date(d.transferred_at)
    d.due = plan.table.add(d.term_start, d.term_days)
    return ("", d.transferred_from, d.entity_id, d.transferred_at)


def _draw_answer(rng: random.Random, d: _Draft, plan: _Plan, staff: list[int]) -> None:
    """Older queries are mostly answered (about 85 % within term), many then closed."""
    table, today = plan.table, plan.today
    age_ok = table.add(d.term_start, min(d.term_days, 5)) < today
    if not (age_ok and rng.random() < (0.93 if d.due < today else 0.5)):
        return
    late = rng.random() < 0.15
    d.taken = (
        rng.randrange(d.term_days + 1, d.term_days * 2 + 5)
        if late
        else rng.randrange(1, d.term_days + 1)
    )
    answered_on = table.add(d.term_start, d.taken)
    if answered_on > today:
        d.taken = None
        return
    d.state = QueryState.ANSWERED
    d.within = answered_on <= d.due
    d.answered_at = datetime.combine(answered_on, time(rng.randrange(8, 17)), tzinfo=terms.BOGOTA)
    d.answer = "Respuesta de la entidad a la solicitud."
    d.assigned = rng.choice(staff) if staff else None
    if rng.random() < 0.6:
        d.state = QueryState.CLOSED
        d.closed_at = d.answered_at + timedelta(days=1)


def _draw_open_state(rng: random.Random, d: _Draft, plan: _Plan, staff: list[int]) -> None:
    """An unanswered query is new, assigned or waiting for the citizen; a few were extended."""
    d.taken = None
    r = rng.random()
    if r < 0.55 and staff:
        d.state, d.assigned = QueryState.ASSIGNED, rng.choice(staff)
    elif r < 0.62:
        d.state = QueryState.AWAITING_CITIZEN
        d.suspended_at = d.filed_at + timedelta(days=2)
    if d.state != QueryState.AWAITING_CITIZEN and rng.random() < 0.05 and d.due >= plan.today:
        d.extended_at = d.filed_at + timedelta(days=3)
        d.due = plan.table.add(d.due, rng.randrange(1, d.term_days))


def _row(rng: random.Random, d: _Draft) -> tuple:
    """The draft as the COLUMNS of an INSERT (the receipt is set once the batch is drawn)."""
    ops = connection.ops

    def moment(value: datetime | None) -> Any:
        return ops.adapt_datetimefield_value(value) if value else None

    return (
        "",
        d.type_,
        rng.choice(SAMPLE_TEXTS),
        d.channel,
        "",
        d.state,
        d.entity_id,
        d.assigned,
        rng.random() < 0.3,
        ops.adapt_datetimefield_value(d.filed_at),
        ops.adapt_datefield_value(d.term_start),
        d.term_days,
        ops.adapt_datefield_value(d.due),
        d.answer or "",
        moment(d.answered_at),
        d.taken,
        d.within,
        moment(d.closed_at),
        moment(d.transferred_at),
        d.transferred_from,
        moment(d.extended_at),
        "Volumen de solicitudes." if d.extended_at else "",
        moment(d.suspended_at),
        "Indique el municipio y la vereda." if d.suspended_at else "",
        "",
        "",
        "",
        "",
        "",
        ops.adapt_datetimefield_value(d.filed_at),
        ops.adapt_datetimefield_value(d.filed_at),
    )


def _draw_query(rng: random.Random, plan: _Plan) -> tuple[tuple, tuple | None]:
    """One query's row and, when it was transferred, its pending transfer."""
    d = _draw_filing(rng, plan)
    roll = rng.random()
    staff = plan.managers.get(d.entity_id) or []
    pending = _draw_transfer(rng, d, plan, roll)
    _draw_answer(rng, d, plan, staff)
    if d.state == QueryState.NEW:
        _draw_open_state(rng, d, plan, staff)
    return _row(rng, d), pending


def _write_batch(rows: list[tuple]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is an order of magnitude faster than INSERTs on PostgreSQL.
            copy_sql = f"COPY {Query._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - fixed identifiers
                Query._meta.db_table, ", ".join(COLUMNS), ", ".join(["%s"] * len(COLUMNS))
            )
            cursor.executemany(sql, rows)


def _batch_transfers(rows: list[tuple], pending: list[tuple]) -> list[tuple]:
    """(query id, from, to, at) of the batch's transfers, once its rows have ids."""
    receipts = [row[0] for row in rows if row[19] is not None]
    ids = dict(Query.objects.filter(receipt__in=receipts).values_list("receipt", "id"))
    return [
        (ids[receipt], from_id, to_id, at)
        for receipt, (_, from_id, to_id, at) in zip(receipts, pending, strict=True)
    ]


def generate_queries(
    *,
    n: int,
    entity_ids: list[int],
    managers: dict[int, list[int]] | None = None,
    seed: int = 1,
    start: date,
    end: date,
    today: date | None = None,
    batch_size: int = 20000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert ``n`` queries filed between ``start`` and ``end`` across ``entity_ids``. Older
    queries are mostly answered (about 85 % within term) or closed; recent ones are open in
    every state, some overdue; about 2 % were transferred. Returns the number inserted."""
    rng = random.Random(seed)
    today = today or terms.local_today()
    plan = _Plan(
        entity_ids=entity_ids,
        managers=managers or {},
        start=start,
        span=(end - start).days + 1,
        today=today,
        table=BusinessDayTable(start - timedelta(days=10), max(end, today) + timedelta(days=400)),
    )
    seen: set[str] = set()
    transfers: list[tuple[int, int, int | None, datetime]] = []
    inserted = 0
    while inserted < n:
        drawn = [_draw_query(rng, plan) for _ in range(min(batch_size, n - inserted))]
        rows = [(_receipt(rng, int(str(row[9])[:4]), seen), *row[1:]) for row, _pending in drawn]
        _write_batch(rows)
        pending = [p for _, p in drawn if p is not None]
        if pending:
            transfers.extend(_batch_transfers(rows, pending))
        inserted += len(rows)
        if progress:
            progress(inserted)
    QueryTransfer.objects.bulk_create(
        [
            QueryTransfer(
                query_id=qid,
                from_entity_id=from_id,
                to_entity_id=to_id,
                reason="Competencia.",
                at=at,
            )
            for qid, from_id, to_id, at in transfers
        ],
        batch_size=5000,
    )
    return inserted


def _history(q: Query, names: dict[int, str]) -> list[tuple[str, datetime, str, int | None, str]]:
    """(event kind, when, text, actor id, audit action) of each step a generated row implies,
    in the order the services would have written them."""
    Kind = QueryEvent.Kind
    first_entity = q.transferred_from_id or q.entity_id
    staff = q.assigned_to_id
    steps = [(Kind.FILED, q.filed_at, "", None, "query.submit")]
    if first_entity is not None:
        steps.append((Kind.ROUTED, q.filed_at, names.get(first_entity, ""), None, ""))
    if q.transferred_at:
        steps.append(
            (Kind.TRANSFERRED, q.transferred_at, names.get(q.entity_id, ""), None, "query.transfer")
        )
    if staff is not None:
        since = q.transferred_at or q.filed_at
        steps.append((Kind.ASSIGNED, since + timedelta(hours=1), "", staff, "query.assign"))
    if q.suspended_at:
        steps.append(
            (
                Kind.COMPLETION_REQUESTED,
                q.suspended_at,
                q.completion_request,
                staff,
                "query.request_completion",
            )
        )
    if q.extended_at:
        steps.append((Kind.EXTENDED, q.extended_at, q.extension_reason, staff, "query.extend"))
    if q.answered_at:
        steps.append((Kind.ANSWERED, q.answered_at, "", staff, "query.answer"))
    if q.closed_at:
        steps.append((Kind.CLOSED, q.closed_at, "", staff, "query.close"))
    return steps


def history_write(*, queries: QuerySet[Query]) -> int:
    """Write the history (``QueryEvent``) and the audit entries of generated queries, as the
    services write them when a query is filed, transferred, assigned, suspended, extended,
    answered and closed, so a seeded query's staff page shows its steps. The events carry the
    moments the rows were given; the audit entries are written now, the moment in ``after``.
    Returns how many events."""
    queries = queries.order_by("id")
    names = dict(Entity.objects.values_list("id", "name"))
    users = {u.pk: u for u in User.objects.filter(pk__in=queries.values("assigned_to_id"))}
    ops = connection.ops
    events: list[tuple] = []
    audits: dict[tuple[str, int | None, int | None, str], list[tuple]] = {}
    for q in queries.iterator(chunk_size=2000):
        for kind, at, text, actor_id, action in _history(q, names):
            actor = users.get(actor_id) if actor_id else None
            if kind == QueryEvent.Kind.FILED:
                label = f"citizen:{q.channel}"
            else:
                label = actor.get_username() if actor else "system"
            public = kind != QueryEvent.Kind.ASSIGNED
            events.append(
                (q.pk, kind, public, text, actor_id, label, ops.adapt_datetimefield_value(at))
            )
            if not action:
                continue
            after: dict[str, Any] = {"at": at.isoformat()}
            entity_id = q.entity_id
            if action == "query.submit":
                entity_id = q.transferred_from_id or q.entity_id
                after |= {"state": QueryState.NEW, "type": q.type, "channel": q.channel}
            audits.setdefault((action, actor_id, entity_id, label), []).append((q, None, after))
    columns = ("query_id", "kind", "public", "text", "actor_id", "actor_label", "at")
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - fixed identifiers
        QueryEvent._meta.db_table, ", ".join(columns), ", ".join(["%s"] * len(columns))
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.executemany(sql, events)
        entities = Entity.objects.in_bulk({key[2] for key in audits if key[2]})
        for (action, actor_id, entity_id, label), entries in audits.items():
            audit_record_many(
                action=action,
                entries=entries,
                actor=users.get(actor_id) if actor_id else None,
                actor_label=label,
                entity=entities.get(entity_id),
            )
    return len(events)


def entities_and_managers() -> tuple[list[int], dict[int, list[int]]]:
    """The national entities (not the platform) and their response managers' ids."""
    entity_ids = list(
        Entity.objects.active()
        .national()
        .exclude(kind=Entity.Kind.PLATFORM)
        .order_by("id")
        .values_list("id", flat=True)
    )
    managers: dict[int, list[int]] = {}
    for entity_id, user_id in Membership.objects.filter(
        role=Role.MANAGER, entity_id__in=entity_ids
    ).values_list("entity_id", "user_id"):
        managers.setdefault(entity_id, []).append(user_id)
    return entity_ids, managers


def default_window(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return date(today.year - 1, 1, 1), today
