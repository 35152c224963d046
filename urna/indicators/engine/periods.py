"""Periods in Bogotá time: a month is ``(year, month)``; month 0 stands for the whole year."""

from datetime import date, datetime, time

from django.utils import timezone

Month = tuple[int, int]


def month_start(year: int, month: int) -> datetime:
    """The first instant of a month (month 0: of the year), aware, in the current time zone."""
    day = date(year, max(month, 1), 1)
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def period_bounds(year: int, month: int = 0) -> tuple[datetime, datetime]:
    """[start, end) of a month, or of the year when ``month`` is 0."""
    if month == 0:
        return month_start(year, 1), month_start(year + 1, 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return month_start(year, month), month_start(*following)


def month_of(moment: datetime | date | None) -> Month | None:
    """The (year, month) a moment falls in, in local time."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment)
    return moment.year, moment.month


def current_month(now: datetime | None = None) -> Month:
    today = timezone.localdate(now)
    return today.year, today.month


def label(month: Month) -> str:
    """ "2025-03": how months are keyed in the watermarks' JSON state."""
    return f"{month[0]:04d}-{month[1]:02d}"


def parse(text: str) -> Month:
    year, month = text.split("-")
    return int(year), int(month)


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last``, both included."""
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
