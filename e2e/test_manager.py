"""A ministry's response manager (gestor.agricultura): logs in, works the inbox, answers a query,
extends the term of one not yet due, and transfers one to the competent entity."""

import re

from playwright.sync_api import Page, expect


def open_query(page: Page, receipt: str) -> None:
    """From the staff office to the inbox, found by its receipt, to the query's workspace."""
    page.goto("/staff/")
    page.get_by_role("link", name=re.compile(r"bandeja del gestor")).click()
    expect(page.get_by_role("heading", level=1, name="Bandeja de consultas")).to_be_visible()
    page.get_by_label("Recibo").fill(receipt)
    page.get_by_role("button", name="Filtrar").click()
    page.get_by_role("link", name=receipt).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(receipt)


def act(page: Page, summary: str) -> None:
    """Open one of the workspace's action panels (a closed <details>)."""
    page.get_by_role("region", name="Acciones").get_by_text(summary, exact=True).click()


def test_answer_extend_and_transfer(page: Page, login, site) -> None:
    answer, extend, transfer = site.take("answer"), site.take("extend"), site.take("transfer")
    login("gestor.agricultura")

    # Answer a query in progress.
    open_query(page, answer)
    page.get_by_label("Respuesta al ciudadano").fill(
        "Prueba en el navegador: la convocatoria abre en febrero; le enviamos los requisitos."
    )
    page.get_by_role("button", name="Enviar respuesta").click()
    expect(page.get_by_text("Respuesta enviada al ciudadano.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("la convocatoria abre en febrero")

    # Extend the term of a query not yet due: the date field comes filled with the latest date
    # the law allows.
    open_query(page, extend)
    act(page, "Prorrogar el plazo")
    due = page.get_by_label("Nueva fecha de vencimiento")
    expect(due).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    page.get_by_label("Motivo (se le informa al ciudadano)").fill(
        "Prueba en el navegador: necesitamos el concepto de la oficina jurídica."
    )
    page.get_by_role("button", name="Prorrogar", exact=True).click()
    expect(page.get_by_text("Plazo prorrogado; se informó al ciudadano.")).to_be_visible()

    # Transfer a query to the competent entity on Urna; it leaves this manager's inbox.
    open_query(page, transfer)
    act(page, "Trasladar por competencia")
    page.get_by_label("Entidad de destino en Urna").select_option(
        label="Ministerio de Educación Nacional"
    )
    page.get_by_label("Motivo del traslado").fill(
        "Prueba en el navegador: la pregunta es sobre colegios rurales."
    )
    page.get_by_role("button", name="Trasladar", exact=True).click()
    expect(page.get_by_text("Consulta trasladada; se informó al ciudadano.")).to_be_visible()
