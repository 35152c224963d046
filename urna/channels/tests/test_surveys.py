"""Perception surveys through the channels' real webhooks: ENCUESTA <code> by SMS and WhatsApp
(one question a message, resumable, SALIR stops the survey only) and "4 Encuestas" on USSD (one
question a screen) — skip logic on each, and bad answers refused with the engine's reason."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from urna.channels.tests.base import PHONE, Phone, ussd
from urna.channels.ussd.menu import MAX_SCREEN
from urna.contacts.models import ConsentEvent
from urna.surveys.models import Response
from urna.surveys.services import survey_create_from_spec, survey_transition
from urna.surveys.xlsform import xlsform_read

pytestmark = pytest.mark.django_db

TEMPLATE = Path(__file__).resolve().parents[2] / "surveys" / "data" / "percepcion.xlsx"
# Who does not know Urna: the later sections are skipped.
SHORT = ["Caldas", "2", "1", "2"]
# Who knows and uses it: every section asked.
FULL = [
    "17",
    "2",
    "1",
    "1",
    "2 3",
    "1",
    "1 2 4",
    "1",
    "4",
    "5 4 3",
    "9",
    "2 1 3",
    "15/03/2026",
    "-",
]


@pytest.fixture
def survey(agriculture):
    with TEMPLATE.open("rb") as handle:
        created = survey_create_from_spec(entity=agriculture, spec=xlsform_read(handle))
    return survey_transition(survey=created, action="open", by=None, system=True)


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_survey_one_question_a_message_with_skip_logic(client, survey, channel):
    phone = Phone(client, channel)
    first = phone.send("encuesta PERCEPCION")
    assert "(1/4)" in first and "departamento vive?" in first
    assert "Escriba el nombre (por ejemplo: Antioquia, Atl" in first and "Vaupes" not in first
    assert "(2/4)" in phone.send(SHORT[0])
    refused = phone.send("99")
    assert "no es una de las opciones" in refused and "(2/4)" in refused
    for answer in SHORT[1:-1]:
        phone.send(answer)
    thanks = phone.send(SHORT[-1])
    assert "Gracias por responder la encuesta" in thanks
    response = Response.objects.get()
    assert (response.channel, response.status) == (channel, Response.Status.COMPLETE)
    assert response.answers == {
        "departamento": "17",
        "grupo_edad": "25_34",
        "sexo": "mujer",
        "conoce_urna": "no",
    }
    # The session is over: the next message is the conversation's again.
    assert "Urna" in phone.send("AYUDA")
    assert Response.objects.count() == 1


def test_every_section_when_the_citizen_uses_urna(client, survey):
    phone = Phone(client, "whatsapp")
    phone.send("ENCUESTA percepcion")
    for answer in FULL:
        reply = phone.send(answer)
    assert "Gracias por responder la encuesta" in reply
    response = Response.objects.get()
    assert response.status == Response.Status.COMPLETE
    assert response.answers["canales"] == ["web", "sms", "ussd"]
    assert response.answers["satisfaccion_canal"] == {
        "sat_web": "5",
        "sat_sms": "4",
        "sat_whatsapp": "3",
    }
    assert "comentario" in response.answers and response.answers["comentario"] is None


def test_salir_stops_the_survey_only_and_encuesta_resumes_it(client, survey):
    phone = Phone(client, "sms")
    phone.send("ENCUESTA percepcion")
    phone.send("Antioquia")
    resumed = phone.send("ENCUESTA percepcion")
    assert "(2/4)" in resumed  # the same response, at its next question
    assert "detenida" in phone.send("SALIR")
    response = Response.objects.get()
    assert (response.status, response.answers) == (Response.Status.STOPPED, {"departamento": "05"})
    assert not ConsentEvent.objects.exists()  # SALIR in a survey is not a campaigns opt-out
    assert "no es una" not in phone.send("ENCUESTA NOEXISTE")


def screen(client, text, **kwargs):
    body = ussd(client, text, **kwargs).content.decode()
    assert len(body) <= MAX_SCREEN and body.isascii(), body
    return body


def test_ussd_one_question_a_screen_with_skip_logic_and_back(client, survey):
    assert "4 Encuestas" in screen(client, "")
    listing = screen(client, "4")
    assert "1 Encuesta de percepcion de Urna" in listing
    first = screen(client, "4*1")
    assert first.startswith("CON (1/4) En que departamento vive?")
    assert "Escriba el nombre de la opcion." in first
    second = screen(client, "4*1*Caldas")
    assert "(2/4)" in second and "1 18 a 24 anos" in second
    assert "no es una de las opciones" in screen(client, "4*1*Caldas*9")
    assert screen(client, "4*1*Caldas*0").startswith("CON (1/4)")  # back one question
    assert screen(client, "4*0").startswith("CON Urna:")  # back to the menu
    done = screen(client, "4*1*Caldas*9*" + "*".join(SHORT[1:]))
    assert done == "END Gracias por responder la encuesta Encuesta de percepcion de Urna."
    response = Response.objects.get()
    assert (response.channel, response.status, response.sex) == ("ussd", "complete", "mujer")
    assert response.answers["conoce_urna"] == "no" and "usa_urna" not in response.answers
    # A provider retry of the last step submits nothing new.
    screen(client, "4*1*Caldas*9*" + "*".join(SHORT[1:]))
    assert Response.objects.count() == 1


def test_ussd_a_full_path_through_every_section(client, survey):
    done = screen(client, "4*1*" + "*".join(FULL), session="ATUid_full", phone=PHONE)
    assert done.startswith("END Gracias")
    response = Response.objects.get()
    assert response.answers["prioridades"] == ["claridad", "rapidez", "canales"]
    assert response.answers["recomendaria"] == 9


def test_a_day_without_answers_hands_the_number_back_to_the_conversation(client, survey):
    phone = Phone(client, "sms")
    phone.send("ENCUESTA percepcion")
    phone.send("Antioquia")
    Response.objects.update(updated_at=timezone.now() - timedelta(hours=25))
    assert "Urna" in phone.send("AYUDA")  # the help, not "not an option"
    resumed = phone.send("ENCUESTA percepcion")
    assert "(2/4)" in resumed
    assert "(3/4)" in phone.send("2")
    assert Response.objects.get().answers == {"departamento": "05", "grupo_edad": "25_34"}
