"""Legal terms of citizen queries in Colombian business days (Ley 1755 de 2015, Ley 1581 de 2012).

Every due date Urna shows comes from ``due_date`` below; nothing else adds days to a date.

Rules, as applied here:

* Business days exclude Saturdays, Sundays, Colombia's public holidays as the ``holidays``
  package computes them (country ``CO``, including the Ley 51 de 1983 "Ley Emiliani" moves to
  Monday) and the extra non-working days an entity declares (``EntityNonWorkingDay``).
* A query is *received* on its filing date. A query filed on a non-business day, or on a business
  day after ``FILING_CUTOFF`` (17:00, Bogotá time), is deemed received on the next business day,
  as entities' "radicación" rules do for electronic channels.
* The term starts the business day after receipt: a 15-day term ends on the 15th business day
  after the receipt date (``add_business_days(receipt, 15)``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from urna.queries.models import EntityNonWorkingDay

BOGOTA = ZoneInfo("America/Bogota")
# Filings after this local time count as received the next business day.
FILING_CUTOFF = time(17, 0)
# A safety bound for loops: no term in Colombian law is anywhere near this long.
_MAX_SPAN_DAYS = 3660


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("CO", years=year).keys())


def national_holidays(year: int) -> frozenset[date]:
    """Colombia's public holidays of a year (after the Ley Emiliani moves)."""
    return _national_holidays(year)


def _entity_id(entity: Any) -> int | None:
    if entity is None:
        return None
    if isinstance(entity, int):
        return entity
    return entity.pk


class Calendar:
    """The working calendar of one entity (or the national one when ``entity`` is None).

    Loads the entity's extra non-working days once; reuse one Calendar for many computations
    (the data generator and the reminders job do).
    """

    def __init__(self, entity: Any = None, *, extra_days: set[date] | None = None):
        self.entity_id = _entity_id(entity)
        if extra_days is None:
            extra_days = set()
            if self.entity_id is not None:
                extra_days = set(
                    EntityNonWorkingDay.objects.filter(entity_id=self.entity_id).values_list(
                        "date", flat=True
                    )
                )
        self.extra_days = frozenset(extra_days)

    def is_business_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in _national_holidays(day.year)
            and day not in self.extra_days
        )

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after ``day``."""
        return self.add_business_days(day, 1)

    def add_business_days(self, start: date, days: int) -> date:
        """The ``days``-th business day after ``start`` (``start`` itself is never counted).

        ``days == 0`` returns ``start`` unchanged.
        """
        if days < 0:
            raise ValueError("days must be zero or positive")
        current = start
        remaining = days
        for _ in range(_MAX_SPAN_DAYS):
            if remaining == 0:
                return current
            current += timedelta(days=1)
            if self.is_business_day(current):
                remaining -= 1
        raise ValueError("term too long")

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in (start, end]: how many term days have passed from ``start`` to
        ``end``. Negative when ``end`` is before ``start``."""
        if end < start:
            return -self.business_days_between(end, start)
        if (end - start).days > _MAX_SPAN_DAYS:
            raise ValueError("span too long")
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_business_day(current):
                count += 1
        return count

    def receipt_date(self, filed_at: date | datetime) -> date:
        """The business day on which a filing counts as received."""
        if isinstance(filed_at, datetime):
            local = filed_at.astimezone(BOGOTA) if filed_at.tzinfo else filed_at
            day = local.date()
            if self.is_business_day(day) and local.time() >= FILING_CUTOFF:
                return self.next_business_day(day)
        else:
            day = filed_at
        if self.is_business_day(day):
            return day
        return self.next_business_day(day)

    def due_date(self, filed_at: date | datetime, business_days: int) -> date:
        return self.add_business_days(self.receipt_date(filed_at), business_days)


def calendar_for(entity: Any = None) -> Calendar:
    return Calendar(entity)


def receipt_date(filed_at: date | datetime, *, entity: Any = None) -> date:
    """The business day on which a filing made at ``filed_at`` counts as received."""
    return Calendar(entity).receipt_date(filed_at)


def due_date(*, filed_at: date | datetime, business_days: int, entity: Any = None) -> date:
    """The last day of a term of ``business_days`` for a filing made at ``filed_at``.

    The single due-date function of Urna: every due date stored or shown comes from here.
    """
    return Calendar(entity).due_date(filed_at, business_days)


def add_business_days(start: date, days: int, *, entity: Any = None) -> date:
    return Calendar(entity).add_business_days(start, days)


def business_days_between(start: date, end: date, *, entity: Any = None) -> int:
    return Calendar(entity).business_days_between(start, end)


def is_business_day(day: date, *, entity: Any = None) -> bool:
    return Calendar(entity).is_business_day(day)


def local_today() -> date:
    from django.utils import timezone

    return timezone.localdate()
