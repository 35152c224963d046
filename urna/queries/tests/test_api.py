"""The API: filing and status (public) and the workspace actions (staff), with bad input on
every endpoint answered in Spanish with the field at fault."""

import pytest

from urna.queries.models import Query

pytestmark = pytest.mark.django_db

VALID = {"type": "peticion", "text": "Solicito información del programa de vivienda rural."}


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


class TestFiling:
    def test_creates_and_returns_receipt_and_due_date(self, client, clock, national_entities):
        response = post(client, "/api/v1/queries", {**VALID, "municipality": "17001"})

        assert response.status_code == 201
        body = response.json()
        assert set(body) == {"receipt", "due_date"}
        assert body["due_date"] == "2026-03-24"
        query = Query.objects.get(receipt=body["receipt"])
        assert (query.channel, query.state, query.municipality_id) == ("api", "triage", "17001")

    def test_idempotency_key_returns_the_same_receipt(self, client, clock, national_entities):
        first = post(client, "/api/v1/queries", {**VALID, "idempotency_key": "k-1"})
        again = post(client, "/api/v1/queries", {**VALID, "idempotency_key": "k-1"})

        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json() == again.json()
        assert Query.objects.count() == 1

    def test_with_contact_and_exercise(self, client, clock, agri):
        from urna.exercises.models import Exercise

        Exercise.objects.create(
            title="Plan rural",
            slug="plan-rural",
            code="PLANR",
            summary="Resumen",
            owner=agri,
            kind=Exercise.Kind.choices[0][0],
        )

        response = post(
            client,
            "/api/v1/queries",
            {
                **VALID,
                "exercise": "PLANR",
                "channel": "whatsapp",
                "consent": True,
                "contact": {"phone": "3001234567", "name": "Ana"},
            },
        )

        assert response.status_code == 201
        query = Query.objects.get()
        assert (query.entity, query.exercise.code, query.contact.phone) == (
            agri,
            "PLANR",
            "+573001234567",
        )

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"text": VALID["text"]}, "type"),
            ({**VALID, "type": "chisme"}, "type"),
            ({**VALID, "text": "corto"}, "text"),
            ({**VALID, "channel": "paloma"}, "channel"),
            ({**VALID, "municipality": "99999"}, "municipality"),
            ({**VALID, "exercise": "NOEXISTE"}, "exercise"),
            ({**VALID, "contact": {"email": "a@b.co"}}, "consent"),
            ({**VALID, "contact": {"phone": "123"}, "consent": True}, "phone"),
            ({**VALID, "inventado": 1}, "inventado"),
            ({**VALID, "idempotency_key": "x" * 81}, "idempotency_key"),
        ],
    )
    def test_bad_input(self, client, clock, national_entities, body, field):
        response = post(client, "/api/v1/queries", body)

        assert response.status_code == 422
        assert field in response.json()["errors"]
        assert Query.objects.count() == 0

    def test_invalid_json(self, client, clock, national_entities):
        response = client.post("/api/v1/queries", "{no", content_type="application/json")

        assert response.status_code in (400, 422)
        assert Query.objects.count() == 0


class TestStatus:
    def test_status_by_receipt(self, client, submit, agri):
        query = submit(agri)

        body = client.get(f"/api/v1/queries/{query.receipt.lower()}").json()

        assert body["receipt"] == query.receipt
        assert (body["state"], body["due_date"], body["entity"]) == (
            "new",
            "2026-03-24",
            agri.name,
        )
        assert [e["kind"] for e in body["history"]] == ["filed", "routed"]
        assert "text" not in body

    @pytest.mark.parametrize("receipt", ["PQ-2026-0000000", "nada", "UC-2026-ABCDEFG"])
    def test_unknown_receipt(self, client, db, receipt):
        assert client.get(f"/api/v1/queries/{receipt}").status_code == 404

    def test_completion(self, client, submit, agri, manager):
        from urna.queries.services import query_request_completion

        query = submit(agri)
        assert (
            post(
                client, f"/api/v1/queries/{query.receipt}/completion", {"text": "Mi vereda"}
            ).status_code
            == 409
        )
        query_request_completion(query=query, text="Indique su vereda, por favor.", by=manager)

        assert post(client, f"/api/v1/queries/{query.receipt}/completion", {}).status_code == 422
        response = post(
            client, f"/api/v1/queries/{query.receipt}/completion", {"text": "La Cabaña"}
        )

        assert response.status_code == 200
        assert response.json()["state"] == "new"

    def test_public_answers(self, client, db):
        assert client.get("/api/v1/queries/answers?q=vivienda").json() == []
        assert client.get("/api/v1/queries/answers?limit=0").status_code == 422


class TestStaff:
    @pytest.fixture
    def query(self, submit, agri):
        return submit(agri)

    @pytest.fixture
    def logged(self, client, manager):
        client.force_login(manager)
        return client

    def test_full_flow(self, logged, query, manager, clock):
        url = f"/api/v1/staff/queries/{query.pk}"
        assigned = post(logged, f"{url}/assign", {"user_id": manager.pk})
        note = post(logged, f"{url}/notes", {"text": "Revisar con el área técnica."})
        extended = post(
            logged,
            f"{url}/extend",
            {"new_due_date": "2026-04-14", "reason": "Requiere concepto técnico."},
        )
        answered = post(logged, f"{url}/answer", {"text": "Respuesta de fondo a su petición."})
        published = post(
            logged,
            f"{url}/publish",
            {
                "public_question": "¿Cómo accedo a vivienda rural?",
                "public_answer": "Con el formulario en línea.",
                "consent_recorded": True,
            },
        )
        closed = post(logged, f"{url}/close", {})

        assert [r.status_code for r in (assigned, note, extended, answered, published, closed)] == [
            200
        ] * 6
        body = closed.json()
        assert (body["state"], body["assigned_to"], body["due_date"], body["published"]) == (
            "closed",
            "gestora",
            "2026-04-14",
            True,
        )
        assert body["business_days_taken"] == 0 and body["answered_within_term"] is True
        assert [h["kind"] for h in body["history"]][-4:] == [
            "answered",
            "note",
            "published",
            "closed",
        ]

    @pytest.mark.parametrize(
        ("action", "body", "status", "field"),
        [
            ("assign", {}, 422, "user_id"),
            ("assign", {"user_id": 999999}, 422, "user_id"),
            ("notes", {"text": ""}, 422, "text"),
            ("answer", {"text": "corta"}, 422, "text"),
            (
                "extend",
                {"new_due_date": "no-es-fecha", "reason": "Motivo suficiente."},
                422,
                "new_due_date",
            ),
            (
                "extend",
                {"new_due_date": "2026-06-30", "reason": "Motivo suficiente."},
                422,
                "new_due_date",
            ),
            ("extend", {"new_due_date": "2026-04-14"}, 422, "reason"),
            ("transfer", {"reason": "Motivo suficiente."}, 422, "to_entity"),
            ("transfer", {"to_entity": 999999, "reason": "Motivo suficiente."}, 422, "to_entity"),
            ("close", {}, 422, "reason"),
            (
                "publish",
                {"public_question": "¿Pregunta larga?", "public_answer": "Respuesta larga."},
                409,
                None,
            ),
            ("request-completion", {"text": "x"}, 422, "text"),
            ("route", {"entity_id": 1}, 403, None),
        ],
    )
    def test_bad_input(self, logged, query, action, body, status, field):
        response = post(logged, f"/api/v1/staff/queries/{query.pk}/{action}", body)

        assert response.status_code == status
        if field:
            assert field in response.json()["errors"]
        query.refresh_from_db()
        assert (query.state, query.assigned_to_id, query.extended_at, query.answer) == (
            "new",
            None,
            None,
            "",
        )

    @pytest.mark.parametrize(
        "params",
        ["state=bogus", "limit=0", "limit=500", "cursor=nope", "due_within=-1", "type=chisme"],
    )
    def test_inbox_bad_filters(self, logged, query, params):
        response = logged.get(f"/api/v1/staff/queries?{params}")

        assert response.status_code == 422

    def test_inbox_keyset_pagination(self, logged, submit, agri):
        for _ in range(5):
            submit(agri, email=False)

        first = logged.get("/api/v1/staff/queries?limit=3").json()
        second = logged.get(f"/api/v1/staff/queries?limit=3&cursor={first['next_cursor']}").json()

        assert len(first["items"]) == 3 and len(second["items"]) == 2
        assert second["next_cursor"] is None
        assert not {r["id"] for r in first["items"]} & {r["id"] for r in second["items"]}

    def test_sla_bad_period(self, logged, query):
        assert logged.get("/api/v1/staff/queries/sla?year=1900").status_code == 422
        assert logged.get("/api/v1/staff/queries/sla?year=2026&month=13").status_code == 422
        assert logged.get("/api/v1/staff/queries/sla").status_code == 422
