"""The synthetic query generator, drawn in named steps: a seed always gives the same queries,
with legal dates and transfers consistent with the rows."""

from datetime import date

import pytest

from urna.entities.models import Entity
from urna.queries.generate import generate_queries
from urna.queries.models import Query, QueryState, QueryTransfer

pytestmark = pytest.mark.django_db

FIELDS = ("type", "channel", "state", "entity_id", "filed_at", "due_date", "transferred_from_id")


def _generate(entity_ids):
    return generate_queries(
        n=400,
        entity_ids=entity_ids,
        seed=7,
        start=date(2025, 1, 1),
        end=date(2026, 2, 1),
        today=date(2026, 3, 2),
        batch_size=150,
    )


def test_a_seed_gives_the_same_queries(national_entities):
    entity_ids = list(Entity.objects.order_by("id").values_list("id", flat=True)[:4])

    assert _generate(entity_ids) == 400
    first = list(Query.objects.order_by("receipt").values_list(*FIELDS))
    QueryTransfer.objects.all().delete()
    Query.objects.all().delete()
    _generate(entity_ids)
    again = list(Query.objects.order_by("receipt").values_list(*FIELDS))

    assert first == again


def test_generated_rows_are_consistent(national_entities):
    entity_ids = list(Entity.objects.order_by("id").values_list("id", flat=True)[:4])

    _generate(entity_ids)

    transferred = Query.objects.filter(transferred_from__isnull=False)
    assert QueryTransfer.objects.count() == transferred.count()
    assert all(q.term_start <= q.due_date for q in Query.objects.all())
    answered = Query.objects.filter(state__in=[QueryState.ANSWERED, QueryState.CLOSED])
    assert answered.filter(answered_at__isnull=True).count() == 0
    assert Query.objects.filter(state=QueryState.NEW, answered_at__isnull=False).count() == 0
