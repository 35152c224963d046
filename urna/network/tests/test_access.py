"""Who opens which page of the network: the platform administrator every entity's, an entity's
administrator their own (another entity's is a 404), a manager none (a 403 that says why)."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from urna.entities.models import Entity
from urna.queries.models import AnswerTemplate, EntityNonWorkingDay, RoutingRule

pytestmark = pytest.mark.django_db

SECTIONS = [
    "network:entity",
    "network:staff",
    "network:rules",
    "network:calendar",
    "network:templates",
]


@pytest.mark.parametrize("name", SECTIONS)
def test_entity_pages_by_role(
    login, name, agriculture, platform_admin, agri_admin, agri_manager, edu_admin
):
    url = reverse(name, args=[agriculture.pk])
    assert login(platform_admin).get(url).status_code == 200
    assert login(agri_admin).get(url).status_code == 200
    refused = login(agri_manager).get(url)
    assert refused.status_code == 403
    assert "Su rol no incluye la herramienta «Red de respuesta" in refused.content.decode()
    assert "La abren estos roles en una entidad: Administrador." in refused.content.decode()
    assert login(edu_admin).get(url).status_code == 404


@pytest.mark.parametrize("name", ["network:entity_create", "network:offices"])
def test_platform_pages(login, name, platform_admin, agri_admin, agri_manager):
    url = reverse(name)
    assert login(platform_admin).get(url).status_code == 200
    refused = login(agri_admin).get(url)
    assert refused.status_code == 403
    assert "equipo" in refused.content.decode()
    assert login(agri_manager).get(url).status_code == 403


def test_entity_edit_is_the_platform_teams(login, agriculture, platform_admin, agri_admin):
    url = reverse("network:entity_edit", args=[agriculture.pk])
    assert login(platform_admin).get(url).status_code == 200
    assert login(agri_admin).get(url).status_code == 403


def test_index_lists_what_each_manages(
    login, agriculture, platform_admin, agri_admin, agri_manager
):
    page = login(agri_admin).get(reverse("network:index"))
    assert page.status_code == 200
    assert [e.pk for e in page.context["page"]] == [agriculture.pk]
    everything = login(platform_admin).get(reverse("network:index"))
    assert everything.context["page"].paginator.count == Entity.objects.active().count()
    assert login(agri_manager).get(reverse("network:index")).status_code == 403


def test_another_entitys_objects_are_404(login, agriculture, education, agri_admin):
    rule = RoutingRule.objects.create(entity=education, keywords="colegio")
    day = EntityNonWorkingDay.objects.create(
        entity=education, date="2026-12-24", reason="Nochebuena"
    )
    template = AnswerTemplate.objects.create(
        entity=education, title="Saludo", body="Hola {radicado}"
    )
    client = login(agri_admin)
    a = agriculture.pk
    assert client.get(reverse("network:rule", args=[a, rule.pk])).status_code == 404
    assert client.post(reverse("network:rule_delete", args=[a, rule.pk])).status_code == 404
    assert client.post(reverse("network:day_delete", args=[a, day.pk])).status_code == 404
    assert client.get(reverse("network:template", args=[a, template.pk])).status_code == 404
    e = education.pk
    assert client.post(reverse("network:rule_delete", args=[e, rule.pk])).status_code == 404
    assert RoutingRule.objects.filter(pk=rule.pk).exists()
    assert EntityNonWorkingDay.objects.filter(pk=day.pk).exists()


def test_a_manager_changes_nothing(login, agriculture, agri_manager):
    client = login(agri_manager)
    response = client.post(
        reverse("network:rules", args=[agriculture.pk]), {"priority": 1, "keywords": "maíz"}
    )
    assert response.status_code == 403
    assert not RoutingRule.objects.filter(entity=agriculture).exists()


def test_pages_in_english(login, agriculture, agri_admin):
    client = login(agri_admin)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("network:calendar", args=[agriculture.pk]), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "Terms and non-working days" in body
    assert "Public holidays" in body
    assert "Términos por tipo" not in body


def test_the_staff_office_lists_the_network_to_whom_it_opens(
    login, platform_admin, agri_admin, agri_manager
):
    def listed(user):
        page = login(user).get(reverse("staff:dashboard")).content.decode()
        return [url for url in ("/red/", "/red/oficinas/") if f'href="{url}"' in page]

    assert listed(platform_admin) == ["/red/", "/red/oficinas/"]
    assert listed(agri_admin) == ["/red/"]
    assert listed(agri_manager) == []


@pytest.mark.parametrize("name", SECTIONS)
def test_every_id_is_unique_and_every_field_labelled(
    login, name, agriculture, platform_admin, agri_manager
):
    body = login(platform_admin).get(reverse(name, args=[agriculture.pk])).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', body))
    assert [i for i, n in ids.items() if n > 1] == []
    labelled = set(re.findall(r'<label for="([^"]+)"', body))
    fields = re.findall(
        r'<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|submit)")[^>]*\sid="([^"]+)"', body
    )
    assert set(fields) <= labelled


def test_list_pages_do_not_grow_queries_with_rows(
    login, django_assert_max_num_queries, agriculture, platform_admin, make_staff
):
    client = login(platform_admin)
    client.get(reverse("network:index"))  # warm the session and the user's memberships
    with django_assert_max_num_queries(12):
        client.get(reverse("network:index"))
    for n in range(8):
        make_staff(agriculture, "manager", username=f"gestor{n}")
    with django_assert_max_num_queries(12):
        client.get(reverse("network:staff", args=[agriculture.pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("network:offices"))
