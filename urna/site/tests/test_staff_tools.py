"""The staff office lists each role exactly the tools it opens; any other tool answers 403 with
the roles that would open it (never a 404, which is kept for another entity's objects)."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from urna.accounts.demo import DEMO_STAFF
from urna.accounts.demo import demo_load as accounts_demo
from urna.accounts.staff_tools import STAFF_TOOLS, StaffTool, staff_tool_register, tools_for
from urna.entities.demo import demo_load as entities_demo

pytestmark = pytest.mark.django_db

# One user per kind of membership among the demo staff: each platform role, a ministry's
# manager and analyst, a mayor's office manager.
PROFILES = ["admin", "moderadora", "analista", "campanas", "gestor.agricultura"]
PROFILES += ["analista.agricultura", "gestor.manizales"]


@pytest.fixture
def demo_staff():
    out = StringIO()
    entities_demo(stdout=out)
    accounts_demo(stdout=out)
    return get_user_model().objects


def _listed(client) -> set[str]:
    page = client.get("/staff/").content.decode()
    tools = page.split("<h2>Herramientas</h2>", 1)[1]
    return set(re.findall(r'<li><a href="([^"]+)"', tools))


def test_the_profiles_cover_every_demo_role():
    assert {role for _u, _e, role, *_ in DEMO_STAFF} == {
        role for username, _e, role, *_ in DEMO_STAFF if username in PROFILES
    }


@pytest.mark.parametrize("username", PROFILES)
def test_the_office_lists_exactly_the_tools_that_open(client, demo_staff, username):
    client.force_login(demo_staff.get(username=username))
    listed = _listed(client)
    opened, refused = set(), {}
    for tool in STAFF_TOOLS:
        url = reverse(tool.url_name)
        response = client.get(url)
        assert response.status_code in (200, 403), (url, response.status_code)
        if response.status_code == 200:
            opened.add(url)
        else:
            refused[url] = response.content.decode()
    assert listed == opened
    for url, page in refused.items():
        assert "Acceso no permitido" in page
        assert "Su rol no incluye la herramienta" in page, url
        assert re.search(r"La abren estos roles[^<]*: Administrador", page), url
    if username == "admin":
        assert not refused


def test_a_manager_is_told_which_roles_open_the_channels_inbox(client, demo_staff):
    client.force_login(demo_staff.get(username="gestor.agricultura"))
    response = client.get("/channels/gestion/mensajes/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "«Mensajes recibidos por los canales»" in page
    assert "equipo de la plataforma (URNA): Administrador, Moderador." in page
    assert 'href="/staff/"' in page


def test_the_refusal_is_in_english_for_an_english_page(client, demo_staff, settings):
    client.force_login(demo_staff.get(username="moderadora"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/campanas/").content.decode()
    assert "Your role does not include the tool" in page
    assert "Campaign officer" in page


def test_a_moderator_sees_moderation_tools_and_not_the_query_inbox(client, demo_staff):
    client.force_login(demo_staff.get(username="moderadora"))
    listed = _listed(client)
    assert "/channels/consola/" in listed and "/ejercicios/gestion/" in listed
    assert "/consultas/gestion/" not in listed and "/campanas/" not in listed


def test_another_app_appends_a_tool(client, demo_staff, monkeypatch):
    monkeypatch.setattr("urna.accounts.staff_tools.STAFF_TOOLS", list(STAFF_TOOLS))
    staff_tool_register(
        StaffTool("site:home", "Herramienta de prueba", "network", "query.triage", platform=True)
    )
    admin = demo_staff.get(username="admin")
    manager = demo_staff.get(username="gestor.agricultura")
    # Under its section's heading, after the tools already there (the network's own).
    network = [tools for heading, tools in tools_for(admin) if heading == "Red de entidades"]
    assert [t.label for t in network[0]][-1] == "Herramienta de prueba"
    assert all(t.url_name != "site:home" for _h, tools in tools_for(manager) for t in tools)
