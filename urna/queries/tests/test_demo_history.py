"""The demo's bulk-seeded historical queries have a history and audit entries, as queries filed
and worked through the services do: the staff page of one showed an empty «Historial»."""

import io
from datetime import date

import pytest
from django.urls import reverse

from urna.accounts import demo as accounts_demo
from urna.accounts.models import User
from urna.audit.models import AuditEntry
from urna.entities import demo as entities_demo
from urna.queries import demo
from urna.queries.generate import entities_and_managers, generate_queries
from urna.queries.models import Query, QueryEvent, QueryState

pytestmark = pytest.mark.django_db


def test_a_seeded_historical_query_has_its_filing_and_later_steps_in_history_and_audit(
    client, divipola, national_entities, monkeypatch
):
    monkeypatch.setattr(demo, "HISTORY_SIZE", 60)
    monkeypatch.setattr(demo, "SCENARIOS", [])
    out = io.StringIO()
    entities_demo.demo_load(stdout=out)
    accounts_demo.demo_load(stdout=out)

    demo.demo_load(stdout=out)

    seeded = Query.objects.all()
    assert seeded.count() == 60
    assert seeded.filter(events__kind=QueryEvent.Kind.FILED).distinct().count() == 60
    submits = AuditEntry.objects.filter(action="query.submit", object_type="queries.query")
    assert submits.count() == 60
    closed = seeded.filter(state=QueryState.CLOSED, assigned_to__isnull=False).first()
    assert closed is not None
    kinds = list(closed.events.values_list("kind", flat=True))
    assert kinds[0] == QueryEvent.Kind.FILED
    assert kinds[-2:] == [QueryEvent.Kind.ANSWERED, QueryEvent.Kind.CLOSED]
    filed = closed.events.get(kind=QueryEvent.Kind.FILED)
    assert filed.at == closed.filed_at
    actions = set(
        AuditEntry.objects.filter(object_id=str(closed.pk)).values_list("action", flat=True)
    )
    assert {"query.submit", "query.assign", "query.answer", "query.close"} <= actions

    client.force_login(User.objects.get(pk=closed.assigned_to_id))
    page = client.get(reverse("queries:staff_detail", args=[closed.pk])).content.decode()
    history = page[page.index('id="historial"') :]
    assert "Radicada" in history and "Respondida" in history and "Cerrada" in history


def test_a_demo_seeded_before_gets_the_history_of_its_rows_once(
    divipola, national_entities, monkeypatch
):
    monkeypatch.setattr(demo, "SCENARIOS", [])
    out = io.StringIO()
    entities_demo.demo_load(stdout=out)
    accounts_demo.demo_load(stdout=out)
    entity_ids, managers = entities_and_managers()
    generate_queries(
        n=30,
        entity_ids=entity_ids,
        managers=managers,
        seed=3,
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
    )
    Query.objects.filter(pk=Query.objects.order_by("-id").first().pk).update(
        idempotency_key=demo.HISTORY_MARKER
    )

    demo.demo_load(stdout=out)
    demo.demo_load(stdout=out)

    assert QueryEvent.objects.filter(kind=QueryEvent.Kind.FILED).count() == 30
    assert AuditEntry.objects.filter(action="query.submit").count() == 30
