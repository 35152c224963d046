"""A participant's own marks on an exercise: their support of a proposal, shown where they gave
it, and their one answer to each closed question, with its results."""

import pytest
from django.test import Client

from urna.contacts.services import ContactDetails
from urna.core.errors import Conflict
from urna.exercises import services
from urna.exercises.models import Contribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(make_exercise, manager):
    exercise = make_exercise(status="draft")
    services.question_add(exercise=exercise, by=manager, kind="yes_no", text="¿Conoce la ruta?")
    services.exercise_transition(exercise=exercise, to="open", by=manager)
    return exercise


def _proposal(exercise, text="Una propuesta para el campo"):
    return services.contribution_submit(
        exercise=exercise, kind="proposal", text=text, channel="web"
    ).contribution


def _item(html: str, pk: int) -> str:
    """The markup of one contribution of the page (its <li id="aporte-N">)."""
    start = html.index(f'id="aporte-{pk}"')
    return html[start : html.index("</li>", start)]


# --- supports ---------------------------------------------------------------------------------


def test_a_support_is_confirmed_beside_its_proposal_and_the_button_changes(client, consultation):
    proposal = _proposal(consultation)
    client.get(consultation.get_absolute_url())

    response = client.post(
        f"/ejercicios/{consultation.slug}/apoyar/{proposal.pk}/",
        {"volver": f"{consultation.get_absolute_url()}?pagina=1"},
    )

    assert response.status_code == 302
    assert response["Location"] == (
        f"{consultation.get_absolute_url()}?pagina=1#aporte-{proposal.pk}"
    )
    page = client.get(response["Location"]).content.decode()
    item = _item(page, proposal.pk)
    assert "Gracias: su apoyo quedó registrado." in item
    assert "Usted apoyó esta propuesta" in item
    assert "Apoyar esta propuesta" not in item
    # The confirmation is beside the proposal, not at the top of the page.
    assert (
        "Gracias: su apoyo quedó registrado."
        not in page[: page.index(f'id="aporte-{proposal.pk}"')]
    )
    # Shown once: the next visit shows the state, not the thanks again.
    again = _item(client.get(consultation.get_absolute_url()).content.decode(), proposal.pk)
    assert "Usted apoyó esta propuesta" in again
    assert "Gracias" not in again


def test_a_second_support_from_the_same_browser_is_refused(client, consultation):
    proposal = _proposal(consultation)
    url = f"/ejercicios/{consultation.slug}/apoyar/{proposal.pk}/"

    client.post(url)
    response = client.post(url, follow=True)

    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert "Usted ya había apoyado esta propuesta." in _item(response.content.decode(), proposal.pk)


def test_a_support_with_htmx_swaps_the_button_area_in_place(client, consultation):
    proposal = _proposal(consultation)

    response = client.post(
        f"/ejercicios/{consultation.slug}/apoyar/{proposal.pk}/", HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="apoyo-{proposal.pk}"' in html
    assert "Gracias: su apoyo quedó registrado." in html
    assert "Usted apoyó esta propuesta" in html
    assert "1 apoyo" in html


def test_the_return_address_of_a_support_stays_on_this_site(client, consultation):
    proposal = _proposal(consultation)

    response = client.post(
        f"/ejercicios/{consultation.slug}/apoyar/{proposal.pk}/",
        {"volver": "https://example.org/phish"},
    )

    assert response["Location"] == f"{consultation.get_absolute_url()}#aporte-{proposal.pk}"


# --- closed questions -------------------------------------------------------------------------


def test_a_closed_question_is_answered_once_per_browser_and_shows_its_results(client, consultation):
    url = f"/ejercicios/{consultation.slug}/preguntas/1/"
    client.get(consultation.get_absolute_url())

    first = client.post(url, {"p1-choice": "si"}, follow=True)
    second = client.post(url, {"p1-choice": "no"})

    assert Contribution.objects.filter(kind="answer").count() == 1
    # After answering: the receipt and the question's results.
    html = first.content.decode()
    assert "Resultados de la pregunta" in html
    assert "100 %" in html
    # A second answer is refused, says why and shows the results.
    assert second.status_code == 409
    html = second.content.decode()
    assert "Ya respondió esta pregunta" in html
    assert "Resultados de la pregunta" in html
    assert "1 respuesta" in html
    # The exercise page no longer offers the form to this browser, but the results.
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert 'name="p1-choice"' not in page
    assert "Usted ya respondió esta pregunta" in page
    # Another browser still may answer.
    assert Client().post(url, {"p1-choice": "no"}).status_code == 302
    assert Contribution.objects.filter(kind="answer").count() == 2


def test_a_phone_answers_a_closed_question_once_on_every_channel(consultation):
    phone = ContactDetails(phone="+573001234567", consent=True)
    services.contribution_submit(
        exercise=consultation,
        kind="answer",
        text="",
        channel="sms",
        question=1,
        choice="si",
        contact=phone,
        idempotency_key="sms:msg-1",
    )

    # The provider repeating the same message is the same answer, not a refusal.
    again = services.contribution_submit(
        exercise=consultation,
        kind="answer",
        text="",
        channel="sms",
        question=1,
        choice="si",
        contact=phone,
        idempotency_key="sms:msg-1",
    )
    assert again.created is False
    with pytest.raises(Conflict) as refused:
        services.contribution_submit(
            exercise=consultation,
            kind="answer",
            text="",
            channel="ussd",
            question=1,
            choice="no",
            contact=ContactDetails(phone="+57 300 123 4567", consent=True),
            idempotency_key="ussd:session-9",
        )
    assert refused.value.code == "already_answered"
    assert str(refused.value.message) == "Ya respondió esta pregunta."
    assert Contribution.objects.filter(kind="answer").count() == 1
