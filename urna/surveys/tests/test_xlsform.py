"""XLSForm import and export: the template's round trip, and a form as ODK/Kobo users write it."""

import io

import pytest
from openpyxl import Workbook

from urna.core.errors import InvalidInput
from urna.surveys import services
from urna.surveys.form import form_of
from urna.surveys.xlsform import xlsform_read, xlsform_write

pytestmark = pytest.mark.django_db


def _shape(spec):
    return spec["code"], spec["languages"], spec["sections"]


def test_import_export_import_gives_the_same_survey(survey, spec):
    exported = xlsform_write(form_of(survey))
    again = xlsform_read(io.BytesIO(exported))
    assert _shape(again) == _shape(spec)
    assert again["title"] == spec["title"]
    assert again["version"] == spec["version"] == "2026.1"


def test_the_template_maps_every_question_type(spec):
    kinds = {q["name"]: q["kind"] for s in spec["sections"] for q in s["questions"]}
    assert set(kinds.values()) == {
        "single",
        "multiple",
        "scale",
        "number",
        "date",
        "text",
        "ranking",
        "matrix",
    }
    assert kinds["satisfaccion_canal"] == "matrix"
    satisfaction = next(s for s in spec["sections"] if s["name"] == "satisfaccion")
    assert satisfaction["relevant"] == "${usa_urna} = 'si'"
    number = next(q for q in satisfaction["questions"] if q["name"] == "recomendaria")
    assert (number["minimum"], number["maximum"]) == (0.0, 10.0)
    assert number["constraint_message"] == {"es": "Responda con un número de 0 a 10."}


def kobo_form() -> bytes:
    """A form written the way KoboToolbox's and ODK's documentation show them: metadata rows,
    `select_one list`, language columns named "Spanish (es)", TRUE/FALSE in `required`, a
    nested group, a note and a calculation."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(
        [
            "type",
            "name",
            "label::Spanish (es)",
            "label::English (en)",
            "required",
            "relevant",
            "constraint",
            "constraint_message::Spanish (es)",
            "calculation",
        ]
    )
    rows = [
        ["start", "start"],
        ["end", "end"],
        ["deviceid", "deviceid"],
        ["note", "intro", "Bienvenido", "Welcome"],
        ["begin_group", "hogar", "Hogar", "Household"],
        [
            "integer",
            "personas",
            "¿Cuántas personas viven en su hogar?",
            "How many people?",
            "TRUE",
            "",
            ". > 0 and . < 30",
            "Entre 1 y 29",
        ],
        ["select_one yes_no", "internet", "¿Tiene internet?", "Internet at home?", "TRUE"],
        ["begin_group", "conexion", "Conexión", "Connection", "", "${internet} = 'yes'"],
        ["select_multiple devices", "equipos", "¿Qué equipos usa?", "Which devices?", "FALSE"],
        ["end_group"],
        ["calculate", "doble", "", "", "", "", "", "", "${personas} * 2"],
        ["end_group"],
        ["text", "comentario", "Comentario", "Comment"],
    ]
    for row in rows:
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Spanish (es)", "label::English (en)"])
    for row in [
        ["yes_no", "yes", "Sí", "Yes"],
        ["yes_no", "no", "No", "No"],
        ["devices", "phone", "Celular", "Phone"],
        ["devices", "pc", "Computador", "PC"],
    ]:
        choices.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append(["Hogares y TIC", "hogares_tic", "Spanish (es)"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_kobo_style_form_imports_with_its_logic_and_translations(agriculture, manager):
    survey = services.survey_import(
        entity=agriculture, file=io.BytesIO(kobo_form()), filename="hogares.xlsx", by=manager
    )
    form = form_of(survey)
    assert survey.code == "hogares_tic"
    assert form.languages == ("es", "en")
    assert [s.name for s in form.sections] == ["hogar", "seccion_2"]
    assert form.order == ("personas", "internet", "equipos", "comentario")
    personas = form.questions["personas"]
    assert (personas.required, personas.minimum, personas.maximum) == (True, 0.0, 30.0)
    assert form.questions["equipos"].relevant == "${internet} = 'yes'"
    assert form.questions["equipos"].label == {"es": "¿Qué equipos usa?", "en": "Which devices?"}
    assert form.questions["equipos"].required is False


def test_a_form_with_an_expression_urna_cannot_follow_is_refused(agriculture, manager):
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "relevant"])
    sheet.append(["text", "a", "A", ""])
    sheet.append(["text", "b", "B", "pulldata('x', 'y', 'z', ${a})"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    with pytest.raises(InvalidInput) as refused:
        services.survey_import(entity=agriculture, file=out, filename="f.xlsx", by=manager)
    assert "no se puede usar" in refused.value.message


def test_staff_of_another_entity_cannot_import_for_this_one(agriculture, outsider):
    from urna.core.errors import PermissionDenied
    from urna.surveys.models import Survey

    with pytest.raises(PermissionDenied):
        services.survey_import(
            entity=agriculture, file=io.BytesIO(kobo_form()), filename="f.xlsx", by=outsider
        )
    assert Survey.objects.count() == 0
