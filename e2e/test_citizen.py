"""A citizen without an account: finds an exercise, contributes, keeps the receipt, looks its status
up by code, files a query to the government, and reads an answered query's answer."""

import re

from playwright.sync_api import Page, expect

RECEIPT = re.compile(r"\b(?:UC|PQ)-\d{4}-[0-9A-Z]{7}\b")


def look_up(page: Page, code: str) -> None:
    """The header's "Consultar recibo": type the code, read its status page."""
    page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name="Consultar recibo"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label("Código de recibo").fill(code)
    page.get_by_role("button", name="Consultar").click()
    expect(page).to_have_url(re.compile(re.escape(code)))
    expect(page.get_by_role("main")).to_contain_text(code)


def test_contribute_and_follow_the_receipt(page: Page) -> None:
    # Given the home page, the citizen finds the open exercises.
    page.goto("/")
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Ejercicios").click()
    expect(page.get_by_role("heading", level=1, name="Ejercicios de participación")).to_be_visible()
    page.get_by_label("Estado").select_option(label="Abiertos")
    page.get_by_role("button", name="Filtrar").click()
    page.get_by_role("link", name="Pacto Nacional por el Agro y el Desarrollo Rural").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pacto Nacional por el Agro y el Desarrollo Rural"
    )

    # When they send a contribution through the participation form,
    page.get_by_role("link", name=re.compile(r"^Participar")).click()
    expect(page.get_by_role("heading", level=1, name="Envíe su aporte")).to_be_visible()
    page.get_by_label("Su aporte").fill(
        "Prueba en el navegador: pedimos placa huella para la vía de la vereda El Porvenir."
    )
    page.get_by_role("button", name="Enviar aporte").click()

    # then they get a receipt code,
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gracias")
    receipt = RECEIPT.search(page.get_by_role("main").inner_text()).group(0)
    assert receipt.startswith("UC-")

    # and looking it up by code shows their contribution.
    look_up(page, receipt)
    expect(page.get_by_role("main")).to_contain_text("placa huella")


def test_file_a_query(page: Page) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name="Pregunte al gobierno"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Pregunte al gobierno")).to_be_visible()
    page.get_by_label("Tipo de solicitud").select_option(index=1)
    page.get_by_label("Su solicitud").fill(
        "Prueba en el navegador: ¿cuándo abre la convocatoria de crédito para jóvenes rurales?"
    )
    page.get_by_role("button", name="Enviar solicitud").click()

    receipt_text = page.get_by_role("main").inner_text()
    match = RECEIPT.search(receipt_text)
    assert match, f"no receipt on the page after sending the query: {receipt_text[:300]}"
    assert match.group(0).startswith("PQ-")
    look_up(page, match.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Estado de su solicitud")


def test_read_an_answered_query(page: Page, site) -> None:
    answered = site.take("answered")
    page.goto("/")
    look_up(page, answered["receipt"])
    first_line = answered["answer"].strip().splitlines()[0][:60]
    expect(page.get_by_role("main")).to_contain_text(first_line)
