"""The network's staff API (/api/v1/network) through the whole stack, with personal tokens:
the pages' access rule (403 for a role without the tool, 404 for another entity's object), the
same services (audited) and Spanish errors."""

import json
import re
from datetime import date

import pytest

from urna.accounts.models import Membership, Role, User
from urna.accounts.services import api_token_create
from urna.audit.models import AuditEntry
from urna.entities.models import Entity
from urna.messaging.models import OutboundMessage
from urna.network import services
from urna.queries.models import AnswerTemplate, EntityNonWorkingDay, EntityTerm, RoutingRule
from urna.queries.services.routing import route_proposal
from urna.territory.models import Municipality

pytestmark = pytest.mark.django_db
BASE = "/api/v1/network"
SITE = "https://urna.example.gov.co"


class Api:
    """The Django test client speaking JSON with one user's bearer token."""

    def __init__(self, client, user):
        _token, raw = api_token_create(user=user, by=user, name="pruebas")
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def _send(self, method, path, body=None, **params):
        call = getattr(self.client, method)
        if body is None:
            return call(BASE + path, params or None, **self.headers)
        return call(BASE + path, json.dumps(body), content_type="application/json", **self.headers)

    def get(self, path, **params):
        return self._send("get", path, **params)

    def post(self, path, body=None):
        return self._send("post", path, {} if body is None else body)

    def put(self, path, body):
        return self._send("put", path, body)

    def delete(self, path):
        return self.client.delete(BASE + path, **self.headers)


@pytest.fixture
def api(client):
    return lambda user: Api(client, user)


def _network_audit(entity, *actions):
    """The actions staff took on ``entity`` (not the fixtures' own set-up)."""
    return list(
        AuditEntry.objects.filter(entity=entity, action__in=actions, actor__isnull=False)
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- entities ---------------------------------------------------------------------------------


def test_entities_are_those_the_caller_administers(
    api, agriculture, education, agri_admin, platform_admin
):
    mine = api(agri_admin).get("/entities")
    assert mine.status_code == 200
    assert [(e["acronym"], e["staff_count"]) for e in mine.json()] == [("MINAGRICULTURA", 1)]

    detail = api(agri_admin).get(f"/entities/{agriculture.pk}").json()
    assert (detail["acronym"], detail["rule_count"], detail["template_count"]) == (
        "MINAGRICULTURA",
        0,
        0,
    )
    other = api(agri_admin).get(f"/entities/{education.pk}")
    assert other.status_code == 404
    assert other.json()["detail"] == "No encontramos esa entidad."

    everyone = api(platform_admin).get("/entities", limit=200).json()
    assert {"MINAGRICULTURA", "MINEDUCACION"} <= {e["acronym"] for e in everyone}
    assert api(platform_admin).get(f"/entities/{education.pk}").status_code == 200


def test_a_role_without_the_network_tool_gets_403(api, agriculture, agri_manager):
    manager = api(agri_manager)
    refused = manager.get("/entities")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Su rol no incluye la herramienta «Red de respuesta")
    assert manager.get(f"/entities/{agriculture.pk}/staff").status_code == 403
    assert manager.get("/partners").status_code == 403


def test_without_a_token_401(client, agriculture):
    response = client.get(f"{BASE}/entities/{agriculture.pk}/rules")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_partner_entities(api, agri_admin, platform_admin):
    services.entity_create(
        by=platform_admin, name="Universidad del Campo", acronym="UNICAMPO", kind="partner"
    )
    partners = api(agri_admin).get("/partners").json()
    assert [(p["acronym"], p["kind"], p["level"]) for p in partners] == [
        ("UNICAMPO", "partner", "national")
    ]


# --- staff ------------------------------------------------------------------------------------


def test_invite_sends_the_absolute_link_through_the_outbox(api, settings, agriculture, agri_admin):
    settings.URNA_SITE_URL = SITE
    response = api(agri_admin).post(
        f"/entities/{agriculture.pk}/staff",
        {
            "email": "Lina@Agro.gov.co",
            "first_name": "Lina",
            "last_name": "Rojas",
            "role": "analyst",
        },
    )

    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(email="lina@agro.gov.co")
    assert body == {
        "id": user.pk,
        "username": "lina.rojas",
        "full_name": "Lina Rojas",
        "active": True,
        "is_lead": False,
        "roles": [
            {
                "membership": Membership.objects.get(user=user).pk,
                "role": "analyst",
                "role_label": "Analista",
                "is_lead": False,
            }
        ],
    }
    assert not user.has_usable_password()
    message = OutboundMessage.objects.get(to="lina@agro.gov.co")
    assert message.channel == "email"
    assert re.search(re.escape(SITE) + r"/cuenta/clave/\S+/", message.body)
    assert _network_audit(agriculture, "membership.create", "staff.password_link") == [
        "membership.create",
        "staff.password_link",
    ]
    listing = api(agri_admin).get(f"/entities/{agriculture.pk}/staff").json()
    assert {m["username"] for m in listing} == {"admin.agro", "lina.rojas"}
    assert "email" not in listing[0]


def test_staff_writes_refused_for_a_role_or_another_entity(
    api, agriculture, education, agri_admin, agri_manager, edu_admin
):
    invite = {"email": "otra@agro.gov.co", "first_name": "Otra", "role": "manager"}

    refused = api(agri_manager).post(f"/entities/{agriculture.pk}/staff", invite)
    hidden = api(edu_admin).post(f"/entities/{agriculture.pk}/staff", invite)
    hidden_roles = api(edu_admin).put(
        f"/entities/{agriculture.pk}/staff/{agri_manager.pk}/roles", {"roles": ["admin"]}
    )
    # An administrator of Agriculture naming a member of Education through their own entity.
    not_a_member = api(agri_admin).post(
        f"/entities/{agriculture.pk}/staff/{edu_admin.pk}/deactivate"
    )

    assert refused.status_code == 403
    assert (hidden.status_code, hidden_roles.status_code, not_a_member.status_code) == (
        404,
        404,
        404,
    )
    assert not User.objects.filter(email="otra@agro.gov.co").exists()
    assert list(Membership.objects.filter(user=agri_manager).values_list("role", flat=True)) == [
        "manager"
    ]
    assert User.objects.get(pk=edu_admin.pk).is_active
    assert _network_audit(agriculture, "membership.create", "membership.delete") == []


def test_change_roles_mark_the_lead_and_deactivate(api, agriculture, agri_admin, agri_manager):
    admin = api(agri_admin)
    url = f"/entities/{agriculture.pk}/staff/{agri_manager.pk}"

    changed = admin.put(f"{url}/roles", {"roles": ["analyst", "campaign"]})
    assert changed.status_code == 200
    assert [r["role"] for r in changed.json()["roles"]] == ["analyst", "campaign"]
    assert set(Membership.objects.filter(user=agri_manager).values_list("role", flat=True)) == {
        Role.ANALYST,
        Role.CAMPAIGN,
    }
    assert sorted(_network_audit(agriculture, "membership.create", "membership.delete")) == [
        "membership.create",
        "membership.create",
        "membership.delete",
    ]

    empty = admin.put(f"{url}/roles", {"roles": []})
    assert empty.status_code == 422
    assert empty.json()["detail"].startswith("Elija al menos un rol")
    unknown = admin.put(f"{url}/roles", {"roles": ["jefe"]})
    assert unknown.status_code == 422
    assert unknown.json()["errors"]["roles.0"][0].startswith("Valor no permitido")

    analyst = Membership.objects.get(user=agri_manager, role=Role.ANALYST)
    lead = admin.put(f"/entities/{agriculture.pk}/memberships/{analyst.pk}/lead", {"is_lead": True})
    assert lead.json()["is_lead"] is True
    assert _network_audit(agriculture, "membership.lead") == ["membership.lead"]

    gone = admin.post(f"{url}/deactivate")
    assert gone.json() == {"account_deactivated": True}
    assert not User.objects.get(pk=agri_manager.pk).is_active
    assert not Membership.objects.filter(user=agri_manager).exists()
    assert _network_audit(agriculture, "staff.deactivate") == ["staff.deactivate"]


def test_the_last_administrator_keeps_their_role(api, agriculture, agri_admin, make_staff):
    other = make_staff(agriculture, Role.ADMIN, username="admin2.agro")
    response = api(other).put(
        f"/entities/{agriculture.pk}/staff/{agri_admin.pk}/roles", {"roles": ["manager"]}
    )
    assert response.status_code == 200  # another administrator stays
    last = api(other).put(
        f"/entities/{agriculture.pk}/staff/{other.pk}/roles", {"roles": ["manager"]}
    )
    assert last.status_code == 422
    assert last.json()["detail"].startswith("La entidad debe conservar al menos un administrador")
    assert Membership.objects.filter(user=other, role=Role.ADMIN).exists()


# --- routing rules ----------------------------------------------------------------------------


def test_rules_crud_and_the_routing_test_uses_the_routing_matcher(
    api, agriculture, education, agri_admin, edu_admin
):
    admin = api(agri_admin)
    url = f"/entities/{agriculture.pk}/rules"

    created = admin.post(url, {"priority": 10, "keywords": "cosecha, riego", "department": "17"})
    assert created.status_code == 201
    rule = RoutingRule.objects.get(pk=created.json()["id"])
    assert (rule.entity, rule.keywords, rule.department_id) == (agriculture, "cosecha, riego", "17")

    manizales = Municipality.objects.get(code="17001")
    sample = {"text": "Se perdió la cosecha de café", "type": "peticion"}
    tested = admin.get(f"{url}/test", **sample, municipality="17001").json()
    assert tested == {
        "entity": {"id": agriculture.pk, "name": agriculture.name, "acronym": "MINAGRICULTURA"},
        "priority": 10,
        "own_rule": True,
        "rule": rule.pk,
    }
    assert route_proposal(text=sample["text"], type="peticion", municipality=manizales) == (
        agriculture
    )
    # Outside Caldas the rule does not hold: the platform team's triage queue.
    elsewhere = admin.get(f"{url}/test", **sample, municipality="05001").json()
    assert elsewhere == {"entity": None, "priority": None, "own_rule": False, "rule": None}
    # Education's administrator sees the winner is another entity's rule, not its id.
    seen = (
        api(edu_admin)
        .get(f"/entities/{education.pk}/rules/test", **sample, municipality="17001")
        .json()
    )
    assert (seen["entity"]["acronym"], seen["own_rule"], seen["rule"]) == (
        "MINAGRICULTURA",
        False,
        None,
    )

    updated = admin.put(f"{url}/{rule.pk}", {"priority": 20, "query_type": "queja"})
    assert updated.json()["query_type"] == "queja"
    assert admin.get(url).json()[0]["priority"] == 20

    no_condition = admin.post(url, {"priority": 5})
    assert no_condition.status_code == 422
    assert no_condition.json()["errors"]["keywords"] == [
        "Indique al menos una condición: palabras clave, tipo, departamento o municipio."
    ]
    bad_place = admin.post(url, {"keywords": "x", "municipality": "99999"})
    assert bad_place.status_code == 422
    assert bad_place.json()["detail"] == "No existe un municipio con ese código DANE."

    assert (
        api(edu_admin)
        .put(f"/entities/{education.pk}/rules/{rule.pk}", {"keywords": "y"})
        .status_code
        == 404
    )
    assert api(edu_admin).delete(f"/entities/{agriculture.pk}/rules/{rule.pk}").status_code == 404
    assert RoutingRule.objects.filter(pk=rule.pk, priority=20).exists()

    assert admin.delete(f"{url}/{rule.pk}").status_code == 204
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()
    assert _network_audit(
        agriculture, "routing_rule.create", "routing_rule.update", "routing_rule.delete"
    ) == [
        "routing_rule.create",
        "routing_rule.update",
        "routing_rule.delete",
    ]


# --- terms and non-working days ---------------------------------------------------------------


def test_terms_are_set_all_or_none(api, agriculture, education, agri_admin, agri_manager):
    admin = api(agri_admin)
    url = f"/entities/{agriculture.pk}/terms"

    rows = {r["type"]: r for r in admin.put(url, {"terms": {"queja": 10}}).json()}
    assert (rows["queja"]["own_days"], rows["queja"]["business_days"]) == (10, 10)
    assert (rows["peticion"]["configurable"], rows["peticion"]["business_days"]) == (False, 15)

    refused = admin.put(url, {"terms": {"reclamo": 12, "peticion": 5}})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"peticion": ["El término de ese tipo lo fija la ley."]}
    assert dict(
        EntityTerm.objects.filter(entity=agriculture).values_list("type", "business_days")
    ) == {"queja": 10}
    assert api(agri_manager).put(url, {"terms": {"queja": 5}}).status_code == 403
    assert admin.put(f"/entities/{education.pk}/terms", {"terms": {"queja": 5}}).status_code == 404
    assert _network_audit(agriculture, "entity_term.set") == ["entity_term.set"]
    assert admin.get(url).json() == list(rows.values())


def test_non_working_days(api, agriculture, education, agri_admin, edu_admin):
    admin = api(agri_admin)
    url = f"/entities/{agriculture.pk}/non-working-days"

    added = admin.post(url, {"date": "2027-03-10", "reason": "Traslado de sede"})
    assert added.status_code == 201
    day = EntityNonWorkingDay.objects.get(entity=agriculture)
    assert added.json() == {"id": day.pk, "date": "2027-03-10", "reason": "Traslado de sede"}
    assert admin.get(url).json() == [added.json()]

    holiday = admin.post(url, {"date": "2027-03-22", "reason": "Festivo"})
    assert holiday.status_code == 422
    assert holiday.json()["detail"] == "Ese día es festivo nacional: ya no cuenta."

    assert (
        api(edu_admin).delete(f"/entities/{education.pk}/non-working-days/{day.pk}").status_code
        == 404
    )
    assert admin.delete(f"{url}/{day.pk}").status_code == 204
    assert not EntityNonWorkingDay.objects.filter(entity=agriculture).exists()
    assert day.date == date(2027, 3, 10)
    assert _network_audit(agriculture, "non_working_day.create", "non_working_day.delete") == [
        "non_working_day.create",
        "non_working_day.delete",
    ]


# --- answer templates -------------------------------------------------------------------------


def test_templates_check_their_placeholders(
    api, agriculture, education, agri_admin, agri_manager, edu_admin, platform_admin
):
    admin = api(agri_admin)
    url = f"/entities/{agriculture.pk}/templates"
    text = "Su solicitud {radicado} fue atendida por {entidad}."

    created = admin.post(url, {"title": "Respuesta breve", "body": text})
    assert created.status_code == 201
    template = AnswerTemplate.objects.get(pk=created.json()["id"])
    assert (template.entity, template.body, created.json()["shared"]) == (agriculture, text, False)

    typo = admin.put(
        f"{url}/{template.pk}", {"title": "Respuesta breve", "body": "Radicado {radicdo}."}
    )
    assert typo.status_code == 422
    assert typo.json()["errors"]["body"] == [
        "Marcadores desconocidos: {radicdo}. Puede usar: {radicado}, {fecha}, {vence}, {tipo}, "
        "{entidad}, {gestor}."
    ]
    template.refresh_from_db()
    assert template.body == text

    renamed = admin.put(f"{url}/{template.pk}", {"title": "Respuesta corta", "body": text})
    assert renamed.json()["title"] == "Respuesta corta"

    shared = api(platform_admin).post(
        "/shared-templates", {"title": "Común", "body": "Gracias por escribir a {entidad}."}
    )
    assert shared.status_code == 201
    assert [(t["title"], t["shared"]) for t in admin.get(url).json()] == [
        ("Respuesta corta", False),
        ("Común", True),
    ]
    assert (
        admin.post(
            "/shared-templates", {"title": "Mía", "body": "Gracias por escribir."}
        ).status_code
        == 403
    )

    assert api(agri_manager).post(url, {"title": "Otra", "body": text}).status_code == 403
    assert (
        api(edu_admin)
        .put(f"/entities/{education.pk}/templates/{template.pk}", {"title": "X x x", "body": text})
        .status_code
        == 404
    )
    assert AnswerTemplate.objects.filter(entity=agriculture).count() == 1
    assert _network_audit(agriculture, "answer_template.update") == ["answer_template.update"]


# --- territorial offices ----------------------------------------------------------------------


def test_only_the_platform_team_opens_a_territorial_office(
    api, settings, agri_admin, platform_admin
):
    settings.URNA_SITE_URL = SITE
    office = {
        "municipality": "17001",
        "admin": {"email": "alcaldia@manizales.gov.co", "first_name": "Ana", "last_name": "Mejía"},
    }

    refused = api(agri_admin).post("/offices", office)
    assert refused.status_code == 403
    assert not User.objects.filter(email="alcaldia@manizales.gov.co").exists()

    opened = api(platform_admin).post("/offices", office)
    assert opened.status_code == 201
    body = opened.json()
    entity = Entity.objects.get(pk=body["office"]["id"])
    assert (entity.kind, entity.municipality_id, entity.active) == ("mayoralty", "17001", True)
    assert (body["admin"]["username"], body["admin"]["roles"][0]["role"]) == ("ana.mejia", "admin")
    assert body["admin"]["is_lead"] is True
    message = OutboundMessage.objects.get(to="alcaldia@manizales.gov.co")
    assert SITE + "/cuenta/clave/" in message.body

    listed = api(platform_admin).get("/offices").json()
    assert [(o["id"], o["staff_count"]) for o in listed] == [(entity.pk, 1)]
    assert api(agri_admin).get("/offices").status_code == 200

    neither = api(platform_admin).post("/offices", {"admin": office["admin"]})
    assert neither.status_code == 422
    assert neither.json()["detail"] == "Elija el municipio o el departamento."


def test_the_openapi_schema_lists_the_network_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    network = {path for path in schema["paths"] if path.startswith(BASE)}
    assert {
        f"{BASE}/entities",
        f"{BASE}/entities/{{pk}}",
        f"{BASE}/partners",
        f"{BASE}/entities/{{pk}}/staff",
        f"{BASE}/entities/{{pk}}/staff/{{user_pk}}/roles",
        f"{BASE}/entities/{{pk}}/staff/{{user_pk}}/deactivate",
        f"{BASE}/entities/{{pk}}/rules",
        f"{BASE}/entities/{{pk}}/rules/{{rule_pk}}",
        f"{BASE}/entities/{{pk}}/rules/test",
        f"{BASE}/entities/{{pk}}/terms",
        f"{BASE}/entities/{{pk}}/non-working-days",
        f"{BASE}/entities/{{pk}}/templates",
        f"{BASE}/entities/{{pk}}/templates/{{template_pk}}",
        f"{BASE}/offices",
    } <= network
    tags = {
        tag
        for path in network
        for operation in schema["paths"][path].values()
        for tag in operation["tags"]
    }
    assert tags == {"red de entidades"}
