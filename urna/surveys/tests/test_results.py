"""Answers from every channel through one engine, the demo, and the stored weighted results."""

import io

import pytest

from urna.surveys import services
from urna.surveys.demo import demo_load
from urna.surveys.margins import margin_set_shipped
from urna.surveys.models import ChannelSession, Response, SurveyResult
from urna.surveys.results import results_compute
from urna.surveys.tests.conftest import FULL_PATH, SHORT_PATH

pytestmark = pytest.mark.django_db


def test_sms_goes_one_question_a_message_with_skip_logic(survey):
    session = services.survey_session_start(survey=survey, channel="sms", address="+573001112233")
    first = services.survey_next_prompt(session)
    assert first.startswith("(1/4) ¿En qué departamento vive?")
    replies = [services.survey_answer(session, raw) for _name, raw in SHORT_PATH]
    assert replies[-1] == "Gracias por responder la encuesta «Encuesta de percepción de Urna»."
    response = Response.objects.get()
    assert response.status == Response.Status.COMPLETE
    assert (response.department, response.age_group, response.sex) == ("05", "65_mas", "hombre")
    assert set(response.answers) == {"departamento", "grupo_edad", "sexo", "conoce_urna"}
    assert ChannelSession.objects.get().active is False


def test_a_wrong_sms_answer_is_refused_and_the_question_asked_again(survey):
    session = services.survey_session_start(survey=survey, channel="sms", address="+573001112233")
    services.survey_next_prompt(session)
    services.survey_answer(session, "05")
    reply = services.survey_answer(session, "9")
    assert reply.startswith("«9» no es una de las opciones. Responda con un número del 1 al 6.\n")
    assert "¿Cuál es su edad?" in reply
    assert Response.objects.get().answers == {"departamento": "05"}


def test_salir_stops_the_survey_and_a_new_start_resumes_nothing_stopped(survey):
    session = services.survey_session_start(survey=survey, channel="sms", address="+573001112233")
    services.survey_answer(session, "05")
    assert services.survey_answer(session, "SALIR") == "Encuesta detenida. Gracias por su tiempo."
    assert Response.objects.get().status == Response.Status.STOPPED
    assert services.survey_session_active("sms", "+573001112233") is None


def test_web_pages_validate_and_complete_through_the_same_engine(survey):
    response = services.response_start(survey=survey, channel="web")
    errors = services.response_answer(
        response=response, values={"departamento": "17", "grupo_edad": "", "sexo": "mujer"}
    )
    assert errors == {"grupo_edad": "Esta pregunta es obligatoria."}
    errors = services.response_answer(response=response, values=dict(FULL_PATH))
    assert errors == {}
    response.refresh_from_db()
    assert response.status == Response.Status.COMPLETE
    assert response.answers["recomendaria"] == 9


def test_ussd_submits_the_whole_path_once(survey):
    first = services.response_submit(survey=survey, channel="ussd", values=SHORT_PATH, key="s1")
    again = services.response_submit(survey=survey, channel="ussd", values=SHORT_PATH, key="s1")
    assert first.pk == again.pk and Response.objects.count() == 1


def test_an_answer_out_of_range_is_refused_on_ussd(survey):
    from urna.core.errors import InvalidInput

    bad = [*FULL_PATH[:10], ("recomendaria", "11")]
    with pytest.raises(InvalidInput) as refused:
        services.response_submit(survey=survey, channel="ussd", values=bad, key="s2")
    assert refused.value.message == "El valor debe estar entre 0 y 10."
    assert Response.objects.count() == 0


def test_results_are_raked_to_the_margins_and_stored(survey, manager):
    margins = margin_set_shipped("cnpv2018-sexo")
    services.survey_weighting_set(
        survey=survey, margin_set=margins, quotas={("sex", "mujer"): 3}, by=manager
    )
    woman = [
        ("departamento", "05"),
        ("grupo_edad", "1"),
        ("sexo", "1"),
        ("conoce_urna", "1"),
        ("como_conocio", "1"),
        ("usa_urna", "2"),
    ]
    for n, path in enumerate([SHORT_PATH, SHORT_PATH, SHORT_PATH, woman]):
        services.response_submit(survey=survey, channel="ussd", values=path, key=f"k{n}")
    results_compute(survey_id=survey.pk)
    result = SurveyResult.objects.get(survey=survey)
    assert (result.complete, result.weighted) == (4, 4)
    weights = sorted(Response.objects.values_list("weight", flat=True))
    # Three men share 23,573,287; the one woman carries 24,685,207.
    assert weights == pytest.approx([23573287 / 3] * 3 + [24685207])
    knows = next(q for q in result.payload["questions"] if q["name"] == "conoce_urna")
    yes = knows["choices"][0]
    assert yes["count"] == 1
    assert yes["value"] == pytest.approx(24685207 / 48258494, abs=1e-4)
    assert result.payload["quotas"] == [
        {"dimension": "sex", "category": "mujer", "target": 3, "count": 1}
    ]


def test_the_demo_answers_by_web_sms_and_ussd_and_publishes_weighted_results(national_entities):
    out = io.StringIO()
    survey = demo_load(stdout=out)
    result = SurveyResult.objects.get(survey=survey)
    assert result.payload["channels"] == {"web": 20, "sms": 20, "ussd": 20}
    assert result.complete == result.weighted == 60
    survey.refresh_from_db()
    assert survey.published is True
    assert demo_load(stdout=out).pk == survey.pk
