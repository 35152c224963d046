"""Every staff page inside a tool refuses a role without the tool with the tool's own 403 (the
roles that open it), before it looks anything up; a role with the tool opens the inner pages,
and another entity's object stays a 404 for it."""

import html
import re
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from urna.accounts.demo import demo_load as accounts_demo
from urna.accounts.staff_tools import refusal_message, staff_tool, tool_allows
from urna.campaigns.models import Segment
from urna.entities.demo import demo_load as entities_demo
from urna.entities.models import Entity

pytestmark = pytest.mark.django_db

# One user per kind of membership among the demo staff, and a staff member with no role.
PROFILES = ["admin", "moderadora", "analista", "campanas", "gestor.agricultura"]
PROFILES += ["analista.agricultura", "gestor.manizales", "admin.manizales", "sin.rol"]

# Apps whose every page is a staff page, and the path segments of staff pages elsewhere.
STAFF_NAMESPACES = {"campaigns", "insights", "network", "results"}
STAFF_SEGMENTS = ("gestion/", "equipo/", "consola/", "importaciones/", "operador/")
# Pages that open from either of two tools, so their views refuse by themselves: moderation
# alerts (the analysis tool or moderating the exercise), an entity's page (either network tool).
OWN_CHECK = {"insights:flags", "network:entity"}


def _patterns(resolver=None, prefix="", namespace=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}:{entry.name}", prefix + str(entry.pattern), entry.callback


def _staff_pages() -> list[tuple[str, str, object]]:
    return [
        (name, route, callback)
        for name, route, callback in _patterns()
        if name.split(":")[0] in STAFF_NAMESPACES or any(s in route for s in STAFF_SEGMENTS)
    ]


def _url(route: str) -> str:
    """Any value for each parameter: the tool's 403 comes before any object is looked up."""
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: "1" if m[1] == "int" else "x", route)


@pytest.fixture
def staff():
    out = StringIO()
    entities_demo(stdout=out)
    accounts_demo(stdout=out)
    get_user_model().objects.create_user(username="sin.rol", password="x", is_staff=True)
    return {u.username: u for u in get_user_model().objects.filter(username__in=PROFILES)}


def test_every_staff_page_belongs_to_a_tool():
    pages = _staff_pages()
    assert len(pages) > 100
    untooled = [
        name
        for name, _route, callback in pages
        if name not in OWN_CHECK and getattr(callback, "urna_tool", None) is None
    ]
    assert untooled == []


@pytest.mark.parametrize("username", PROFILES)
def test_a_role_without_the_tool_is_refused_on_every_page_inside_it(client, staff, username):
    user = staff[username]
    client.force_login(user)
    refused = 0
    for name, route, callback in _staff_pages():
        tool_name = getattr(callback, "urna_tool", None)
        if tool_name is None:
            continue
        tool = staff_tool(tool_name)
        if tool_allows(user, tool):
            continue
        response = client.get(_url(route))
        assert response.status_code == 403, (name, response.status_code)
        with translation.override(settings.LANGUAGE_CODE):
            assert refusal_message(tool) in html.unescape(response.content.decode()), name
        refused += 1
    if username == "admin":
        assert refused == 0
    else:
        assert refused > 0


INNER_PAGES = [
    ("campanas", "/campanas/segmentos/nuevo/"),
    ("gestor.agricultura", "/redes-oficiales/equipo/nueva/"),
    ("gestor.agricultura", "/consultas/gestion/plantillas/"),
    ("gestor.agricultura", "/encuestas/equipo/nueva/"),
    ("gestor.agricultura", "/ejercicios/gestion/nuevo/"),
    ("admin", "/indicadores/gestion/manuales/"),
    ("admin", "/red/entidades/nueva/"),
]


@pytest.mark.parametrize(("username", "url"), INNER_PAGES)
def test_a_role_with_the_tool_opens_its_inner_pages(client, staff, username, url):
    client.force_login(staff[username])
    assert client.get(url).status_code == 200


def test_another_entitys_object_stays_a_404_for_a_role_with_the_tool(client, staff):
    segment = Segment.objects.create(
        entity=Entity.objects.get(acronym="MINEDUCACION"), name="Docentes rurales"
    )
    url = f"/campanas/segmentos/{segment.pk}/"
    client.force_login(staff["gestor.agricultura"])
    assert client.get(url).status_code == 404
    # A role without the tool is told so first, whether or not the object exists.
    client.force_login(staff["analista.agricultura"])
    assert client.get(url).status_code == 403
    client.force_login(staff["admin"])
    assert client.get(url).status_code == 200
