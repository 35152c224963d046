"""The console's writes as services: a session opened with its audit entry, entries counted
once per form, and what is taken on TV stays TV."""

import pytest
from django.utils import timezone

from urna.audit.models import AuditEntry
from urna.channels.console.services import operator_entry_submit, operator_session_start
from urna.core.errors import DomainError
from urna.exercises.models import Contribution
from urna.queries.models import Query

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(entity, make_staff):
    return make_staff(entity, "moderator", username="operadora")


def start(world, operator, channel="tv"):
    return operator_session_start(
        exercise=world["AGRO"],
        channel=channel,
        programme="Noticiero regional",
        date=timezone.localdate(),
        by=operator,
    )


def test_a_session_is_opened_and_audited(world, operator, entity):
    session = start(world, operator)

    assert (session.channel, session.operator, session.entries) == ("tv", operator, 0)
    entry = AuditEntry.objects.get(action="channels.console_session")
    assert (entry.actor, entry.entity, entry.after) == (
        operator,
        entity,
        {"channel": "tv", "exercise": "agro"},
    )


def test_an_entry_is_counted_once_per_form(world, operator):
    session = start(world, operator)
    entry = {"text": "Que lleguen las vias a las veredas", "kind": "opinion", "by": operator}

    first = operator_entry_submit(session=session, token="t1", **entry)
    again = operator_entry_submit(session=session, token="t1", **entry)

    assert first == again and first.startswith("UC-")
    session.refresh_from_db()
    assert session.entries == 1
    assert Contribution.objects.get().channel == "tv"


def test_a_refused_entry_raises_and_counts_nothing(world, operator):
    session = start(world, operator)

    with pytest.raises(DomainError) as refused:
        operator_entry_submit(session=session, text="ok", kind="opinion", token="t", by=operator)

    assert refused.value.field == "text"
    session.refresh_from_db()
    assert session.entries == 0


def test_a_question_taken_on_tv_is_stored_as_tv(world, operator):
    session = start(world, operator, channel="tv")

    operator_entry_submit(
        session=session,
        text="Cuando van a titular los predios de la vereda?",
        kind="question",
        token="q1",
        by=operator,
    )

    assert Query.objects.get().channel == "tv"
