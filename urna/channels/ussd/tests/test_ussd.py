import pytest

from urna.channels.models import InboundMessage
from urna.channels.tests.base import PHONE, ussd
from urna.channels.ussd.menu import MAX_SCREEN

pytestmark = pytest.mark.django_db


def screen(client, text, **kwargs):
    response = ussd(client, text, **kwargs)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert len(body) <= MAX_SCREEN, (text, len(body), body)
    assert body.startswith(("CON ", "END "))
    assert body.isascii(), body
    return body


def test_menu_walked_end_to_end_answering_the_closed_question(client, world):
    # Given an open exercise with a closed question, when a citizen walks the whole menu
    root = screen(client, "")
    assert root.startswith("CON ") and "1 Ejercicios abiertos" in root
    page1 = screen(client, "1")
    assert "Ejercicios abiertos 1/2" in page1 and "9 Mas" in page1 and "0 Atras" in page1
    page2 = screen(client, "1*9")
    assert "Ejercicios abiertos 2/2" in page2 and "9 Mas" not in page2
    detail = screen(client, "1*1")
    assert detail.startswith("CON AGRO Proyecto de decreto")
    assert "1 Responder encuesta" in detail
    question = screen(client, "1*1*1")
    assert "Cual debe ser la prioridad" in question and "2 Credito barato" in question
    confirm = screen(client, "1*1*1*2")
    assert "Credito barato" in confirm and "1 Enviar" in confirm
    done = screen(client, "1*1*1*2*1")
    # Then the last screen ends the session with the receipt of a stored answer
    assert done.startswith("END Gracias. Su recibo: UC-")
    from urna.exercises.models import Contribution

    contribution = Contribution.objects.get()
    assert contribution.receipt in done
    assert (contribution.kind, contribution.choice, contribution.channel) == (
        "answer",
        "credito",
        "ussd",
    )
    assert contribution.contact.phone == PHONE
    assert InboundMessage.objects.filter(provider="ussd").count() == 7


def test_opinion_and_back_navigation(client, world):
    assert "Escriba su opinion sobre AGUA" in screen(client, "1*2*2")
    # 0 goes back from the text prompt to the exercise
    assert screen(client, "1*2*2*0").startswith("CON AGUA Plan decenal")
    confirm = screen(client, "1*2*2*0*2*Mas acueductos veredales")
    assert 'Su opinion: "Mas acueductos veredales"' in confirm
    done = screen(client, "1*2*2*0*2*Mas acueductos veredales*1")
    assert done.startswith("END Gracias. Su recibo: UC-")
    from urna.exercises.models import Contribution

    assert list(Contribution.objects.values_list("kind", "text", "exercise__code")) == [
        ("opinion", "Mas acueductos veredales", "AGUA")
    ]


def test_question_to_the_government_from_the_top_menu_gets_a_query_receipt(client, world):
    assert "Escriba su pregunta" in screen(client, "2")
    done = screen(client, "2*Cuando llega el subsidio de vivienda*1")
    assert done.startswith("END Gracias. Su recibo: PQ-")
    from urna.queries.models import Query

    query = Query.objects.get()
    assert (query.channel, query.type) == ("ussd", "peticion")
    assert query.receipt in done


def test_status_by_receipt_and_unknown_receipt(client, world):
    done = screen(client, "1*3*2*Quiero saber del agua potable*1", session="s-a")
    receipt = done.split("recibo: ")[1].split(".")[0]
    unknown = screen(client, "3*UC-2026-ZZZZZZZ", session="s-b")
    assert unknown.startswith("CON No encontramos ese recibo.")
    status = screen(client, f"3*UC-2026-ZZZZZZZ*{receipt.lower()}", session="s-b")
    assert status.startswith(f"END {receipt}") and "recibido y publicado" in status


def test_repeated_identical_request_is_idempotent(client, world):
    first = screen(client, "1*1*1*2*1")
    again = screen(client, "1*1*1*2*1")
    from urna.exercises.models import Contribution

    assert first == again
    assert Contribution.objects.count() == 1
    assert InboundMessage.objects.filter(provider="ussd").count() == 1


def test_invalid_inputs_get_a_helpful_screen(client, world):
    assert screen(client, "7").startswith("CON Opcion no valida. Urna")
    assert screen(client, "1*1*1*9").startswith("CON Opcion no valida.")
    assert screen(client, "1*2*2*a").startswith("CON Escriba al menos 3 letras.")
    assert screen(client, "1*1*1*2*1*5").startswith("END Sesion no valida")
    assert screen(client, "0").startswith("END Gracias por participar")
    assert screen(client, "**").startswith("CON Opcion no valida.")


def test_every_screen_fits_with_long_titles(client, world):
    from urna.exercises.models import Exercise

    Exercise.objects.update(title="T" * 200, summary="Resumen " * 60)
    from django.core.cache import cache

    cache.clear()
    for path in [
        "",
        "1",
        "1*9",
        "1*1",
        "1*1*1",
        "1*1*1*1",
        "1*2*2",
        "1*2*2*" + "x" * 300,
        "2",
        "3",
    ]:
        screen(client, path)


def test_closed_exercise_is_not_listed_and_no_exercises_screen(client, world):
    from django.core.cache import cache

    from urna.exercises.models import Exercise

    assert "Ejercicio cerrado" not in screen(client, "1*9")
    Exercise.objects.update(status=Exercise.Status.ANALYSIS)
    cache.clear()
    assert screen(client, "1").startswith("CON No hay ejercicios abiertos ahora.")


def test_missing_or_bad_token_is_refused_and_stores_nothing(client, world, caplog):
    bad = ussd(client, "", token="wrong")
    missing = ussd(client, "", token=None)
    assert (bad.status_code, missing.status_code) == (403, 403)
    assert InboundMessage.objects.count() == 0
    record = [r for r in caplog.records if r.name == "urna.security"]
    assert len(record) == 2 and PHONE not in record[0].getMessage()


def test_malformed_and_oversized_requests(client, world):
    from urna.channels.tests.base import AT_TOKEN

    no_session = client.post(f"/channels/ussd/?token={AT_TOKEN}", {"text": ""})
    assert no_session.status_code == 400 and no_session.content.startswith(b"END ")
    huge = ussd(client, "1*" + "x" * 5000)
    assert huge.status_code == 413
    assert InboundMessage.objects.count() == 0
