"""The platform team creates, edits and deactivates entities (partners and territorial
offices too), each change in the audit log."""

import pytest
from django.urls import reverse

from urna.accounts.models import Membership, Role, User
from urna.accounts.permissions import can
from urna.audit.models import AuditEntry
from urna.entities.models import Entity
from urna.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db


def test_create_a_partner_entity(login, platform_admin):
    response = login(platform_admin).post(
        reverse("network:entity_create"),
        {
            "name": "Universidad de Caldas",
            "acronym": "ucaldas",
            "kind": "partner",
            "sector": "Educación",
            "department": "17",
        },
    )
    entity = Entity.objects.get(acronym="UCALDAS")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:entity", args=[entity.pk])
    assert (entity.kind, entity.level, entity.department_id) == ("partner", "territorial", "17")
    entry = AuditEntry.objects.get(action="entity.create", object_id=str(entity.pk))
    assert entry.actor == platform_admin
    assert entry.after["acronym"] == "UCALDAS"


def test_clear_spanish_errors(login, platform_admin, agriculture):
    response = login(platform_admin).post(
        reverse("network:entity_create"),
        {"name": "Alcaldía repetida", "acronym": agriculture.acronym, "kind": "mayoralty"},
    )
    assert response.status_code == 422
    assert "Ya existe una entidad con esa sigla." in response.content.decode()
    response = login(platform_admin).post(
        reverse("network:entity_create"),
        {"name": "Alcaldía sin lugar", "acronym": "ALC-X", "kind": "mayoralty"},
    )
    assert response.status_code == 422
    assert "Una alcaldía necesita su municipio." in response.content.decode()
    assert not Entity.objects.filter(acronym="ALC-X").exists()


def test_edit_and_deactivate(login, platform_admin, agriculture, agri_admin):
    client = login(platform_admin)
    response = client.post(
        reverse("network:entity_edit", args=[agriculture.pk]),
        {
            "name": "Ministerio de Agricultura y Desarrollo Rural",
            "acronym": "MINAGRICULTURA",
            "kind": "ministry",
            "sector": "Agropecuario y rural",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="entity.update", object_id=str(agriculture.pk))
    assert entry.after == {"sector": "Agropecuario y rural"}
    client.post(reverse("network:entity_active", args=[agriculture.pk]), {"active": "0"})
    agriculture.refresh_from_db()
    assert agriculture.active is False
    assert AuditEntry.objects.filter(action="entity.deactivate").count() == 1
    # Its administrator's role no longer counts anywhere.
    fresh = User.objects.get(pk=agri_admin.pk)
    assert not can(fresh, "network.manage", agriculture)


def test_open_a_territorial_office_with_its_admin(login, platform_admin, divipola):
    response = login(platform_admin).post(
        reverse("network:offices"),
        {
            "municipality": "17174",
            "first_name": "Carla",
            "last_name": "Chinchiná",
            "email": "Carla@Chinchina.gov.co",
        },
    )
    office = Entity.objects.get(kind="mayoralty", municipality_id="17174")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:entity", args=[office.pk])
    membership = Membership.objects.get(entity=office)
    assert (membership.role, membership.is_lead) == (Role.ADMIN, True)
    admin = membership.user
    assert admin.email == "carla@chinchina.gov.co" and admin.is_staff
    assert not admin.has_usable_password()
    assert can(admin, "network.manage", office)
    assert OutboundMessage.objects.filter(to=admin.email, channel="email").count() == 1
    assert AuditEntry.objects.filter(action="entity.create", object_id=str(office.pk)).exists()
    # The office now shows in the list of offices.
    page = login(platform_admin).get(reverse("network:offices"))
    assert office in list(page.context["offices"])
