"""The public dashboard, its downloads and the staff pages: what they show, who sees what, and
that a page costs the same few queries whatever the data stored."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.entities.models import Entity
from urna.entities.services import platform_entity
from urna.indicators import services
from urna.indicators.models import IndicatorGoal, ManualValue

YEAR = timezone.localdate().year


@pytest.fixture
def figures(fact, agri, platform_staff):
    """Two years of facts for the platform, the Ministry of Agriculture and Caldas (17), and
    goals for both years, one an example."""
    for year, people, answered in ((YEAR - 1, 800, 40), (YEAR, 1000, 50)):
        fact("people_reached", year, 0, people)
        fact("people_reached", year, 1, people // 2)
        fact("replies_answered", year, 0, answered)
        fact("people_reached", year, 0, people // 10, scope_kind="entity", scope=agri.pk)
        fact("people_reached", year, 0, 7, scope_kind="department", scope="17")
    fact("replies_median_days", YEAR - 1, 0, 10)
    fact("replies_median_days", YEAR, 0, 8)
    for channel, n in (("in_person", 30), ("tv", 12), ("sms", 604)):
        fact("interactions_total", YEAR, 0, n, dim=channel)
        fact("interactions_contributions", YEAR, 0, n, dim=channel)
    fact("channel_inbound", YEAR, 0, 604, dim="sms")
    fact("channel_outbound", YEAR, 0, 90, dim="sms")
    services.goal_set(by=platform_staff, key="people_reached", year=YEAR, target="1250")
    services.goal_set(by=platform_staff, key="replies_median_days", year=YEAR, target="6")
    goal = services.goal_set(
        by=platform_staff, key="people_reached", year=YEAR - 1, target="1000", is_example=True
    )
    return goal


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_public_table_shows_years_side_by_side_with_goal_reached_and_trend(client, figures):
    html = _html(client.get("/indicadores/"))

    assert f'<th scope="colgroup" colspan="4" id="y{YEAR - 1}">{YEAR - 1}</th>' in html
    assert f'id="y{YEAR}">{YEAR}</th>' in html
    assert "Personas alcanzadas" in html
    # this year: 1,000 of a 1,250 goal (80 %), up 25 % on last year's 800
    assert "1.250" in html and "80 %" in html
    assert '<span aria-hidden="true">↑</span> sube 25 %' in html
    # days: less is better, 8 against a ceiling of 6 = 75 %; down 20 % on 10
    assert "75 %" in html
    assert '<span aria-hidden="true">↓</span> baja 20 %' in html
    assert "Meta de ejemplo" in html
    assert "<caption>" in html and 'scope="row"' in html


def test_a_percentage_changes_in_points_and_the_first_year_has_nothing_to_compare(
    client, fact, figures
):
    fact("replies_within_term_pct", YEAR - 1, 0, 80.0)
    fact("replies_within_term_pct", YEAR, 0, 92.5)

    body = client.get(f"/api/v1/indicators?year={YEAR}").json()
    html = _html(client.get("/indicadores/"))

    row = next(i for i in body["indicators"] if i["key"] == "replies_within_term_pct")
    assert [(y["change"], y["change_unit"], y["trend"]) for y in row["years"]] == [
        (None, "points", ""),
        (12.5, "points", "up"),
    ]
    people = next(i for i in body["indicators"] if i["key"] == "people_reached")
    assert people["years"][0]["trend"] == ""  # the first year with data: nothing before it
    assert '<span aria-hidden="true">↑</span> sube 12,5 puntos' in html


def test_channels_are_shown_by_their_spanish_labels_with_charts_and_table_alternatives(
    client, figures
):
    html = _html(client.get("/indicadores/"))

    for label in ("Presencial", "Televisión", "SMS"):
        assert f'<th scope="row">{label}</th>' in html
    assert ">in_person<" not in html and ">tv<" not in html
    assert html.count('role="img"') >= 4  # the monthly series and the channel chart
    assert "<title id=" in html and "<desc id=" in html
    assert html.count('<details class="chart-table">') == html.count("<figure") - 1
    assert '<th scope="row">Enero</th>' in html
    assert "Mensajes y envíos recibidos" in html and "604" in html


def test_filters_by_entity_and_department_are_a_get_form(client, figures, agri):
    by_entity = _html(client.get(f"/indicadores/?anio={YEAR}&entidad={agri.slug}"))
    by_department = _html(client.get(f"/indicadores/?anio={YEAR}&departamento=17"))
    both = _html(client.get(f"/indicadores/?entidad={agri.slug}&departamento=17"))

    assert f"Mostrando: {agri.name}, {YEAR}." in by_entity
    assert "Consultas respondidas" in by_entity
    assert "Mostrando: Caldas" in by_department
    assert "Consultas respondidas" not in by_department  # not computed per department
    assert "no los dos a la vez" in both
    assert 'aria-invalid="true"' in both
    assert "Mostrando: Toda la plataforma" in both


def test_every_table_downloads_as_csv_with_a_bom_and_as_json(client, figures, agri):
    html = _html(client.get(f"/indicadores/?anio={YEAR}&entidad={agri.slug}"))
    for name in ("indicadores", "series", "canales", "trafico"):
        assert f"/indicadores/tablas/{name}.csv?anio={YEAR}&amp;entidad={agri.slug}" in html

    csv = client.get(f"/indicadores/tablas/indicadores.csv?anio={YEAR}")
    data = client.get(f"/indicadores/tablas/canales.json?anio={YEAR}").json()

    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeffclave,indicador,grupo,unidad,anio,valor,meta,avance_pct")
    assert (
        f"people_reached,Personas alcanzadas,Alcance,count,{YEAR},1000.0,1250.0,80.0,25.0,%,up"
        in (text)
    )
    assert data["table"] == "canales"
    assert data["scope"] == {
        "kind": "all",
        "entity": None,
        "department": None,
        "name": "Toda la plataforma",
    }
    assert data["rows"][0]["canal"] == "sms"
    assert {r["nombre_canal"] for r in data["rows"]} == {"SMS", "Presencial", "Televisión"}


def test_a_download_with_a_bad_filter_is_a_400_in_spanish(client, figures):
    response = client.get("/indicadores/tablas/series.csv?anio=1800")

    assert response.status_code == 400
    assert "Escoja una opción válida" in response.content.decode()
    assert client.get("/indicadores/tablas/nada.csv").status_code == 404


def test_manual_figures_join_the_table_with_their_source(
    client, figures, platform_staff, make_manual
):
    mentions = make_manual(
        "menciones", label="Menciones en medios", source="Monitoreo de medios", is_example=True
    )
    for period, n in ((f"{YEAR}-01", "10"), (f"{YEAR}-02", "15"), (f"{YEAR - 1}", "20")):
        services.manual_value_create(by=platform_staff, indicator=mentions, period=period, value=n)

    data = client.get(f"/api/v1/indicators?year={YEAR}").json()
    row = next(i for i in data["indicators"] if i["key"] == "menciones")

    assert row["manual"] is True and row["example"] is True
    assert [(y["year"], y["value"], y["trend"]) for y in row["years"]] == [
        (YEAR - 1, 20.0, ""),
        (YEAR, 25.0, "up"),
    ]
    html = _html(client.get("/indicadores/"))
    assert "Registrado a mano · fuente: Monitoreo de medios" in html
    assert "Dato de ejemplo" in html


# --- query counts --------------------------------------------------------------------------------


SOURCE_TABLES = ("exercises_", "queries_", "contacts_", "messaging_", "channels_", "campaigns_")


def _queries(client, url: str) -> int:
    cache.clear()  # count the queries of a first view, not of a cached filter list
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    scanned = [q["sql"] for q in captured if any(t in q["sql"] for t in SOURCE_TABLES)]
    assert scanned == []
    return len(captured)


def _grow(fact, agri, n: int) -> None:
    """More facts over more months, channels and entities."""
    for month in range(1, 13):
        for k in range(n):
            fact("interactions_total", YEAR - 1, month, k, dim=f"c{k}")
    for entity in Entity.objects.exclude(pk=agri.pk)[:n]:
        fact("people_reached", YEAR, 0, 1, scope_kind="entity", scope=entity.pk)


def test_the_public_page_and_the_api_cost_a_constant_few_queries(client, fact, figures, agri):
    urls = ["/indicadores/", f"/indicadores/?entidad={agri.slug}", "/api/v1/indicators"]
    before = [_queries(client, url) for url in urls]

    _grow(fact, agri, 20)
    after = [_queries(client, url) for url in urls]

    assert before == after
    assert max(after) <= 20


# --- staff pages ---------------------------------------------------------------------------------


def test_a_manager_sees_only_their_entity_even_by_tampering_with_the_address(
    client, figures, make_staff, agri, edu
):
    client.force_login(make_staff(agri, Role.MANAGER))

    own = _html(client.get("/indicadores/gestion/"))
    tampered = client.get(f"/indicadores/gestion/?entidad={edu.pk}")
    platform = client.get("/indicadores/gestion/?entidad=")

    assert f"Indicadores · {agri.name}" in own
    assert edu.name not in own
    assert "Indicadores manuales: registrar datos" not in own
    assert tampered.status_code == 404
    assert f"Indicadores · {agri.name}" in _html(platform)  # no "whole platform" for them


def test_staff_without_an_indicators_role_get_a_403(client, make_staff, agri):
    client.force_login(make_staff(agri, Role.MODERATOR))

    assert client.get("/indicadores/gestion/").status_code == 403


def test_platform_staff_pick_any_entity_or_the_whole_platform(client, figures, platform_staff, edu):
    client.force_login(platform_staff)

    everything = _html(client.get("/indicadores/gestion/"))
    education = _html(client.get(f"/indicadores/gestion/?entidad={edu.pk}"))

    assert "Indicadores · Toda la plataforma" in everything
    assert "Indicadores manuales: registrar datos" in everything
    assert f"Indicadores · {edu.name}" in education


@pytest.mark.parametrize("url", ["/indicadores/gestion/manuales/", "/indicadores/gestion/metas/"])
def test_manual_and_goal_pages_are_for_platform_staff_only(client, make_staff, agri, url):
    client.force_login(make_staff(agri, Role.MANAGER))

    assert client.get(url).status_code == 403
    assert client.post(url, {"key": "people_reached", "year": YEAR, "target": "1"}).status_code == (
        403
    )
    assert IndicatorGoal.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/indicadores/gestion/metas/")

    assert response.status_code == 302
    assert "/cuenta/" in response["Location"]


def test_the_goals_page_sets_a_goal_and_shows_errors_on_the_field(client, platform_staff, agri):
    client.force_login(platform_staff)

    bad = client.post(
        "/indicadores/gestion/metas/",
        {"key": "replies_within_term_pct", "year": YEAR, "target": "120"},
    )
    good = client.post(
        "/indicadores/gestion/metas/",
        {"key": "people_reached", "year": YEAR, "target": "5000", "entity": agri.pk},
    )

    html = _html(bad)
    assert "Un porcentaje no puede ser mayor que 100." in html
    assert 'aria-describedby="id_target_helptext id_target_error"' in html
    assert good.status_code == 302
    goal = IndicatorGoal.objects.get()
    assert (goal.key, goal.entity, goal.target, goal.updated_by) == (
        "people_reached",
        agri,
        5000,
        platform_staff,
    )
    listed = _html(client.get(f"/indicadores/gestion/metas/?anio={YEAR}"))
    assert "Personas alcanzadas" in listed and agri.name in listed


def test_the_manual_page_records_a_value_and_refuses_a_negative_one(client, platform_staff):
    client.force_login(platform_staff)
    client.post(
        "/indicadores/gestion/manuales/nuevo/",
        {
            "key": "audiencia_radio",
            "label": "Audiencia de los programas de radio",
            "group": "audience",
            "unit": "count",
            "aggregation": "sum",
            "source": "Emisoras aliadas",
        },
    )
    indicator_id = AuditEntry.objects.get(action="indicators.manual_create").object_id

    bad = client.post(
        "/indicadores/gestion/manuales/",
        {"indicator": indicator_id, "period": f"{YEAR}-01", "value": "-20"},
    )
    future = client.post(
        "/indicadores/gestion/manuales/",
        {"indicator": indicator_id, "period": f"{YEAR + 1}", "value": "20"},
    )
    good = client.post(
        "/indicadores/gestion/manuales/",
        {"indicator": indicator_id, "period": f"{YEAR}-01", "value": "2500"},
    )

    assert "El valor no puede ser negativo." in _html(bad)
    assert 'id="id_value_error"' in bad.content.decode()
    assert "aún no ha empezado" in _html(future)
    assert good.status_code == 302
    value = ManualValue.objects.get()
    assert (value.value, value.source, value.entered_by) == (
        2500,
        "Emisoras aliadas",
        platform_staff,
    )
    page = _html(client.get("/indicadores/gestion/manuales/"))
    assert "Audiencia de los programas de radio" in page and "2.500" in page


@pytest.mark.parametrize("url", ["/indicadores/gestion/manuales/", "/indicadores/gestion/metas/"])
def test_manual_and_goal_pages_link_the_dashboard_only_for_those_it_opens_for(
    client, make_staff, platform_staff, url
):
    moderator = make_staff(platform_entity(), Role.MODERATOR, username="moderadora.urna")
    dashboard = 'href="/indicadores/gestion/"'

    client.force_login(moderator)
    moderator_page = client.get(url)
    refused = client.get("/indicadores/gestion/")
    client.force_login(platform_staff)
    manager_page = client.get(url)

    assert moderator_page.status_code == 200
    assert refused.status_code == 403
    assert dashboard not in _html(moderator_page)
    assert dashboard in _html(manager_page)
