"""Browser-free accessibility checks of the participation pages: every field has a label, the
form with its errors too, and no id repeats (axe-core in a browser: `make a11y`)."""

import pytest

from urna.core.tests.a11y import duplicate_ids, skip_link_target, unlabelled_fields
from urna.exercises import services
from urna.exercises.models import Exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_regulation(make_exercise, manager, divipola):
    exercise = make_exercise(status="draft", kind=Exercise.Kind.DRAFT_REGULATION, days=20)
    services.article_add(exercise=exercise, by=manager, body="Objeto del decreto.")
    services.article_add(exercise=exercise, by=manager, body="Ámbito de aplicación.")
    services.question_add(exercise=exercise, by=manager, kind="yes_no", text="¿Conoce la ruta?")
    services.exercise_transition(exercise=exercise, to="open", by=manager)
    return exercise


def assert_accessible_form(html: str) -> None:
    assert unlabelled_fields(html) == []
    assert duplicate_ids(html) == []
    assert skip_link_target(html) == "contenido"


def test_exercise_page_with_articles_and_a_closed_question(client, draft_regulation):
    html = client.get(draft_regulation.get_absolute_url()).content.decode()

    assert_accessible_form(html)
    assert "<fieldset" in html and "<legend" in html


def test_participation_form_and_its_errors(client, draft_regulation):
    url = f"/ejercicios/{draft_regulation.slug}/participar/"

    page = client.get(url)
    errors = client.post(url, {"kind": "opinion", "text": ""})

    assert page.status_code == 200 and errors.status_code == 400
    assert_accessible_form(page.content.decode())
    html = errors.content.decode()
    assert_accessible_form(html)
    assert 'aria-invalid="true"' in html


def test_closed_question_errors(client, draft_regulation):
    response = client.post(f"/ejercicios/{draft_regulation.slug}/preguntas/1/", {})

    assert response.status_code == 400
    assert_accessible_form(response.content.decode())
