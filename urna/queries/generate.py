"""Synthetic queries in bulk, for the demo's history and the 1,000,000-query benchmark.

Rows go in with one multi-row ``executemany`` per batch (no model instances, no per-row
events), with legal dates from the same calendar as ``terms.due_date`` (a precomputed table of
business days makes them cheap). The SLA counters are rebuilt afterwards with
``query_stats_rebuild``.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from urna.accounts.models import Membership, Role
from urna.core.channels import Channel
from urna.core.receipts import ALPHABET
from urna.entities.models import Entity
from urna.queries import terms
from urna.queries.models import TERM_DAYS, Query, QueryState, QueryTransfer

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
    managers = managers or {}
    table = BusinessDayTable(start - timedelta(days=10), max(end, today) + timedelta(days=400))
    ops = connection.ops
    seen: set[str] = set()
    span = (end - start).days + 1
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - fixed identifiers
        Query._meta.db_table, ", ".join(COLUMNS), ", ".join(["%s"] * len(COLUMNS))
    )
    transfers: list[tuple[int, int, int | None, datetime]] = []
    inserted = 0
    texts = SAMPLE_TEXTS
    while inserted < n:
        rows = []
        pending_transfers: list[tuple[str, int, int, datetime]] = []
        for _ in range(min(batch_size, n - inserted)):
            type_ = rng.choices(TYPES, TYPE_WEIGHTS)[0]
            channel = rng.choices(CHANNELS, list(CHANNEL_WEIGHTS.values()))[0]
            entity_id = rng.choice(entity_ids)
            day = start + timedelta(days=rng.randrange(span))
            filed_at = datetime.combine(
                day, time(rng.randrange(6, 22), rng.randrange(60)), tzinfo=terms.BOGOTA
            )
            term_days = TERM_DAYS[type_]
            term_start = table.receipt_date(filed_at)
            due = table.add(term_start, term_days)
            state = QueryState.NEW
            assigned = None
            answer = answered_at = taken = within = closed_at = None
            transferred_at = transferred_from = extended_at = suspended_at = None
            roll = rng.random()
            staff = managers.get(entity_id) or []
            if term_start < today and roll < 0.02 and len(entity_ids) > 1:
                # Transferred on receipt to another entity, whose term starts then.
                transferred_from = entity_id
                entity_id = rng.choice([e for e in entity_ids if e != entity_id])
                transferred_at = filed_at + timedelta(days=rng.randrange(1, 4))
                term_start = table.receipt_date(transferred_at)
                due = table.add(term_start, term_days)
                pending_transfers.append(("", transferred_from, entity_id, transferred_at))
            age_ok = table.add(term_start, min(term_days, 5)) < today
            if age_ok and rng.random() < (0.93 if due < today else 0.5):
                late = rng.random() < 0.15
                taken = (
                    rng.randrange(term_days + 1, term_days * 2 + 5)
                    if late
                    else rng.randrange(1, term_days + 1)
                )
                answered_on = table.add(term_start, taken)
                if answered_on <= today:
                    state = QueryState.ANSWERED
                    within = answered_on <= due
                    answered_at = datetime.combine(
                        answered_on, time(rng.randrange(8, 17)), tzinfo=terms.BOGOTA
                    )
                    answer = "Respuesta de la entidad a la solicitud."
                    assigned = rng.choice(staff) if staff else None
                    if rng.random() < 0.6:
                        state = QueryState.CLOSED
                        closed_at = answered_at + timedelta(days=1)
                else:
                    taken = None
            if state == QueryState.NEW:
                taken = None
                r = rng.random()
                if r < 0.55 and staff:
                    state, assigned = QueryState.ASSIGNED, rng.choice(staff)
                elif r < 0.62:
                    state = QueryState.AWAITING_CITIZEN
                    suspended_at = filed_at + timedelta(days=2)
                if state != QueryState.AWAITING_CITIZEN and rng.random() < 0.05 and due >= today:
                    extended_at = filed_at + timedelta(days=3)
                    due = table.add(due, rng.randrange(1, term_days))
            rows.append(
                (
                    "",  # receipt, set below
                    type_,
                    rng.choice(texts),
                    channel,
                    "",
                    state,
                    entity_id,
                    assigned,
                    rng.random() < 0.3,
                    ops.adapt_datetimefield_value(filed_at),
                    ops.adapt_datefield_value(term_start),
                    term_days,
                    ops.adapt_datefield_value(due),
                    answer or "",
                    ops.adapt_datetimefield_value(answered_at) if answered_at else None,
                    taken,
                    within,
                    ops.adapt_datetimefield_value(closed_at) if closed_at else None,
                    ops.adapt_datetimefield_value(transferred_at) if transferred_at else None,
                    transferred_from,
                    ops.adapt_datetimefield_value(extended_at) if extended_at else None,
                    "Volumen de solicitudes." if extended_at else "",
                    ops.adapt_datetimefield_value(suspended_at) if suspended_at else None,
                    "Indique el municipio y la vereda." if suspended_at else "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    ops.adapt_datetimefield_value(filed_at),
                    ops.adapt_datetimefield_value(filed_at),
                )
            )
        receipts = []
        finished = []
        for row in rows:
            filed_year = int(str(row[9])[:4])
            receipt = _receipt(rng, filed_year, seen)
            receipts.append(receipt)
            finished.append((receipt, *row[1:]))
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY is an order of magnitude faster than INSERTs on PostgreSQL.
                copy_sql = f"COPY {Query._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN"
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in finished:
                        copy.write_row(row)
            else:
                cursor.executemany(sql, finished)
        if pending_transfers:
            transferred_receipts = [
                receipt
                for receipt, row in zip(receipts, finished, strict=True)
                if row[19] is not None
            ]
            ids = dict(
                Query.objects.filter(receipt__in=transferred_receipts).values_list("receipt", "id")
            )
            for receipt, (_, from_id, to_id, at) in zip(
                transferred_receipts, pending_transfers, strict=True
            ):
                transfers.append((ids[receipt], from_id, to_id, at))
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
