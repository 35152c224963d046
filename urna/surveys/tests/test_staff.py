"""Staff pages: scoped by entity, audit-logged, XLSForm and CSV problems shown row by row in
Spanish, the phone interview one question a page with the operator recorded."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.surveys.models import Margin, Quota, Response, Survey

from .conftest import TEMPLATE

pytestmark = pytest.mark.django_db


def _xlsx(rows, choices=None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in rows:
        sheet.append(row)
    if choices:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "form.xlsx"
    return out


def _actions(survey):
    return list(
        AuditEntry.objects.filter(
            object_type="surveys.survey", object_id=str(survey.pk), action__startswith="survey."
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_manager_creates_a_survey_from_an_xlsform(client, manager, agriculture):
    client.force_login(manager)
    with TEMPLATE.open("rb") as handle:
        page = client.post(
            reverse("surveys:staff_import"), {"entity": agriculture.pk, "file": handle}
        )
    survey = Survey.objects.get()
    assert page.url == reverse("surveys:staff_detail", args=[survey.pk])
    assert (survey.entity, survey.status) == (agriculture, Survey.Status.DRAFT)
    assert _actions(survey) == ["survey.create"]
    detail = client.get(page.url).content.decode()
    assert "ENCUESTA PERCEPCION" in detail
    assert "${conoce_urna} = &#x27;si&#x27;" in detail
    listing = client.get(reverse("surveys:staff_list")).content.decode()
    assert survey.label in listing


def test_xlsform_problems_are_listed_by_row_and_column_in_spanish(client, manager, agriculture):
    client.force_login(manager)
    bad = _xlsx(
        [
            ["type", "name", "label"],
            ["text", "nombre", "¿Nombre?"],
            ["integer", "nombre", "¿Edad?"],
        ]
    )
    page = client.post(reverse("surveys:staff_import"), {"entity": agriculture.pk, "file": bad})
    html = page.content.decode()
    assert page.status_code == 400
    assert "El nombre «nombre» está repetido en el mismo grupo." in html
    assert "<td>survey</td><td>3</td><td>name</td>" in html
    bad_expression = _xlsx(
        [
            ["type", "name", "label", "relevant"],
            ["integer", "edad", "¿Edad?", ""],
            ["text", "colegio", "¿Colegio?", "${edad} <<< 18"],
        ]
    )
    page = client.post(
        reverse("surveys:staff_import"), {"entity": agriculture.pk, "file": bad_expression}
    )
    assert "<td>survey</td><td>3</td><td>relevant</td>" in page.content.decode()
    assert not Survey.objects.exists()


def test_another_entitys_survey_is_a_404_and_nothing_changes(client, survey, outsider):
    client.force_login(outsider)
    for name in ("detail", "labels", "margins", "quotas", "xlsform"):
        assert client.get(reverse(f"surveys:staff_{name}", args=[survey.pk])).status_code == 404
    close = reverse("surveys:staff_action", args=[survey.pk, "cerrar"])
    assert client.post(close).status_code == 404
    assert survey.label not in client.get(reverse("surveys:staff_list")).content.decode()
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    assert _actions(survey) == ["survey.create", "survey.open"]


def test_close_publish_and_open_again_are_audited(client, survey, manager):
    client.force_login(manager)
    for action in ("cerrar", "publicar", "abrir", "despublicar"):
        page = client.post(reverse("surveys:staff_action", args=[survey.pk, action]))
        assert page.url == reverse("surveys:staff_detail", args=[survey.pk])
    survey.refresh_from_db()
    assert (survey.status, survey.published) == (Survey.Status.OPEN, False)
    assert _actions(survey) == [
        "survey.create",
        "survey.open",
        "survey.close",
        "survey.publish",
        "survey.open",
        "survey.publish",
    ]


def test_labels_are_translated(client, survey, manager):
    client.force_login(manager)
    url = reverse("surveys:staff_labels", args=[survey.pk]) + "?idioma=en"
    assert 'value="Which department do you live in?"' in client.get(url).content.decode()
    page = client.post(
        url, {"q__sexo": "What is your sex (at birth)?", "c__sexo__mujer": "Female", "title": ""}
    )
    assert page.status_code == 302
    sexo = survey.questions.get(name="sexo")
    assert sexo.label["en"] == "What is your sex (at birth)?"
    assert sexo.choices.get(name="mujer").label["en"] == "Female"
    assert _actions(survey)[-1] == "survey.labels"


def test_margins_csv_is_checked_against_the_survey(client, survey, manager):
    client.force_login(manager)
    url = reverse("surveys:staff_margins", args=[survey.pk])

    def upload(text):
        file = io.BytesIO(text.encode("utf-8-sig"))
        file.name = "margenes.csv"
        return client.post(url, {"name": "Censo", "source": "DANE CNPV 2018", "file": file})

    page = upload("dimension,category,population\nsex,mujer,10\nsex,otro,abc\nedad,x,5\n")
    html = page.content.decode()
    assert page.status_code == 400
    assert "<td>—</td><td>3</td><td>population</td>" in html
    assert "Dimensión «edad» no válida" in html
    page = upload("dimension,category,population\nsex,mujer,10\nsex,otro,5\n")
    assert "«otro» no es una opción de la pregunta «sexo»." in page.content.decode()
    page = upload("dimension,category,population\nsex,mujer,10\nsex,hombre,5\nage_group,18_24,20\n")
    assert "Los totales de las dimensiones no coinciden" in page.content.decode()
    assert not Margin.objects.exists()
    page = upload("dimension,category,population\nsex,mujer,10\nsex,hombre,5\n")
    assert page.status_code == 302
    survey.refresh_from_db()
    assert sorted(survey.margin_set.margins.values_list("category", "population")) == [
        ("hombre", 5),
        ("mujer", 10),
    ]
    assert _actions(survey)[-1] == "survey.margins"


def test_quotas(client, survey, manager):
    client.force_login(manager)
    url = reverse("surveys:staff_quotas", args=[survey.pk])
    page = client.post(url, {"quotas": "sex,mujer,30\nsex,nadie,3\nsexo mujer"})
    assert page.status_code == 400
    assert "Escriba dimensión, categoría y meta separadas por comas." in page.content.decode()
    page = client.post(url, {"quotas": "sex,mujer,30\nsex,hombre,25"})
    assert page.status_code == 302
    quotas = sorted(Quota.objects.values_list("category", "target"))
    assert quotas == [("hombre", 25), ("mujer", 30)]
    assert _actions(survey)[-1] == "survey.quotas"


def test_a_phone_interview_goes_one_question_a_page_with_skip_logic(client, survey, manager):
    client.force_login(manager)
    start = client.post(reverse("surveys:interview_start", args=[survey.pk]))
    response = Response.objects.get()
    assert (response.channel, response.operator) == ("phone", manager)
    url = reverse("surveys:interview", args=[response.token])
    assert start.url == url
    assert "¿En qué departamento vive?" in client.get(url).content.decode()
    assert client.post(url, {"departamento": "05"}).status_code == 302
    client.post(url, {"grupo_edad": "25_34"})
    bad = client.post(url, {})
    assert "Esta pregunta es obligatoria." in bad.content.decode()
    client.post(url, {"sexo": "mujer"})
    done = client.post(url, {"conoce_urna": "no"})  # skips every later section
    assert done.status_code == 302
    assert "Entrevista terminada" in client.get(url).content.decode()
    response.refresh_from_db()
    assert response.status == Response.Status.COMPLETE
    assert response.answers == {
        "departamento": "05",
        "grupo_edad": "25_34",
        "sexo": "mujer",
        "conoce_urna": "no",
    }


def test_the_phone_interview_in_english_counts_its_questions_in_english(
    client, settings, survey, manager
):
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("surveys:interview_start", args=[survey.pk]))

    html = client.get(
        reverse("surveys:interview", args=[Response.objects.get().token])
    ).content.decode()

    assert "Question 1 of " in html and "Pregunta 1 de" not in html


def test_an_interview_is_only_its_operators(client, survey, manager, make_staff, agriculture):
    client.force_login(manager)
    client.post(reverse("surveys:interview_start", args=[survey.pk]))
    token = Response.objects.get().token
    colleague = make_staff(agriculture, Role.MANAGER, username="colega")
    client.force_login(colleague)
    assert client.get(reverse("surveys:interview", args=[token])).status_code == 404


def test_what_an_xlsform_import_leaves_out_is_said(client, manager, agriculture):
    client.force_login(manager)
    form = _xlsx(
        [
            ["type", "name", "label"],
            ["start", "inicio", ""],
            ["note", "aviso", "Gracias por participar"],
            ["integer", "edad", "¿Edad?"],
        ]
    )
    page = client.post(
        reverse("surveys:staff_import"), {"entity": agriculture.pk, "file": form}, follow=True
    )
    html = page.content.decode()
    assert "Se omitió «aviso» (tipo note)." in html
    assert Survey.objects.get().questions.count() == 1
