"""The platform's moderator: logs in, opens an exercise's moderation queue, hides a threat with a
public reason (a reason is required) and approves a contribution whose personal data is masked."""

import re

from playwright.sync_api import Page, expect


def test_moderate_contributions(page: Page, login) -> None:
    login("moderadora")
    page.get_by_role("link", name=re.compile(r"^Ejercicios de participación")).click()
    page.get_by_role("link", name="Pacto Nacional por el Agro y el Desarrollo Rural").click()
    page.get_by_role("link", name="Moderar aportes").click()
    expect(page.get_by_role("heading", level=1, name="Moderación de aportes")).to_be_visible()
    page.get_by_label("Sólo con alertas automáticas sin resolver").check()
    page.get_by_role("button", name="Filtrar").click()

    # Reject: hiding a threat without a public reason is refused, with the reason why.
    threat = page.get_by_role("listitem").filter(has_text="vamos a matar")
    threat.get_by_label("Estado").select_option(label="Oculto")
    threat.get_by_label("Razón pública").fill("")
    threat.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Explique públicamente por qué se oculta el aporte.")).to_be_visible()
    threat = page.get_by_role("listitem").filter(has_text="vamos a matar")
    threat.get_by_label("Estado").select_option(label="Oculto")
    threat.get_by_label("Razón pública").fill("Contiene una amenaza: no cumple las reglas.")
    threat.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Moderación registrada.")).to_be_visible()
    threat = page.get_by_role("listitem").filter(has_text="vamos a matar")
    expect(threat).to_contain_text("Oculto: Contiene una amenaza")

    # Approve: a contribution whose document number the public never sees stays visible.
    masked = page.get_by_role("listitem").filter(has_text="Mi cédula es")
    masked.get_by_label("Estado").select_option(label="Visible")
    masked.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Moderación registrada.")).to_be_visible()
    masked = page.get_by_role("listitem").filter(has_text="Mi cédula es")
    expect(masked).to_contain_text("El público ve: Mi cédula es [documento]")
