"""Deliberation votes in the indicators (``interactions_deliberation``), counted by hand from
``engine_world.deliberation_activity``: once per vote in the month it was first cast (a
changed vote is the same row), by channel, entity and department; WhatsApp votes came as
inbound messages, so only web and API votes are inbound traffic; rebuild = incremental."""

import pytest

from urna.deliberation.models import Participant, Vote
from urna.deliberation.services import _vote_upsert
from urna.indicators.engine import reads
from urna.indicators.engine.refresh import indicators_rebuild, indicators_refresh
from urna.indicators.tests.engine_world import at, deliberation_activity
from urna.indicators.tests.test_engine import all_facts, value, world  # noqa: F401, F811 - the fixture

pytestmark = pytest.mark.django_db


def test_votes_are_interactions_counted_once(world):  # noqa: F811
    w = world
    made = deliberation_activity(w)
    indicators_refresh(settle_seconds=0)
    # The contact changes its first vote: the same row, not a new interaction.
    s1, _s2 = made["statements"]
    _vote_upsert(made["deliberation"].pk, s1.pk, made["contact"].pk, -1, "web")
    indicators_refresh(settle_seconds=0)
    incremental = all_facts()
    indicators_rebuild()

    assert value("interactions_deliberation", w.y2, 2) == 4
    assert value("interactions_total", w.y2, 2) == 4
    assert reads.breakdown(key="interactions_deliberation", year=w.y2) == {
        "web": 2.0,
        "whatsapp": 1.0,
        "api": 1.0,
    }
    assert reads.breakdown(key="channel_inbound", year=w.y2, month=2) == {"web": 2.0, "api": 1.0}
    # The contact and the account; the anonymous browser is no one Urna can count.
    assert value("people_reached", w.y2, 2) == 2
    governorate = {"scope_kind": "entity", "scope": str(w.governorate.pk)}
    assert value("interactions_deliberation", w.y2, **governorate) == 4
    assert value("interactions_deliberation", w.y2, scope_kind="department", scope="05") == 4
    assert incremental == all_facts()


def test_a_later_vote_counts_in_its_month(world):  # noqa: F811
    w = world
    made = deliberation_activity(w)
    indicators_refresh(settle_seconds=0)
    late = Participant.objects.create(deliberation=made["deliberation"], contact=w.c2)
    Vote.objects.create(
        deliberation=made["deliberation"], statement=made["statements"][1], participant=late,
        value=0, channel="ussd", created_at=at(w.y2, 3, 1), updated_at=at(w.y2, 3, 1),
    )  # fmt: skip
    indicators_refresh(settle_seconds=0)
    incremental = all_facts()
    indicators_rebuild()

    assert value("interactions_deliberation", w.y2, 2) == 4
    assert value("interactions_deliberation", w.y2, 3) == 1
    assert value("interactions_deliberation", w.y2) == 5
    assert value("people_reached", w.y2) == 3
    assert incremental == all_facts()
