"""Figures that are a state at a moment rather than activity in a period, taken at each refresh
for the current month (and, in the current year, for the year):

- ``crm_contacts_informed``: live contacts (not erased, not merged) who may receive the
  Government's information (purpose "campaigns") on at least one channel, by the one consent
  rule (``urna.contacts.consent.consent_condition``), per contact's department. A past month's
  value is the last one taken while that month was current; it cannot be recomputed afterwards
  (consents hold their current state only), so a rebuild keeps it.
- ``replies_overdue``: running queries past their due date, per entity, the same way.
"""

from datetime import datetime

from django.db.models import Count, Q

from urna.contacts.consent import CHANNELS, consent_condition
from urna.contacts.models import Contact, Purpose
from urna.indicators.engine.facts import Facts
from urna.indicators.engine.periods import current_month
from urna.queries import terms
from urna.queries.selectors import overdue_counts

SNAPSHOT_KEYS = ("crm_contacts_informed", "replies_overdue")


def informed_contacts() -> dict[str, int]:
    """Contacts who receive information, per department code ("" for none)."""
    informed = Q()
    for channel in CHANNELS:
        informed |= consent_condition(channel, Purpose.CAMPAIGNS)
    rows = Contact.objects.filter(informed).values("department_id").annotate(n=Count("pk"))
    return {row["department_id"] or "": row["n"] for row in rows.order_by()}


def crm_facts(now: datetime | None = None) -> Facts:
    facts, (year, month) = Facts(), current_month(now)
    counts = informed_contacts()
    for period in (month, 0):
        facts.put("crm_contacts_informed", year, period, sum(counts.values()))
        for department, n in counts.items():
            if department:
                facts.put(
                    "crm_contacts_informed",
                    year,
                    period,
                    n,
                    scope_kind="department",
                    scope=department,
                )
    return facts


def overdue_facts(now: datetime | None = None) -> Facts:
    facts, (year, month) = Facts(), current_month(now)
    today = terms.local_today() if now is None else now.astimezone(terms.BOGOTA).date()
    for entity, n in overdue_counts(today=today).items():
        where = {"scope_kind": "entity", "scope": str(entity)} if entity else {}
        for period in (month, 0):
            facts.put("replies_overdue", year, period, n or None, **where)
    return facts
