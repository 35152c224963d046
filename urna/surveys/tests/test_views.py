"""The web form without JavaScript, and the results page (public only once published)."""

import io

import pytest
from django.urls import reverse

from urna.surveys import services
from urna.surveys.demo import demo_load
from urna.surveys.models import Response
from urna.surveys.results import results_compute

pytestmark = pytest.mark.django_db


def test_the_web_form_goes_section_by_section_with_skip_logic(client, survey):
    start = client.post(reverse("surveys:start", args=[survey.slug]))
    token = Response.objects.get().token
    assert start.url == reverse("surveys:answer", args=[token])
    page = client.get(start.url)
    assert "¿En qué departamento vive?" in page.content.decode()
    bad = client.post(start.url, {"departamento": "05", "grupo_edad": "25_34"})
    assert bad.status_code == 200
    assert "Esta pregunta es obligatoria." in bad.content.decode()
    client.post(start.url, {"departamento": "05", "grupo_edad": "25_34", "sexo": "mujer"})
    done = client.post(start.url, {"conoce_urna": "no"})
    assert done.status_code == 302
    thanks = client.get(start.url)
    assert "Gracias: recibimos sus respuestas." in thanks.content.decode()
    assert Response.objects.get().status == Response.Status.COMPLETE


def test_the_web_form_counts_sections_from_one_and_skip_logic_keeps_the_total(
    client, survey, form, settings
):
    sections = len([s for s in form.sections if s.questions])
    start = client.post(reverse("surveys:start", args=[survey.slug]))

    first = client.get(start.url).content.decode()
    client.post(start.url, {"departamento": "05", "grupo_edad": "25_34", "sexo": "mujer"})
    second = client.get(start.url).content.decode()
    client.post(start.url, {"conoce_urna": "si"})
    revealed = client.get(start.url).content.decode()
    client.post(start.url, {"conoce_urna": "si", "como_conocio": ["redes"]})
    third = client.get(start.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(start.url).content.decode()

    assert sections > 2
    assert f"Sección 1 de {sections}" in first
    assert f"Sección 2 de {sections}" in second
    assert "como_conocio" in revealed and f"Sección 2 de {sections}" in revealed
    assert f"Sección 3 de {sections}" in third
    assert "Pregunta 0" not in first
    assert f"Section 3 of {sections}" in english


def test_results_are_for_staff_until_published(client, survey, manager):
    results_compute(survey_id=survey.pk)
    url = reverse("surveys:results", args=[survey.slug])
    assert client.get(url).status_code == 404
    client.force_login(manager)
    assert client.get(url).status_code == 200
    client.logout()
    survey.published = True
    survey.save(update_fields=["published"])
    assert client.get(url).status_code == 200


def test_a_decimal_answer_shown_again_keeps_the_point_a_number_field_reads(
    client, agriculture, manager, spec
):
    for section in spec["sections"]:
        for question in section["questions"]:
            if question["name"] == "recomendaria":
                question["integer"] = False
    survey = services.survey_transition(
        survey=services.survey_create_from_spec(entity=agriculture, spec=spec, by=manager),
        action="open",
        by=manager,
    )
    url = client.post(reverse("surveys:start", args=[survey.slug])).url
    client.post(url, {"departamento": "17", "grupo_edad": "25_34", "sexo": "mujer"})
    client.post(url, {"conoce_urna": "si"})
    client.post(url, {"conoce_urna": "si", "como_conocio": ["redes"]})
    client.post(url, {"usa_urna": "si"})
    client.post(url, {"usa_urna": "si", "canales": ["web"], "frecuencia": "mensual"})

    page = client.post(url, {"recomendaria": "7,5"}).content.decode()

    assert Response.objects.get().answers["recomendaria"] == 7.5
    assert "Esta pregunta es obligatoria." in page
    assert 'name="recomendaria" min="0" max="10" value="7.5"' in page


def test_the_citizens_pages_in_english_are_in_english(client, settings, survey):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    listing = client.get(reverse("surveys:list")).content.decode()
    url = client.post(reverse("surveys:start", args=[survey.slug])).url

    page = client.post(url, {"departamento": "05"}).content.decode()

    assert "Open surveys" in listing and "Encuestas abiertas" not in listing
    assert "Check the marked answers." in page and ">Continue</button>" in page
    assert "(required)" in page and "Continuar" not in page
    assert "This question is required." in page and "obligatoria" not in page


def test_every_results_table_scrolls_in_its_own_region_on_a_phone(client, national_entities):
    survey = demo_load(stdout=io.StringIO())

    html = client.get(reverse("surveys:results", args=[survey.slug])).content.decode()

    assert html.count("<table") > 0
    assert html.count("<table") == html.count('<div class="table-wrap" role="region"')


def test_the_staff_pages_in_english_are_in_english(client, settings, survey, manager):
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("surveys:staff_list")).content.decode()

    assert "Your entities' surveys" in html or "Your entities&#x27; surveys" in html
    assert "Encuestas de sus entidades" not in html


def test_the_results_page_in_english_labels_questions_rows_and_options_in_english(
    client, settings, survey
):
    results_compute(survey_id=survey.pk)
    survey.published = True
    survey.save(update_fields=["published"])
    url = reverse("surveys:results", args=[survey.slug])

    spanish = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()

    assert "¿Cómo se enteró de Urna?" in spanish and "Redes sociales" in spanish
    assert "How did you hear of Urna?" in english and "Social media" in english
    assert "Text messages (SMS)" in english and "1 Not at all" in english
    assert "Rank what we should improve first" in english
    assert "¿Cómo se enteró de Urna?" not in english and "Redes sociales" not in english
    assert "Mensajes de texto (SMS)" not in english and "Nada satisfecho" not in english


def test_the_import_and_margins_forms_in_english_are_in_english(client, settings, survey, manager):
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    upload = client.get(reverse("surveys:staff_import")).content.decode()
    margins = client.get(reverse("surveys:staff_margins", args=[survey.pk])).content.decode()

    assert "XLSForm file (.xlsx or .xls)" in upload and "Archivo XLSForm" not in upload
    assert "CSV file" in margins and "Archivo CSV" not in margins
