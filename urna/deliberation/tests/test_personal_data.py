"""A citizen's votes and proposals in their data export, and erasure: the participant is
detached from the person and the votes stay, anonymous, so the groups and counts do not move."""

import json

import pytest

from urna.accounts.services import account_data_export
from urna.contacts.services import contact_erase, contact_export, contact_get_or_create
from urna.deliberation import services
from urna.deliberation.models import Participant, Statement, Vote

pytestmark = pytest.mark.django_db

PHONE = "+573001234567"
PROPOSAL = "Que me llamen al 320 555 0147 para hablar de las vías."


@pytest.fixture
def citizen(deliberation, statements):
    contact = contact_get_or_create(phone=PHONE, consent=True, channel="whatsapp")
    participant = services.participant_get_or_create(deliberation=deliberation, contact=contact)
    first, second, _third = statements["published"]
    services.vote_cast(participant=participant, statement_id=first.pk, value=1, channel="whatsapp")
    services.vote_cast(participant=participant, statement_id=second.pk, value=-1, channel="ussd")
    services.statement_propose(participant=participant, text=PROPOSAL)
    return contact


def test_the_export_holds_the_votes_and_proposals(citizen, statements):
    data = contact_export(contact=citizen)
    [row] = data["deliberation"]
    assert row["deliberation"] == "¿Qué debe priorizar la reforma rural?"
    assert [(v["statement"], v["value"], v["channel"]) for v in row["votes"]] == [
        ("La tierra debe ser para quien la trabaja.", "De acuerdo", "whatsapp"),
        ("Hay que construir vías terciarias antes que nada.", "En desacuerdo", "ussd"),
    ]
    assert [p["text"] for p in row["proposals"]] == [PROPOSAL]


def test_erasure_detaches_the_participant_and_keeps_the_votes(citizen, deliberation):
    votes_before = sorted(Vote.objects.values_list("participant_id", "statement_id", "value"))
    participant = Participant.objects.get(contact=citizen)
    contact_erase(contact=citizen)
    participant.refresh_from_db()
    assert (participant.contact_id, participant.user_id, participant.anonymous_key) == (
        None,
        None,
        None,
    )
    after = sorted(Vote.objects.values_list("participant_id", "statement_id", "value"))
    assert after == votes_before
    proposal = Statement.objects.get(author=participant)
    assert "320 555 0147" not in proposal.text and "[teléfono]" in proposal.text
    citizen.refresh_from_db()
    assert contact_export(contact=citizen)["deliberation"] == []
    assert PHONE not in json.dumps(contact_export(contact=citizen), default=str)


def test_an_account_exports_what_it_voted(deliberation, statements, django_user_model):
    user = django_user_model.objects.create_user(username="ciudadana", password="x-1234567")
    participant = services.participant_get_or_create(deliberation=deliberation, user=user)
    services.vote_cast(
        participant=participant, statement_id=statements["published"][0].pk, value=0, channel="web"
    )
    [row] = account_data_export(user=user)["deliberation"]
    assert [v["value"] for v in row["votes"]] == ["Paso / no estoy seguro"]
