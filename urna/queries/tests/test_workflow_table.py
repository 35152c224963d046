"""The workflow table (``urna.queries.workflow``) drives the services, the workspace page and the
templates: an action the table does not allow in a state is refused by its service and not
offered on the page, and every action the page may post has a handler."""

from datetime import date, timedelta

import pytest
from django.template import Context, Template

from urna.core.errors import Conflict
from urna.exercises.models import Exercise
from urna.queries import registry, services, views, workflow
from urna.queries.models import Query, QueryState

pytestmark = pytest.mark.django_db

# The services of the actions gated by state, each called with input good enough that only the
# state (or a later check) can refuse it.
CALLS = {
    "route": lambda q, c: services.query_route(query=q, entity=c["edu"], by=c["by"]),
    "assign": lambda q, c: services.query_assign(query=q, to_user=c["manager"], by=c["by"]),
    "answer": lambda q, c: services.query_answer(
        query=q, text="Respuesta completa al ciudadano.", by=c["by"]
    ),
    "request_completion": lambda q, c: services.query_request_completion(
        query=q, text="Indique la vereda y el municipio.", by=c["by"]
    ),
    "extend": lambda q, c: services.query_extend(
        query=q,
        new_due_date=services.extension_limit(q),
        reason="Requiere concepto jurídico.",
        by=c["by"],
    ),
    "transfer": lambda q, c: services.query_transfer(
        query=q, to_entity=c["edu"], reason="Es competencia del Ministerio.", by=c["by"]
    ),
    "close": lambda q, c: services.query_close(
        query=q, reason="Duplicada de otra solicitud.", by=c["by"]
    ),
    "publish": lambda q, c: services.query_publish(
        query=q,
        public_question="¿Cuándo abre la convocatoria?",
        public_answer="La convocatoria abre en abril.",
        consent_recorded=True,
        by=c["by"],
    ),
    "note": lambda q, c: services.query_note_add(query=q, text="Llamó de nuevo.", by=c["by"]),
}


def _in_state(query: Query, state: str) -> Query:
    """The query moved to ``state`` directly, with an answer (so only the state decides)."""
    Query.objects.filter(pk=query.pk).update(state=state, answer="Respuesta de la entidad.")
    query.refresh_from_db()
    return query


@pytest.mark.parametrize("state", QueryState.values)
@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_service_refuses_exactly_what_the_table_refuses(
    name, state, submit, agri, edu, triager, manager
):
    action = workflow.ACTIONS[name]
    query = _in_state(submit(agri), state)
    context = {"edu": edu, "by": triager, "manager": manager}

    refused = None
    try:
        CALLS[name](query, context)
    except Conflict as exc:
        refused = exc.code

    if workflow.allowed(action, query):
        assert refused != "invalid_state"
    else:
        assert refused == "invalid_state"
        assert Query.objects.get(pk=query.pk).state == state


@pytest.mark.parametrize("state", QueryState.values)
def test_the_page_offers_exactly_what_the_table_allows(state, client, submit, agri, triager):
    query = _in_state(submit(agri), state)
    client.force_login(triager)

    page = client.get(f"/consultas/gestion/{query.pk}/").content.decode()

    for action in workflow.STAFF_ACTIONS.values():
        posts_here = f"/consultas/gestion/{query.pk}/{action.slug}/" in page
        assert posts_here == workflow.allowed(action, query), (action.name, state)


def test_an_answered_query_is_not_answered_again_nor_offered_to_be(client, submit, agri, manager):
    query = submit(agri)
    services.query_answer(query=query, text="Respuesta completa al ciudadano.", by=manager)
    client.force_login(manager)

    page = client.get(f"/consultas/gestion/{query.pk}/").content.decode()
    with pytest.raises(Conflict) as exc:
        services.query_answer(query=query, text="Otra respuesta para el ciudadano.", by=manager)

    assert exc.value.code == "invalid_state"
    assert exc.value.message == "Solo se puede responder una consulta en trámite."
    assert f"/consultas/gestion/{query.pk}/responder/" not in page
    assert f"/consultas/gestion/{query.pk}/cerrar/" in page
    assert f"/consultas/gestion/{query.pk}/prorrogar/" not in page


def test_the_extension_is_offered_once(client, submit, agri, manager):
    query = submit(agri)
    services.query_extend(
        query=query,
        new_due_date=services.extension_limit(query),
        reason="Requiere concepto jurídico.",
        by=manager,
    )
    query.refresh_from_db()
    client.force_login(manager)

    page = client.get(f"/consultas/gestion/{query.pk}/").content.decode()

    assert workflow.offered(workflow.EXTEND, manager, query) is False
    assert f"/consultas/gestion/{query.pk}/prorrogar/" not in page


def test_the_page_does_not_offer_what_the_user_may_not_do(submit, agri, manager):
    query = submit(agri)  # new: routing is allowed by state, but only the platform team routes

    can = workflow.offered_actions(manager, query)

    assert workflow.allowed(workflow.ROUTE, query) is True
    assert (can["route"], can["answer"]) == (False, True)


def test_every_workspace_action_has_a_handler_and_a_permission():
    assert set(views.ACTION_HANDLERS) == {a.name for a in workflow.STAFF_ACTIONS.values()}
    assert all(a.permission for a in workflow.STAFF_ACTIONS.values())
    assert workflow.COMPLETE.slug not in workflow.STAFF_ACTIONS


def test_each_action_leads_to_a_state_the_table_names(submit, agri, triager):
    query = submit(agri)

    answered = services.query_answer(query=query, text="Respuesta completa.", by=triager)
    closed = services.query_close(query=answered, by=triager)

    assert answered.state in workflow.ANSWER.targets
    assert closed.state in workflow.CLOSE.targets


@pytest.mark.parametrize(
    ("state", "overdue"),
    [
        (QueryState.TRIAGE, True),
        (QueryState.NEW, True),
        (QueryState.ASSIGNED, True),
        (QueryState.AWAITING_CITIZEN, False),
        (QueryState.ANSWERED, False),
        (QueryState.CLOSED, False),
        (QueryState.TRANSFERRED, False),
    ],
)
def test_the_overdue_filter_reads_the_running_states(state, overdue):
    query = Query(state=state, due_date=date(2026, 3, 1))
    template = Template("{% load query_workflow %}{% if q|overdue:today %}late{% endif %}")

    shown = template.render(Context({"q": query, "today": date(2026, 3, 1) + timedelta(days=1)}))

    assert (shown == "late") is overdue


def test_the_exercise_lookup_is_the_one_exercises_registers(agri, monkeypatch):
    exercise = Exercise.objects.create(
        title="Plan rural", slug="plan-rural", code="PLANR", summary="Resumen", owner=agri
    )

    assert registry.exercise_by_code("PLANR") == exercise
    assert registry.exercise_by_code("NOPE") is None
    monkeypatch.setattr(registry, "_exercise_lookup", None)
    assert registry.exercise_by_code("PLANR") is None
