"""Deliberation through the channels' real webhooks: DELIBERAR <code> by SMS and WhatsApp (one
statement a message, 1/2/3, SALIR stops the deliberation only) and "5 Deliberación" on USSD
(one statement a screen, 0 back) — and a vote on a statement hidden meanwhile refused clearly."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from urna.accounts.models import Role
from urna.channels.deliberation import finished_text
from urna.channels.models import InboundMessage
from urna.channels.tests.base import PHONE, Phone, ussd
from urna.channels.ussd.menu import MAX_SCREEN, State, render
from urna.contacts.models import ConsentEvent, Contact
from urna.deliberation import services
from urna.deliberation.models import Participant, Statement, Vote
from urna.exercises import services as exercise_services
from urna.exercises.models import Exercise

pytestmark = pytest.mark.django_db

TEXTS = (
    "La tierra debe ser para quien la trabaja.",
    "Hay que construir vías terciarias antes que nada.",
    "El crédito agrario debe ser más barato.",
)


@pytest.fixture
def staff(agriculture, make_staff):
    return make_staff(agriculture, Role.MANAGER, username="gestora")


@pytest.fixture
def moderator(agriculture, make_staff):
    return make_staff(agriculture, Role.MODERATOR, username="moderadora")


@pytest.fixture
def deliberation(staff, agriculture):
    exercise = exercise_services.exercise_create(
        by=staff,
        owner=agriculture,
        title="Reforma rural: ¿qué piensa usted?",
        summary="Deliberación sobre la reforma rural.",
        kind=Exercise.Kind.POLICY,
        code="RURAL",
        closes_at=timezone.now() + timedelta(days=30),
    )
    exercise_services.exercise_transition(exercise=exercise, to="open", by=staff)
    created = services.deliberation_create(
        exercise=exercise, question="¿Qué debe priorizar la reforma rural?", by=staff
    )
    for text in TEXTS:
        services.statement_add(deliberation=created, text=text, by=staff)
    return created


def _votes():
    return dict(Vote.objects.values_list("statement__public_text", "value"))


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_one_statement_a_message_until_all_are_voted(client, deliberation, channel):
    phone = Phone(client, channel)
    assert "DELIBERAR RURAL" in phone.send("deliberar")
    first = phone.send("deliberar rural")
    assert "(1/3)" in first and "1 De acuerdo, 2 En desacuerdo o 3 Paso" in first
    refused = phone.send("quizás")
    assert "Voto no v" in refused and "(1/3)" in refused  # the same statement again
    assert "(2/3)" in phone.send("1")
    assert "(3/3)" in phone.send("no")
    assert "todas las afirmaciones" in phone.send("3")
    assert sorted(_votes().values()) == [-1, 0, 1]
    assert set(Vote.objects.values_list("channel", flat=True)) == {channel}
    participant = Participant.objects.get()
    assert participant.contact == Contact.objects.get()  # the number's contact
    # The session is over: "1" is the conversation's again (not a vote).
    phone.send("1")
    assert Vote.objects.count() == 3


def test_salir_stops_the_deliberation_only_and_deliberar_resumes(client, deliberation):
    phone = Phone(client, "whatsapp")
    phone.send("DELIBERAR RURAL")
    phone.send("1")
    assert "Salió de la deliberación" in phone.send("SALIR")
    assert not ConsentEvent.objects.filter(action=ConsentEvent.Action.REVOKE).exists()
    assert Vote.objects.count() == 1
    phone.send("2")  # not in a deliberation any more: no vote
    assert Vote.objects.count() == 1
    assert "(2/3)" in phone.send("deliberar rural")  # resumed where it was
    assert "No hay una deliberación abierta" in phone.send("DELIBERAR NADA")


def test_a_vote_on_a_statement_hidden_meanwhile_is_refused_clearly(client, deliberation, moderator):
    phone = Phone(client, "whatsapp")
    shown = phone.send("DELIBERAR RURAL")
    statement = Participant.objects.get().shown_statement
    assert statement.public_text in shown
    services.statement_moderate(
        statement=statement, to="rejected", by=moderator, reason="Repetida."
    )
    reply = phone.send("1")
    assert "fue retirada por moderación" in reply
    assert "(1/2)" in reply  # and the next statement is shown
    assert not Vote.objects.exists()
    message = InboundMessage.objects.order_by("-id").first()
    assert message.result == InboundMessage.Result.REJECTED


def test_a_closed_deliberation_refuses_the_vote(client, deliberation, staff):
    phone = Phone(client, "sms")
    phone.send("DELIBERAR RURAL")
    services.deliberation_update(deliberation=deliberation, by=staff, status="closed")
    assert "cerrada" in phone.send("1")
    assert not Vote.objects.exists()


def screen(client, text, **kwargs):
    body = ussd(client, text, **kwargs).content.decode()
    assert len(body) <= MAX_SCREEN and body.isascii(), body
    return body


def test_ussd_one_statement_a_screen_with_back(client, deliberation):
    assert "5 Deliberacion" in screen(client, "")
    assert "1 Reforma rural" in screen(client, "5")
    first = screen(client, "5*1")
    assert first.startswith("CON #") and "(1/3)" in first
    assert "1 De acuerdo\n2 En desacuerdo\n3 Paso\n0 Atras" in first
    assert "(2/3)" in screen(client, "5*1*1")
    assert "Voto no valido" in screen(client, "5*1*1*7")
    assert "(3/3)" in screen(client, "5*1*1*7*2")
    # A provider's retry of a step casts nothing new.
    assert "(3/3)" in screen(client, "5*1*1*7*2")
    assert Vote.objects.count() == 2
    assert screen(client, "5*1*1*7*2*0").startswith("CON Deliberaciones abiertas")
    assert screen(client, "5*1*1*7*2*0*0").startswith("CON Urna:")
    done = screen(client, "5*1*1*7*2*3")
    assert done.startswith("END ") and "ya voto todas" in done
    assert sorted(Vote.objects.values_list("value", flat=True)) == [-1, 0, 1]
    assert set(Vote.objects.values_list("channel", flat=True)) == {"ussd"}
    assert Participant.objects.get().contact.phone == PHONE


def test_ussd_a_statement_hidden_meanwhile(client, deliberation, moderator):
    screen(client, "5*1")
    statement = Participant.objects.get().shown_statement
    services.statement_moderate(
        statement=statement, to="rejected", by=moderator, reason="Repetida."
    )
    reply = screen(client, "5*1*1")
    assert "retirada por moderacion" in reply and reply.startswith("CON ")
    assert not Vote.objects.exists()
    assert Statement.objects.get(pk=statement.pk).moderation == "rejected"


def test_the_replies_have_english_for_a_citizen_who_reads_english():
    with translation.override("en"):
        menu = render(State("root"))
        done = finished_text()

    assert "4 Surveys" in menu and "5 Deliberation" in menu and "Encuestas" not in menu
    assert len(menu) <= MAX_SCREEN
    assert (
        done == "Thank you: you have voted on every statement. See the opinion groups on the web."
    )
