"""The term calculator against real Colombian calendar cases, computed by hand."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from urna.queries import terms
from urna.queries.models import EntityNonWorkingDay

BOG = terms.BOGOTA


def at(*args, tz=BOG):
    return datetime(*args, tzinfo=tz)


def test_holidays_include_the_ley_emiliani_moves_of_2026():
    h = terms.national_holidays(2026)

    assert date(2026, 1, 12) in h  # Reyes, 6 January moved to Monday
    assert date(2026, 1, 6) not in h
    assert date(2026, 3, 23) in h  # San José, 19 March moved to Monday
    assert date(2026, 4, 2) in h and date(2026, 4, 3) in h  # Holy Thursday and Friday
    assert date(2026, 5, 18) in h  # Ascension moved to Monday
    assert date(2026, 12, 8) in h and date(2026, 12, 25) in h
    assert not terms.is_business_day(date(2026, 3, 23))
    assert terms.is_business_day(date(2026, 3, 24))


@pytest.mark.parametrize(
    ("filed_at", "days", "expected"),
    [
        # Just before Easter week: Holy Thursday and Good Friday do not count.
        (at(2026, 3, 30, 10, 0), 15, date(2026, 4, 22)),
        (at(2026, 3, 30, 10, 0), 10, date(2026, 4, 15)),
        # Just before 25 December: Christmas, New Year and Reyes (12 January) do not count.
        (at(2025, 12, 23, 10, 0), 10, date(2026, 1, 8)),
        (at(2025, 12, 23, 10, 0), 15, date(2026, 1, 16)),
        # On a Friday before a Monday holiday (San José, 23 March 2026).
        (at(2026, 3, 20, 10, 0), 10, date(2026, 4, 8)),
        # On a Saturday: received on Tuesday 24 (Monday is a holiday), term from Wednesday.
        (at(2026, 3, 21, 10, 0), 10, date(2026, 4, 9)),
        # After 17:00 on that Friday: also received on Tuesday 24.
        (at(2026, 3, 20, 17, 30), 10, date(2026, 4, 9)),
        (at(2026, 3, 20, 16, 59), 10, date(2026, 4, 8)),
        # 17:30 in Bogotá expressed in UTC.
        (at(2026, 3, 20, 22, 30, tz=ZoneInfo("UTC")), 10, date(2026, 4, 9)),
        # A consultation (30 days) across the June holidays and 13 July (Chiquinquirá).
        (at(2026, 6, 1, 9, 0), 30, date(2026, 7, 17)),
        # A plain date counts as filed within business hours.
        (date(2026, 3, 20), 10, date(2026, 4, 8)),
    ],
)
def test_due_date_pinned_cases(filed_at, days, expected):
    assert terms.due_date(filed_at=filed_at, business_days=days) == expected


@pytest.mark.django_db
def test_entity_non_working_days_push_the_due_date(agri):
    EntityNonWorkingDay.objects.create(entity=agri, date=date(2025, 12, 24), reason="Nochebuena")
    EntityNonWorkingDay.objects.create(entity=agri, date=date(2025, 12, 31), reason="Fin de año")

    national = terms.due_date(filed_at=at(2025, 12, 23, 10), business_days=10)
    own = terms.due_date(filed_at=at(2025, 12, 23, 10), business_days=10, entity=agri)

    assert national == date(2026, 1, 8)
    assert own == date(2026, 1, 13)


def test_business_days_between_and_add():
    assert terms.business_days_between(date(2026, 3, 30), date(2026, 4, 22)) == 15
    assert terms.business_days_between(date(2026, 4, 22), date(2026, 3, 30)) == -15
    assert terms.business_days_between(date(2026, 4, 3), date(2026, 4, 3)) == 0
    assert terms.add_business_days(date(2026, 4, 1), 1) == date(2026, 4, 6)
    assert terms.add_business_days(date(2026, 4, 1), 0) == date(2026, 4, 1)
    with pytest.raises(ValueError):
        terms.add_business_days(date(2026, 4, 1), -1)


def test_receipt_date_of_a_holiday_filing():
    assert terms.receipt_date(at(2026, 4, 3, 9)) == date(2026, 4, 6)
    assert terms.receipt_date(at(2026, 4, 6, 9)) == date(2026, 4, 6)


def test_the_generator_table_agrees_with_the_calendar():
    from urna.queries.generate import BusinessDayTable

    table = BusinessDayTable(date(2025, 1, 1), date(2027, 6, 30))
    calendar = terms.Calendar(None)
    for day in range(0, 700, 7):
        moment = at(2025, 1, 2, 18, 0) + (date(2025, 1, 3) - date(2025, 1, 2)) * day
        receipt = calendar.receipt_date(moment)
        assert table.receipt_date(moment) == receipt
        for n in (0, 5, 10, 15, 30):
            assert table.add(receipt, n) == calendar.add_business_days(receipt, n)
