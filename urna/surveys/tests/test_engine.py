"""The answering engine on the perception template: next question, skip logic, validation."""

import pytest

from urna.surveys import engine
from urna.surveys.tests.conftest import FULL_PATH, SHORT_PATH

pytestmark = pytest.mark.django_db


def walk(form, typed):
    """Answer question after question as a phone would; returns the answers and the names
    asked, in order."""
    answers, asked = {}, []
    for name, raw in typed:
        question = engine.next_question(form, answers)
        assert question is not None and question.name == name
        asked.append(name)
        answers[name] = engine.validate(question, raw, answers=answers)
    return answers, asked


def test_a_user_of_urna_is_asked_every_question(form):
    answers, asked = walk(form, FULL_PATH)
    assert engine.next_question(form, answers) is None
    assert asked == [name for name, _raw in FULL_PATH]
    assert answers["departamento"] == "17"
    assert answers["como_conocio"] == ["redes", "mensaje"]
    assert answers["satisfaccion_canal"] == {"sat_web": "5", "sat_sms": "4", "sat_whatsapp": "3"}
    assert answers["prioridades"] == ["claridad", "rapidez", "canales"]
    assert answers["ultima_vez"] == "2026-03-15"
    assert answers["recomendaria"] == 9
    assert answers["comentario"] is None


def test_who_does_not_know_urna_skips_the_later_sections(form):
    answers, asked = walk(form, SHORT_PATH)
    assert engine.next_question(form, answers) is None
    assert asked == ["departamento", "grupo_edad", "sexo", "conoce_urna"]
    assert answers["departamento"] == "05"  # typed by name, stored as its DIVIPOLA code


def test_a_non_user_skips_channels_and_satisfaction(form):
    answers, _asked = walk(form, FULL_PATH[:5])
    answers["usa_urna"] = "no"
    assert engine.next_question(form, answers) is None


def test_changing_an_earlier_answer_drops_answers_made_irrelevant(form):
    answers, _asked = walk(form, FULL_PATH)
    answers["conoce_urna"] = "no"
    cleaned = engine.clean(form, answers)
    assert set(cleaned) == {"departamento", "grupo_edad", "sexo", "conoce_urna"}


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("recomendaria", "11", "El valor debe estar entre 0 y 10."),
        ("satisfaccion_general", "7", "El valor debe estar entre 1 y 5."),
        ("satisfaccion_general", "muy", "Escriba un número entero."),
        ("sexo", "4", "«4» no es una de las opciones. Responda con un número del 1 al 2."),
        ("sexo", "", "Esta pregunta es obligatoria."),
        (
            "prioridades",
            "1 2",
            "Ordene todas las opciones: escriba los 3 números en el orden que "
            "prefiera, separados por espacios.",
        ),
        (
            "satisfaccion_canal",
            "5 4",
            "Responda una opción por cada fila: 3 respuestas separadas por espacios.",
        ),
        ("ultima_vez", "ayer", "Escriba una fecha como 31/12/2025."),
    ],
)
def test_bad_answers_are_refused_with_a_clear_spanish_message(form, name, raw, message):
    with pytest.raises(engine.InvalidAnswer) as refused:
        engine.validate(form.questions[name], raw, answers={})
    assert refused.value.message == message


def test_a_prompt_numbers_the_choices_and_says_how_to_answer(form):
    label, lines = engine.prompt_lines(form, form.questions["sexo"], "es")
    assert label == "¿Cuál es su sexo?"
    assert lines == ["1 Mujer", "2 Hombre"]
    label, lines = engine.prompt_lines(form, form.questions["sexo"], "en")
    assert (label, lines) == ("What is your sex?", ["1 Female", "2 Male"])


def test_a_constraint_beyond_a_range_says_the_form_s_own_message(agriculture, manager):
    import io

    from urna.surveys import services
    from urna.surveys.form import form_of
    from urna.surveys.tests.test_xlsform import kobo_form

    survey = services.survey_import(
        entity=agriculture, file=io.BytesIO(kobo_form()), filename="f.xlsx", by=manager
    )
    personas = form_of(survey).questions["personas"]
    with pytest.raises(engine.InvalidAnswer) as refused:
        engine.validate(personas, "30", answers={})
    assert refused.value.message == "Entre 1 y 29"
