"""The plain-language page "¿Qué cambia para usted?": written by the exercise's staff,
sanitised, audited, public once published and linked from the exercise page."""

import pytest

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.exercises.models import ExerciseExplainer

pytestmark = pytest.mark.django_db

TEXTS = {
    "summary": "Los pequeños productores pagan menos intereses en el crédito de riego.",
    "what_changes": "- La tasa baja al **5 %**\n- <script>alert('x')</script>Más plazo",
    "for_whom": "Productores con menos de 10 hectáreas. <a href='javascript:alert(1)'>ver</a>",
    "from_when": "Desde el 1 de marzo de 2027.",
    "what_you_can_do": "Opine en la consulta o vaya a un [encuentro](https://urna.example/e/).",
}


def test_staff_write_it_sanitised_and_it_is_linked_from_the_exercise(
    client, manager, make_exercise
):
    exercise = make_exercise(status="open")
    before = client.get(f"/ejercicios/{exercise.slug}/").content.decode()
    client.force_login(manager)

    saved = client.post(
        f"/ejercicios/gestion/{exercise.slug}/que-cambia/", {**TEXTS, "publish": "on"}
    )
    client.logout()
    page = client.get(f"/ejercicios/{exercise.slug}/que-cambia/")
    detail = client.get(f"/ejercicios/{exercise.slug}/").content.decode()

    assert saved.status_code == 302
    assert "que-cambia" not in before
    assert f'href="/ejercicios/{exercise.slug}/que-cambia/"' in detail
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>5 %</strong>" in html and "Desde el 1 de marzo de 2027." in html
    assert "<script>alert" not in html and "javascript:alert" not in html
    assert '<a href="https://urna.example/e/" rel="noopener noreferrer nofollow">' in html
    entry = AuditEntry.objects.get(action="exercise.explainer_create")
    assert entry.after["published"] is True and entry.after["changed"][0] == "summary"


def test_a_draft_page_is_not_public_nor_linked(client, manager, make_exercise):
    exercise = make_exercise(status="open")
    client.force_login(manager)
    client.post(f"/ejercicios/gestion/{exercise.slug}/que-cambia/", TEXTS)
    client.logout()

    assert ExerciseExplainer.objects.get().published_at is None
    assert client.get(f"/ejercicios/{exercise.slug}/que-cambia/").status_code == 404
    assert "que-cambia" not in client.get(f"/ejercicios/{exercise.slug}/").content.decode()


def test_only_staff_of_the_exercise_entity_who_edit_it_may_write_it(
    client, make_exercise, make_staff, education, agriculture
):
    exercise = make_exercise(status="open")
    other = make_staff(education, Role.MANAGER, username="gestor-edu")
    moderator = make_staff(agriculture, Role.MODERATOR, username="moderadora-agro")
    url = f"/ejercicios/gestion/{exercise.slug}/que-cambia/"

    client.force_login(other)
    foreign = client.post(url, {**TEXTS, "publish": "on"})
    client.force_login(moderator)
    refused = client.post(url, {**TEXTS, "publish": "on"})

    assert foreign.status_code == 404
    assert refused.status_code == 403
    assert not ExerciseExplainer.objects.exists()


def test_a_missing_section_gets_a_clear_error(client, manager, make_exercise):
    exercise = make_exercise(status="open")
    client.force_login(manager)

    response = client.post(
        f"/ejercicios/gestion/{exercise.slug}/que-cambia/", {**TEXTS, "what_changes": ""}
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Este campo es obligatorio" in html
    start = html.index('<div class="error-summary"')
    assert '<a href="#id_what_changes">' in html[start : html.index("</div>", start)]
    assert not ExerciseExplainer.objects.exists()


def test_the_exercise_page_links_the_editor_only_for_those_who_may_write_it(
    client, manager, make_exercise, make_staff, agriculture
):
    exercise = make_exercise(status="open")
    moderator = make_staff(agriculture, Role.MODERATOR, username="moderadora-agro")
    editor_link = f'href="/ejercicios/gestion/{exercise.slug}/que-cambia/"'

    client.force_login(moderator)
    moderator_page = client.get(f"/ejercicios/gestion/{exercise.slug}/")
    client.force_login(manager)
    manager_page = client.get(f"/ejercicios/gestion/{exercise.slug}/")

    assert moderator_page.status_code == 200
    assert editor_link not in moderator_page.content.decode()
    assert editor_link in manager_page.content.decode()
