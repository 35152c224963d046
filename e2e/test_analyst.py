"""The platform's analyst: logs in, opens an exercise's analysis (themes, figures), its charts with
their tables, and downloads the exercise's contributions as CSV."""

import csv
import io
import re

from playwright.sync_api import Page, expect

EXERCISE = "Pacto Nacional por el Agro y el Desarrollo Rural"


def test_insights_charts_and_export(page: Page, login) -> None:
    login("analista")
    page.get_by_role("link", name=re.compile(r"^Análisis de aportes")).click()
    page.get_by_role("link", name=EXERCISE).click()
    expect(page.get_by_role("heading", level=1, name=EXERCISE)).to_be_visible()
    themes = page.get_by_role("region", name="Temas")
    expect(themes.get_by_role("heading", level=3).first).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^Ver los gráficos")).click()
    expect(page.get_by_role("heading", level=1, name="Gráficos del análisis")).to_be_visible()
    over_time = page.get_by_role("region", name="Temas a lo largo del tiempo")
    expect(over_time.get_by_role("img")).to_be_visible()
    over_time.get_by_text("Ver como tabla").click()
    expect(over_time.get_by_role("table")).to_be_visible()

    # The exercise's staff page: its contributions as a spreadsheet.
    page.goto("/staff/")
    page.get_by_role("link", name=re.compile(r"^Ejercicios de participación")).click()
    page.get_by_role("link", name=EXERCISE).click()
    with page.expect_download() as started:
        page.get_by_role("link", name="Exportar aportes (CSV)").click()
    download = started.value
    assert download.suggested_filename.endswith(".csv")
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["recibo", "fecha"]
    assert len(rows) > 100
