"""An entity's routing rules (in the order the real routing service uses), terms and
non-working days (which the due dates of new queries follow), and answer templates with
placeholders."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from urna.audit.models import AuditEntry
from urna.network import services
from urna.queries import services as query_services
from urna.queries import terms
from urna.queries.models import AnswerTemplate, EntityNonWorkingDay, EntityTerm, RoutingRule

pytestmark = pytest.mark.django_db

TEXT = "Necesito apoyo para mi cultivo de café y el colegio de mis hijos"


def _route():
    return query_services.route_proposal(text=TEXT, type="peticion")


def test_rule_order_is_the_routing_services(
    login, agriculture, education, platform_admin, agri_admin
):
    client = login(agri_admin)
    response = client.post(
        reverse("network:rules", args=[agriculture.pk]),
        {"priority": 40, "keywords": "café, cultivo", "active": "on"},
    )
    assert response.status_code == 302
    RoutingRule.objects.create(entity=education, keywords="colegio", priority=30)
    assert _route() == education
    # The agriculture admin moves their rule before Education's.
    rule = RoutingRule.objects.get(entity=agriculture)
    client.post(
        reverse("network:rule", args=[agriculture.pk, rule.pk]),
        {"priority": 20, "keywords": "café, cultivo", "active": "on"},
    )
    assert _route() == agriculture
    # The page's test gives the same answer, and says which rule wins.
    page = client.get(
        reverse("network:rules", args=[agriculture.pk]), {"texto": TEXT, "tipo": "peticion"}
    )
    assert page.context["winner"] == RoutingRule.objects.get(entity=agriculture)
    actions = set(AuditEntry.objects.filter(entity=agriculture).values_list("action", flat=True))
    assert {"routing_rule.create", "routing_rule.update"} <= actions


def test_moving_rules_within_an_entity(agriculture, agri_admin):
    first = services.routing_rule_save(
        entity=agriculture, by=agri_admin, priority=10, keywords="arroz"
    )
    second = services.routing_rule_save(
        entity=agriculture, by=agri_admin, priority=10, keywords="arroz, maíz"
    )
    assert list(RoutingRule.objects.filter(entity=agriculture)) == [first, second]
    services.routing_rule_move(rule=second, up=True, by=agri_admin)
    assert list(RoutingRule.objects.filter(entity=agriculture)) == [second, first]
    winner = query_services.route_proposal(text="precio del arroz y el maíz", type="peticion")
    assert winner == agriculture
    assert (
        RoutingRule.objects.filter(entity=agriculture).order_by("priority", "id").first() == second
    )


def test_a_rule_needs_a_condition(login, agriculture, agri_admin):
    response = login(agri_admin).post(
        reverse("network:rules", args=[agriculture.pk]), {"priority": 5}
    )
    assert response.status_code == 422
    assert "al menos una condición" in response.content.decode()


def test_a_term_change_sets_a_new_querys_due_date(login, monday, agriculture, agri_admin):
    response = login(agri_admin).post(
        reverse("network:calendar", args=[agriculture.pk]), {"form": "terms", "queja": 5}
    )
    assert response.status_code == 302
    assert EntityTerm.objects.get(entity=agriculture, type="queja").business_days == 5
    query = query_services.query_submit(
        type="queja",
        text="Me trataron mal en la ventanilla de la oficina regional.",
        channel="web",
        entity=agriculture,
    ).query
    assert query.term_days == 5
    assert query.due_date == date(2026, 3, 9)  # five business days after Monday 2 March
    entry = AuditEntry.objects.get(action="entity_term.set", entity=agriculture)
    assert entry.after == {"type": "queja", "business_days": 5}
    # Back to the law's term (empty field).
    login(agri_admin).post(
        reverse("network:calendar", args=[agriculture.pk]), {"form": "terms", "queja": ""}
    )
    assert not EntityTerm.objects.filter(entity=agriculture).exists()


def test_a_term_out_of_range_is_refused(login, agriculture, agri_admin):
    response = login(agri_admin).post(
        reverse("network:calendar", args=[agriculture.pk]), {"form": "terms", "queja": 45}
    )
    assert response.status_code == 422
    assert not EntityTerm.objects.exists()


def test_a_non_working_day_moves_due_dates(login, monday, agriculture, agri_admin):
    before = terms.due_date(filed_at=monday, business_days=15, entity=agriculture)
    response = login(agri_admin).post(
        reverse("network:calendar", args=[agriculture.pk]),
        {"form": "day", "date": "2026-03-04", "reason": "Jornada de inventario"},
    )
    assert response.status_code == 302
    query = query_services.query_submit(
        type="peticion",
        text="Solicito información sobre el programa de vivienda rural.",
        channel="web",
        entity=agriculture,
    ).query
    assert query.due_date == terms.add_business_days(before, 1)
    assert (
        AuditEntry.objects.filter(action="non_working_day.create", entity=agriculture).count() == 1
    )


def test_holidays_and_days_errors(login, agriculture, agri_admin):
    client = login(agri_admin)
    page = client.get(reverse("network:calendar", args=[agriculture.pk]))
    assert page.status_code == 200
    assert page.context["holidays"]  # Colombia's public holidays from today on
    response = client.post(
        reverse("network:calendar", args=[agriculture.pk]),
        {"form": "day", "date": "2026-12-25", "reason": "Navidad"},
    )
    assert response.status_code == 422
    assert "festivo nacional" in response.content.decode()
    response = client.post(
        reverse("network:calendar", args=[agriculture.pk]),
        {"form": "day", "date": "2026-12-26", "reason": "Sábado"},
    )
    assert "fin de semana" in response.content.decode()
    assert not EntityNonWorkingDay.objects.filter(entity=agriculture).exists()


def test_templates_with_placeholders(login, monday, agriculture, agri_admin, agri_manager):
    client = login(agri_admin)
    url = reverse("network:templates", args=[agriculture.pk])
    bad = client.post(url, {"title": "Acuse", "body": "Su consulta {radicdo} fue recibida."})
    assert bad.status_code == 422
    assert "Marcadores desconocidos: {radicdo}" in bad.content.decode()
    preview = client.post(
        url, {"title": "Acuse", "body": "Su consulta {radicado} vence el {vence}.", "preview": "1"}
    )
    assert "PQ-2026-000123" in preview.content.decode()
    assert not AnswerTemplate.objects.filter(entity=agriculture).exists()
    saved = client.post(url, {"title": "Acuse", "body": "Su consulta {radicado} vence el {vence}."})
    template = AnswerTemplate.objects.get(entity=agriculture)
    assert saved["Location"] == reverse("network:template", args=[agriculture.pk, template.pk])
    client.post(
        saved["Location"],
        {"title": "Acuse de recibo", "body": "Su consulta {radicado} vence el {vence}. {entidad}"},
    )
    template.refresh_from_db()
    assert template.title == "Acuse de recibo"
    assert (
        AuditEntry.objects.filter(action="answer_template.update", entity=agriculture).count() == 1
    )
    # A manager using it gets the query's own values.
    query = query_services.query_submit(
        type="peticion",
        text="Solicito información sobre el programa de vivienda rural.",
        channel="web",
        entity=agriculture,
    ).query
    page = login(agri_manager).get(
        reverse("queries:staff_detail", args=[query.pk]), {"plantilla": template.pk}
    )
    assert page.context["answer_text"] == (
        f"Su consulta {query.receipt} vence el {date_format(date(2026, 3, 24), 'DATE_FORMAT')}. "
        f"{agriculture.name}"
    )
    client = login(agri_admin)
    client.post(reverse("network:template_delete", args=[agriculture.pk, template.pk]))
    assert not AnswerTemplate.objects.filter(pk=template.pk).exists()


def test_the_workspaces_template_page_checks_placeholders_too(login, agriculture, agri_manager):
    response = login(agri_manager).post(
        reverse("queries:staff_templates"),
        {"entity": agriculture.pk, "title": "Acuse", "body": "Su consulta {radicdo} fue recibida."},
    )
    assert response.status_code == 422
    assert "Marcadores desconocidos: {radicdo}" in response.content.decode()
    assert not AnswerTemplate.objects.filter(entity=agriculture).exists()


def test_the_platform_team_keeps_the_templates_of_every_entity(
    login, platform_admin, agri_admin, agriculture
):
    url = reverse("network:shared_templates")
    assert login(agri_admin).get(url).status_code == 403
    client = login(platform_admin)
    saved = client.post(
        url,
        {"title": "Traslado por competencia", "body": "Su solicitud {radicado} fue trasladada."},
    )
    template = AnswerTemplate.objects.get(entity=None, title="Traslado por competencia")
    assert saved["Location"] == reverse("network:shared_template", args=[template.pk])
    assert client.get(saved["Location"]).status_code == 200
    assert AuditEntry.objects.filter(
        action="answer_template.create", object_id=str(template.pk)
    ).exists()
    # Entities see it beside their own; an entity admin cannot change it.
    page = login(agri_admin).get(reverse("network:templates", args=[agriculture.pk]))
    assert template in list(page.context["shared"])
    assert (
        login(agri_admin)
        .post(reverse("network:shared_template_delete", args=[template.pk]))
        .status_code
        == 403
    )
    login(platform_admin).post(reverse("network:shared_template_delete", args=[template.pk]))
    assert not AnswerTemplate.objects.filter(pk=template.pk).exists()
