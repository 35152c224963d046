"""A manager sees and acts only on their entity's queries, on pages and in the API; refused
actions change nothing."""

import pytest

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.queries import selectors
from urna.queries.models import Query, QueryEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_queries(submit, agri, edu):
    return submit(agri, text="Consulta de agricultura sobre cosechas."), submit(
        edu, text="Consulta de educación sobre colegios."
    )


def test_inbox_shows_only_the_managers_entity(client, manager, two_queries):
    mine, theirs = two_queries
    client.force_login(manager)

    html = client.get("/consultas/gestion/").content.decode()
    api = client.get("/api/v1/staff/queries").json()

    assert mine.receipt in html and theirs.receipt not in html
    assert [row["receipt"] for row in api["items"]] == [mine.receipt]
    page = selectors.query_inbox(user=manager, filters=selectors.InboxFilters(state="all"))
    assert [q.pk for q in page.items] == [mine.pk]


def test_another_entitys_query_is_not_found_and_untouched(client, manager, two_queries):
    _, theirs = two_queries
    client.force_login(manager)
    before_audit = AuditEntry.objects.count()

    page = client.get(f"/consultas/gestion/{theirs.pk}/")
    action = client.post(f"/consultas/gestion/{theirs.pk}/responder/", {"text": "Respuesta ajena."})
    api_get = client.get(f"/api/v1/staff/queries/{theirs.pk}")
    api_answer = client.post(
        f"/api/v1/staff/queries/{theirs.pk}/answer",
        {"text": "Respuesta ajena por API."},
        content_type="application/json",
    )

    assert (page.status_code, action.status_code) == (404, 404)
    assert (api_get.status_code, api_answer.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert (theirs.state, theirs.answer) == ("new", "")
    assert AuditEntry.objects.count() == before_audit


def test_platform_team_sees_every_entity(client, triager, two_queries):
    client.force_login(triager)

    api = client.get("/api/v1/staff/queries").json()

    assert {row["receipt"] for row in api["items"]} == {q.receipt for q in two_queries}


@pytest.mark.parametrize("role", [Role.ANALYST, Role.MODERATOR])
def test_roles_without_query_actions_see_nothing(client, make_staff, agri, two_queries, role):
    user = make_staff(agri, role, username=f"u-{role}")
    client.force_login(user)

    assert client.get("/consultas/gestion/").status_code == 403  # the role lacks the tool
    # Inside the tool too, before the query is looked up.
    assert client.get(f"/consultas/gestion/{two_queries[0].pk}/").status_code == 403
    assert client.get("/api/v1/staff/queries").status_code == 403


def test_citizen_accounts_and_anonymous_users_are_refused(client, two_queries):
    from urna.accounts.services import citizen_register

    assert client.get("/api/v1/staff/queries").status_code == 401
    assert client.get("/consultas/gestion/").status_code == 302  # to the login page
    citizen = citizen_register(password="una-clave-larga-1", email="c@example.org", consent=True)
    client.force_login(citizen)
    assert client.get("/api/v1/staff/queries").status_code == 403


def test_cannot_assign_to_a_manager_of_another_entity(client, manager, edu_manager, two_queries):
    mine, _ = two_queries
    client.force_login(manager)

    response = client.post(
        f"/api/v1/staff/queries/{mine.pk}/assign",
        {"user_id": edu_manager.pk},
        content_type="application/json",
    )

    assert response.status_code == 422
    mine.refresh_from_db()
    assert mine.assigned_to is None
    assert not QueryEvent.objects.filter(query=mine, kind="assigned").exists()


def test_sla_board_is_scoped(client, manager, two_queries, agri):
    client.force_login(manager)

    body = client.get("/api/v1/staff/queries/sla?year=2026").json()

    assert body["total"] is None
    assert [row["entity"] for row in body["entities"]] == ["MINAGRICULTURA"]
    assert body["entities"][0]["received"] == 1


def test_inbox_query_count_does_not_grow_with_rows(
    client, manager, submit, agri, django_assert_max_num_queries
):
    for _ in range(30):
        submit(agri, email=False)
    client.force_login(manager)

    with django_assert_max_num_queries(12):
        response = client.get("/consultas/gestion/")

    assert response.status_code == 200
    assert response.content.decode().count("/consultas/gestion/") >= 30
    assert Query.objects.count() == 30
