"""The demo shows the network: the Mayor's Office of Manizales with its own administrator and
staff, among the territorial offices, and a partner entity."""

import io

import pytest
from django.urls import reverse

from urna.accounts import demo as accounts_demo
from urna.accounts.models import User
from urna.entities import demo as entities_demo
from urna.entities.models import Entity
from urna.exercises.models import Exercise
from urna.network import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(divipola, national_entities):
    out = io.StringIO()
    entities_demo.demo_load(stdout=out)
    accounts_demo.demo_load(stdout=out)
    demo.demo_load(stdout=out)
    demo.demo_load(stdout=out)  # idempotent


def test_manizales_runs_its_own_team(client, demo_world):
    manizales = Entity.objects.get(acronym="ALC-17001")
    client.force_login(User.objects.get(username="admin.manizales"))
    index = client.get(reverse("network:index"))
    assert [e.pk for e in index.context["page"]] == [manizales.pk]
    staff = client.get(reverse("network:staff", args=[manizales.pk]))
    usernames = {m.user.username for m in staff.context["members"]}
    assert usernames == {"admin.manizales", "gestor.manizales"}
    # Another entity's pages are not theirs.
    agriculture = Entity.objects.get(acronym="MINAGRICULTURA")
    assert client.get(reverse("network:staff", args=[agriculture.pk])).status_code == 404


def test_the_platform_sees_offices_and_the_partner(client, demo_world):
    client.force_login(User.objects.get(username="admin"))
    offices = client.get(reverse("network:offices"))
    assert "Alcaldía de Manizales" in [o.name for o in offices.context["offices"]]
    partners = client.get(reverse("network:index"), {"tipo": "partner"})
    assert [e.acronym for e in partners.context["page"]] == ["UCALDAS"]
    assert Entity.objects.filter(acronym="UCALDAS").count() == 1


def test_the_office_page_lists_its_exercises(client, demo_world):
    manizales = Entity.objects.get(acronym="ALC-17001")
    Exercise.objects.create(
        owner=manizales, slug="plan-mujeres-manizales", title="Plan de igualdad de Manizales"
    )
    client.force_login(User.objects.get(username="admin.manizales"))
    page = client.get(reverse("network:entity", args=[manizales.pk]))
    assert [x.slug for x in page.context["exercises"]] == ["plan-mujeres-manizales"]
    assert "Plan de igualdad de Manizales" in page.content.decode()
