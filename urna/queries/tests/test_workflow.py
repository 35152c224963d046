"""The workflow through its services: intake, routing, extension, suspension, transfer,
answer, close and publication, with the audit log, the citizen's messages and the counters."""

from datetime import date

import pytest

from urna.audit.models import AuditEntry
from urna.contacts.services import ContactDetails
from urna.core.errors import Conflict, InvalidInput, PermissionDenied, RateLimited
from urna.messaging.models import OutboundMessage
from urna.queries import selectors, services, terms
from urna.queries.models import (
    EntityTerm,
    Query,
    QueryEvent,
    QueryStat,
    QueryState,
    QueryTransfer,
    RoutingRule,
)

pytestmark = pytest.mark.django_db


def audit_actions(query):
    return list(
        AuditEntry.objects.for_object(query).order_by("id").values_list("action", flat=True)
    )


def test_submit_files_routes_and_acknowledges(submit, agri, clock):
    query = submit(agri, email="ana@example.org")

    assert query.receipt.startswith("PQ-2026-")
    assert query.state == QueryState.NEW
    assert query.term_start == date(2026, 3, 2)
    assert query.due_date == date(2026, 3, 24)  # 15 business days, San José on 23 March
    assert query.due_date == terms.due_date(filed_at=clock.now, business_days=15, entity=agri)
    assert [e.kind for e in query.events.all()] == ["filed", "routed"]
    assert audit_actions(query) == ["query.submit"]
    ack = OutboundMessage.objects.get(related_id=str(query.pk))
    assert (ack.channel, ack.to) == ("email", "ana@example.org")
    assert "24 de marzo de 2026" in ack.body
    received = dict(
        QueryStat.objects.filter(dim="all", month=date(2026, 3, 1)).values_list("scope", "received")
    )
    assert received == {0: 1, agri.pk: 1}


def test_unmatched_queries_go_to_triage_and_rules_route_them(submit, agri, edu, divipola):
    RoutingRule.objects.create(entity=edu, keywords="colegio, docente")
    RoutingRule.objects.create(entity=agri, municipality_id="17001", priority=50)

    by_keyword = submit(text="El COLEGIO de la vereda no tiene docente desde enero.")
    by_territory = submit(text="Necesito ayuda con la carretera.", municipality_code="17001")
    unmatched = submit(text="Necesito ayuda con la carretera de mi pueblo.")

    assert (by_keyword.entity, by_keyword.state) == (edu, QueryState.NEW)
    assert by_territory.entity == agri
    assert (unmatched.entity, unmatched.state) == (None, QueryState.TRIAGE)


def test_triage_routing_is_for_the_platform_team(submit, agri, triager, manager):
    query = submit()

    with pytest.raises(PermissionDenied):
        services.query_route(query=query, entity=agri, by=manager)
    routed = services.query_route(query=query, entity=agri, by=triager)

    assert (routed.entity, routed.state) == (agri, QueryState.NEW)
    assert routed.due_date == query.due_date  # the term runs from the original receipt
    assert audit_actions(query) == ["query.submit", "query.route"]


def test_idempotency_key_returns_the_same_query(agri, clock):
    first = services.query_submit(
        type="queja",
        text="Queja por mala atención en la oficina.",
        channel="api",
        entity=agri,
        idempotency_key="abc-1",
    )
    again = services.query_submit(
        type="queja",
        text="Queja por mala atención en la oficina.",
        channel="api",
        entity=agri,
        idempotency_key="abc-1",
    )

    assert first.created is True and again.created is False
    assert again.query.pk == first.query.pk
    assert Query.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"type": "otra"}, "type"),
        ({"channel": "paloma"}, "channel"),
        ({"text": "corto"}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"municipality_code": "99999"}, "municipality"),
        ({"contact": ContactDetails(email="a@b.co", consent=False)}, "consent"),
        ({"contact": ContactDetails(email="no-es-correo", consent=True)}, "email"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(kwargs, field, divipola, clock):
    params = {"type": "peticion", "text": "Una solicitud suficientemente larga.", "channel": "web"}
    params.update(kwargs)

    with pytest.raises(InvalidInput) as exc:
        services.query_submit(**params)

    assert exc.value.field == field
    assert Query.objects.count() == 0


def test_submissions_are_rate_limited_per_contact(submit, agri):
    for _ in range(20):
        submit(agri, email="mucho@example.org")

    with pytest.raises(RateLimited):
        submit(agri, email="mucho@example.org")
    assert Query.objects.count() == 20


def test_entity_may_configure_its_complaint_term(submit, agri):
    EntityTerm.objects.create(entity=agri, type="queja", business_days=10)
    EntityTerm.objects.create(entity=agri, type="peticion", business_days=5)  # not configurable

    complaint = submit(agri, type="queja")
    petition = submit(agri, type="peticion")

    assert (complaint.term_days, complaint.due_date) == (10, date(2026, 3, 16))
    assert petition.term_days == 15


def test_habeas_data_terms_and_extension_limits(submit, agri, manager):
    query = submit(agri, type="datos_consulta")

    assert (query.term_days, query.due_date) == (10, date(2026, 3, 16))
    assert services.extension_limit(query) == date(2026, 3, 24)  # 5 more business days
    claim = submit(agri, type="datos_reclamo")
    assert services.extension_limit(claim) == terms.add_business_days(date(2026, 3, 2), 23)


class TestExtension:
    def test_extends_once_with_reason_within_twice_the_term(self, submit, agri, manager, clock):
        query = submit(agri)
        limit = services.extension_limit(query)
        assert limit == date(2026, 4, 16)  # 30 business days from 2 March (Easter week off)

        extended = services.query_extend(
            query=query, new_due_date=limit, reason="Requiere concepto jurídico.", by=manager
        )

        assert extended.due_date == limit and extended.extended_at is not None
        message = OutboundMessage.objects.filter(subject__startswith="Nueva fecha").get()
        assert "16 de abril de 2026" in message.body and "concepto jurídico" in message.body
        assert audit_actions(query)[-1] == "query.extend"
        with pytest.raises(Conflict):
            services.query_extend(
                query=query, new_due_date=limit, reason="Otra vez, por favor.", by=manager
            )

    @pytest.mark.parametrize(
        ("new_date", "reason", "field"),
        [
            (date(2026, 4, 17), "Requiere concepto jurídico.", "new_due_date"),  # past the limit
            (date(2026, 3, 20), "Requiere concepto jurídico.", "new_due_date"),  # not later
            (date(2026, 4, 3), "Requiere concepto jurídico.", "new_due_date"),  # Good Friday
            (date(2026, 4, 14), "", "reason"),
        ],
    )
    def test_refuses_bad_extensions(self, submit, agri, manager, new_date, reason, field):
        query = submit(agri)

        with pytest.raises(InvalidInput) as exc:
            services.query_extend(query=query, new_due_date=new_date, reason=reason, by=manager)

        assert exc.value.field == field
        query.refresh_from_db()
        assert (query.due_date, query.extended_at) == (date(2026, 3, 24), None)

    def test_refuses_after_expiry(self, submit, agri, manager, clock):
        query = submit(agri)
        clock.set(2026, 3, 25, 9, 0)

        with pytest.raises(Conflict):
            services.query_extend(
                query=query,
                new_due_date=date(2026, 4, 10),
                reason="Tarde, pero necesario.",
                by=manager,
            )


def test_suspension_restarts_the_full_term(submit, agri, manager, clock):
    query = submit(agri)
    clock.set(2026, 3, 5, 11, 0)
    services.query_request_completion(
        query=query, text="Indique su municipio y vereda.", by=manager
    )
    query.refresh_from_db()
    assert query.state == QueryState.AWAITING_CITIZEN
    assert (
        selectors.query_inbox(user=manager, filters=selectors.InboxFilters(state="overdue")).items
        == []
    )

    clock.set(2026, 3, 27, 18, 0)  # a Friday after hours: received Monday 30 March
    completed = services.query_complete(query=query, text="Manizales, vereda La Cabaña.")

    assert completed.state == QueryState.NEW
    assert completed.term_start == date(2026, 3, 30)
    assert completed.due_date == date(2026, 4, 22)  # 15 full business days, Easter week off
    assert [e.kind for e in completed.events.filter(public=True)][-2:] == [
        "completion_requested",
        "completed",
    ]
    assert audit_actions(query)[-2:] == ["query.request_completion", "query.complete"]
    with pytest.raises(Conflict):
        services.query_complete(query=query, text="Otra vez.")


class TestTransfer:
    def test_to_an_entity_on_urna_starts_its_term_on_receipt(
        self, submit, agri, ant, manager, clock
    ):
        query = submit(agri)
        clock.set(2026, 3, 6, 16, 0)

        moved = services.query_transfer(
            query=query,
            to_entity=ant,
            reason="Es competencia de la Agencia de Tierras.",
            by=manager,
        )

        assert (moved.entity, moved.state, moved.transferred_from) == (ant, "new", agri)
        assert moved.term_start == date(2026, 3, 6)
        assert moved.due_date == date(2026, 3, 30)
        transfer = QueryTransfer.objects.get(query=query)
        assert (transfer.from_entity, transfer.to_entity, transfer.late) == (agri, ant, False)
        notice = OutboundMessage.objects.get(subject__contains="trasladada")
        assert "Agencia Nacional de Tierras" in notice.body and "30 de marzo de 2026" in notice.body
        stats = QueryStat.objects.filter(dim="all", month=date(2026, 3, 1))
        assert dict(stats.values_list("scope", "transferred")) == {0: 1, agri.pk: 1, ant.pk: 0}
        assert dict(stats.values_list("scope", "received")) == {0: 1, agri.pk: 1, ant.pk: 1}
        with pytest.raises(PermissionDenied):  # it left the manager's entity
            services.query_answer(query=moved, text="Respuesta que ya no le toca.", by=manager)

    def test_after_five_business_days_is_recorded_late(self, submit, agri, ant, manager, clock):
        query = submit(agri)
        clock.set(2026, 3, 10, 9, 0)  # 6 business days after receipt

        services.query_transfer(
            query=query,
            to_entity=ant,
            reason="Es competencia de la Agencia de Tierras.",
            by=manager,
        )

        assert QueryTransfer.objects.get(query=query).late is True

    def test_to_an_outside_authority_leaves_urna(self, submit, agri, manager):
        query = submit(agri)

        moved = services.query_transfer(
            query=query,
            to_authority="Fiscalía General de la Nación",
            reason="Los hechos pueden constituir delito.",
            by=manager,
        )

        assert (moved.state, moved.entity, moved.external_authority) == (
            "transferred",
            agri,
            "Fiscalía General de la Nación",
        )

    def test_needs_one_destination(self, submit, agri, ant, manager):
        query = submit(agri)

        with pytest.raises(InvalidInput):
            services.query_transfer(query=query, reason="Motivo del traslado.", by=manager)
        with pytest.raises(InvalidInput):
            services.query_transfer(
                query=query,
                to_entity=ant,
                to_authority="Otra",
                reason="Motivo del traslado.",
                by=manager,
            )
        assert QueryTransfer.objects.count() == 0


def test_answer_records_time_and_feeds_the_indicators(submit, agri, manager, clock):
    on_time = submit(agri)
    late = submit(agri)
    clock.set(2026, 3, 9, 15, 0)
    services.query_answer(query=on_time, text="Esta es la respuesta de fondo.", by=manager)
    clock.set(2026, 3, 25, 15, 0)
    services.query_answer(query=late, text="Esta es la respuesta tardía.", by=manager)

    on_time.refresh_from_db()
    late.refresh_from_db()
    assert (on_time.business_days_taken, on_time.answered_within_term) == (5, True)
    assert (late.business_days_taken, late.answered_within_term) == (16, False)
    figures = selectors.sla_figures(year=2026, month=3)
    assert figures[agri.pk].received == 2
    assert figures[agri.pk].answered == 2
    assert figures[agri.pk].within_term_pct == 50.0
    assert (figures[agri.pk].median_days, figures[agri.pk].p90_days) == (5.0, 16.0)
    by_type = selectors.sla_figures(year=2026, dim="type", value="peticion")
    assert by_type[0].answered == 2
    answer = OutboundMessage.objects.filter(subject__startswith="Respuesta").first()
    assert answer.channel == "email" and "respuesta de fondo" in answer.body


def test_rebuilt_counters_equal_the_live_ones(submit, agri, ant, manager, clock):
    a, b, c = submit(agri), submit(agri, type="queja", channel="phone"), submit(agri)
    clock.set(2026, 3, 4, 10, 0)
    services.query_answer(query=a, text="Respuesta número uno.", by=manager)
    services.query_transfer(query=b, to_entity=ant, reason="Competencia de la ANT.", by=manager)
    live = sorted(
        QueryStat.objects.values_list(
            "scope",
            "month",
            "dim",
            "value",
            "received",
            "answered",
            "answered_within_term",
            "transferred",
        )
    )

    services.query_stats_rebuild()

    rebuilt = sorted(
        QueryStat.objects.values_list(
            "scope",
            "month",
            "dim",
            "value",
            "received",
            "answered",
            "answered_within_term",
            "transferred",
        )
    )
    assert rebuilt == live
    assert c.state == "new"


def test_answer_goes_back_through_the_sms_provider(agri, manager, clock):
    query = services.query_submit(
        type="peticion",
        text="PREGUNTA cuando pagan el subsidio",
        channel="sms",
        entity=agri,
        contact=ContactDetails(phone="3001234567", consent=True),
        reply_provider="twilio",
    ).query
    assert OutboundMessage.objects.count() == 0  # the SMS adapter replies in the conversation

    services.query_answer(query=query, text="El pago se hace en abril. " * 40, by=manager)

    message = OutboundMessage.objects.get()
    assert (message.channel, message.to, message.provider) == ("sms", "+573001234567", "twilio")
    assert len(message.body) <= services.SMS_MAX
    assert message.body.endswith(f"/r/{query.receipt}")


def test_close_needs_a_reason_unless_answered(submit, agri, manager):
    open_query, answered = submit(agri), submit(agri)
    services.query_answer(query=answered, text="Respuesta completa aquí.", by=manager)

    with pytest.raises(InvalidInput):
        services.query_close(query=open_query, by=manager)
    services.query_close(query=open_query, by=manager, reason="Solicitud duplicada de PQ-1.")
    closed = services.query_close(query=answered, by=manager)

    assert closed.state == QueryState.CLOSED
    with pytest.raises(Conflict):
        services.query_close(query=answered, by=manager)


def test_publish_needs_consent_and_removes_personal_data(submit, agri, manager):
    query = submit(agri, text="Soy Ana Pérez, cédula 1.053.456.789, correo ana@x.co: ¿requisitos?")
    services.query_answer(query=query, text="Señora Ana Pérez: llame al 3001234567.", by=manager)
    question, answer = services.publication_draft(Query.objects.get(pk=query.pk))

    with pytest.raises(InvalidInput) as exc:
        services.query_publish(
            query=query, by=manager, public_question=question, public_answer=answer
        )
    assert exc.value.field == "consent"
    published = services.query_publish(
        query=query,
        by=manager,
        public_question=question,
        public_answer=answer,
        consent_recorded=True,
    )

    assert "1.053" not in published.public_question and "ana@x.co" not in published.public_question
    assert "3001234567" not in published.public_answer
    assert list(selectors.qa_search(q="requisitos")) == [published]
    assert audit_actions(query)[-1] == "query.publish"


def test_query_from_contribution_routes_to_the_exercise_owner(agri, exercise_question, clock):
    exercise, contribution = exercise_question("whatsapp", "UC-2026-0000001")

    query = services.query_from_contribution(contribution=contribution)

    assert (query.entity, query.exercise, query.contribution) == (agri, exercise, contribution)
    assert (query.type, query.channel, query.state) == ("peticion", "whatsapp", "new")
    assert services.query_from_contribution(contribution=contribution).pk == query.pk


def test_events_do_not_leak_internal_notes(submit, agri, manager):
    query = submit(agri)
    services.query_note_add(query=query, text="El ciudadano ya llamó dos veces.", by=manager)

    public = list(selectors.query_history(query, public_only=True).values_list("kind", flat=True))

    assert public == ["filed", "routed"]
    assert QueryEvent.objects.filter(query=query, kind="note").count() == 1
