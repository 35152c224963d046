"""Reminders 5, 2 and 0 business days before a query's due date, and escalation of overdue
queries to the entity's leads. One email per recipient lists their queries (a digest), and each
(query, threshold, due date) is recorded once in ``QueryReminder``, so running this twice sends
nothing new; an extension or a restart after completion gives a new due date and new reminders.
"""

from collections import defaultdict
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from urna.accounts.selectors import entity_leads
from urna.messaging.services import message_queue
from urna.queries import terms
from urna.queries.models import RUNNING_STATES, Query, QueryEvent, QueryReminder
from urna.queries.selectors import managers_of

THRESHOLDS = (0, 2, 5)


def _threshold(remaining: int) -> int | None:
    for threshold in THRESHOLDS:
        if remaining <= threshold:
            return threshold
    return None


def _record(query: Query, threshold: int) -> bool:
    """Log a reminder; False when it was already sent for this due date."""
    try:
        with transaction.atomic():
            QueryReminder.objects.create(query=query, threshold=threshold, due_date=query.due_date)
    except IntegrityError:
        return False
    return True


def _recipients(query: Query, managers_by_entity: dict[int, list]) -> list:
    if query.assigned_to_id and query.assigned_to.is_active and query.assigned_to.email:
        return [query.assigned_to]
    return managers_by_entity.get(query.entity_id, [])


def _line(query: Query) -> str:
    return f"- {query.receipt} ({query.get_type_display()}): {query.due_date:%d/%m/%Y}"


@transaction.atomic
def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Send today's reminders and escalations; returns how many queries of each kind."""
    today = today or terms.local_today()
    horizon = terms.add_business_days(today, max(THRESHOLDS) + 1)
    escalated = QueryReminder.objects.filter(
        query=OuterRef("pk"), threshold=QueryReminder.ESCALATION, due_date=OuterRef("due_date")
    )
    candidates = (
        Query.objects.filter(state__in=RUNNING_STATES, entity__isnull=False, due_date__lte=horizon)
        .exclude(Q(due_date__lt=today) & Exists(escalated))
        .select_related("assigned_to")
        .order_by("due_date", "id")
    )
    calendars: dict[int, terms.Calendar] = {}
    managers: dict[int, list] = {}
    reminders: dict[int, tuple] = defaultdict(lambda: (None, []))
    escalations: dict[int, list[Query]] = defaultdict(list)
    counts = {"reminded": 0, "escalated": 0, "messages": 0}
    for query in candidates.iterator(chunk_size=2000):
        calendar = calendars.setdefault(query.entity_id, terms.Calendar(query.entity_id))
        if query.due_date < today:
            if _record(query, QueryReminder.ESCALATION):
                escalations[query.entity_id].append(query)
                QueryEvent.objects.create(
                    query=query, kind=QueryEvent.Kind.ESCALATED, actor_label="system:reminders"
                )
                counts["escalated"] += 1
            continue
        threshold = _threshold(calendar.business_days_between(today, query.due_date))
        if threshold is None or not _record(query, threshold):
            continue
        if query.entity_id not in managers:
            managers[query.entity_id] = [u for u in managers_of(query.entity_id) if u.email]
        for user in _recipients(query, managers):
            items = reminders[user.pk][1]
            reminders[user.pk] = (user, [*items, (threshold, query)])
        QueryEvent.objects.create(
            query=query,
            kind=QueryEvent.Kind.REMINDED,
            text=str(threshold),
            actor_label="system:reminders",
        )
        counts["reminded"] += 1
    for user, items in reminders.values():
        lines = [
            _("%(line)s — vence en %(n)s días hábiles") % {"line": _line(q), "n": t}
            if t
            else _("%(line)s — vence HOY") % {"line": _line(q)}
            for t, q in items
        ]
        message_queue(
            channel="email",
            to=user.email,
            subject=_("Urna: %(n)s consultas por vencer") % {"n": len(items)},
            body=_("Estas consultas a su cargo están por vencer:\n\n%(lines)s")
            % {"lines": "\n".join(lines)},
        )
        counts["messages"] += 1
    for entity_id, queries in escalations.items():
        body = _(
            "Estas consultas de su entidad vencieron sin respuesta y fueron escaladas:\n\n%(lines)s"
        ) % {"lines": "\n".join(_line(q) for q in queries)}
        for lead in entity_leads(entity_id=entity_id):
            if lead.email:
                message_queue(
                    channel="email",
                    to=lead.email,
                    subject=_("Urna: %(n)s consultas vencidas") % {"n": len(queries)},
                    body=body,
                )
                counts["messages"] += 1
    return counts
