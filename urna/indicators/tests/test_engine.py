"""The indicators engine against hand-counted fixtures (``engine_world``): each computed
indicator, per month and year, per entity and department; rebuild = incremental."""

from datetime import date

import pytest

from urna.accounts.models import User
from urna.contacts.consent import bit
from urna.contacts.models import Contact
from urna.indicators.engine import reads
from urna.indicators.engine.refresh import indicators_rebuild, indicators_refresh
from urna.indicators.models import IndicatorFact
from urna.indicators.tasks import REFRESH_TASK, refresh_schedule
from urna.indicators.tasks import refresh as refresh_job
from urna.indicators.tests.engine_world import (
    contribution,
    first_year_activity,
    second_year_activity,
    world_base,
)
from urna.jobs.models import Job
from urna.queries.models import QueryDaysStat, QueryStat


@pytest.fixture
def world(agriculture):
    user = User.objects.create_user(username="ciudadana", password="a-long-test-password")
    return world_base(agriculture, user)


@pytest.fixture
def full_world(world):
    first_year_activity(world)
    second_year_activity(world)
    return world


def value(key, year, month=None, **scope):
    return reads.values(years=[year], month=month, **scope)[(key, year)]


def refresh():
    return indicators_refresh(settle_seconds=0)


def all_facts() -> dict:
    return {
        (f.key, f.year, f.month, f.scope_kind, f.scope, f.dim): f.value
        for f in IndicatorFact.objects.all()
    }


def test_interactions_and_traffic_by_month_year_and_channel(full_world):
    w = full_world
    indicators_rebuild()

    # March: contributions 1 (web) and 2 (sms); query 1 (web); the exercise's query not counted.
    assert value("interactions_contributions", w.y1, 3) == 2
    assert value("interactions_queries", w.y1, 3) == 1
    assert value("interactions_total", w.y1, 3) == 3
    # April: one answer to a closed question, one proposal, one support.
    assert value("interactions_votes", w.y1, 4) == 1
    assert value("interactions_supports", w.y1, 4) == 1
    assert value("interactions_total", w.y1, 4) == 3
    assert value("interactions_total", w.y1) == 6
    assert reads.breakdown(key="interactions_contributions", year=w.y1) == {"web": 2.0, "sms": 1.0}
    assert reads.series(key="interactions_total", year=w.y1)[:5] == [0, 0, 3, 3, 0]
    # Inbound: March's web contribution and web query, its two stored SMS (the SMS contribution
    # that came with one is not counted again); April's SMS answer stored without a message and
    # the web proposal.
    assert reads.breakdown(key="channel_inbound", year=w.y1, month=3) == {"sms": 2.0, "web": 2.0}
    assert reads.breakdown(key="channel_inbound", year=w.y1) == {"sms": 3.0, "web": 3.0}
    # Outbound: the message that went out, not the one held back for lack of consent.
    assert value("channel_outbound", w.y1) == 1
    # Second year, January: whatsapp and radio contributions, the SMS query came with its
    # message (counted once, as the message); the cancelled campaign message never went out.
    assert reads.breakdown(key="interactions_total", year=w.y2) == {
        "radio": 1.0,
        "sms": 1.0,
        "whatsapp": 1.0,
    }
    assert reads.breakdown(key="channel_inbound", year=w.y2) == {
        "radio": 1.0,
        "sms": 1.0,
        "whatsapp": 1.0,
    }
    assert reads.breakdown(key="channel_outbound", year=w.y2) == {"email": 1.0}


def test_interactions_per_entity_and_department(full_world):
    w = full_world
    indicators_rebuild()
    ministry = {"scope_kind": "entity", "scope": str(w.ministry.pk)}
    governorate = {"scope_kind": "entity", "scope": str(w.governorate.pk)}

    assert value("interactions_total", w.y1, **ministry) == 6
    # A partner does not own the exercise's contributions.
    assert value("interactions_total", w.y1, **governorate) == 0
    assert value("interactions_total", w.y2, **governorate) == 3
    # Department: the contribution's own, else the query's municipality's, else the entity's.
    assert value("interactions_total", w.y1, scope_kind="department", scope="17") == 3
    assert value("interactions_total", w.y1, scope_kind="department", scope="05") == 1
    assert value("interactions_total", w.y2, scope_kind="department", scope="05") == 3


def test_people_reached_are_distinct_over_the_period(full_world):
    w = full_world
    indicators_rebuild()

    # March: c1 (two contributions and the exercise's query) and c3 (a query).
    assert value("people_reached", w.y1, 3) == 2
    # April: c2 (an answer and a message sent to it) and the account that proposed.
    assert value("people_reached", w.y1, 4) == 2
    # The year: c1, c2, c3 and the account, not 2 + 2... plus the held-back message's c3 twice.
    assert value("people_reached", w.y1) == 4
    assert value("people_reached", w.y1, scope_kind="entity", scope=str(w.ministry.pk)) == 4
    assert value("people_reached", w.y1, scope_kind="department", scope="17") == 2
    assert value("people_reached", w.y1, scope_kind="department", scope="05") == 1
    # Second year: c1 (contribution), c2 (query), c3 (campaign message); c1's cancelled message
    # does not count, the radio contribution has no person.
    assert value("people_reached", w.y2) == 3
    assert value("people_reached", w.y2, scope_kind="entity", scope=str(w.governorate.pk)) == 3
    assert value("campaigns_people_reached", w.y2) == 1
    assert value("campaigns_sent", w.y2, 1) == 1
    assert value("campaigns_sent", w.y1) == 0


def test_exercises_and_partnerships(full_world):
    w = full_world
    indicators_rebuild()
    ministry = {"scope_kind": "entity", "scope": str(w.ministry.pk)}
    governorate = {"scope_kind": "entity", "scope": str(w.governorate.pk)}

    # First year: exercise 1 (the ministry's, with the governorate); the draft is not counted.
    assert value("exercises_carried_out", w.y1, 3) == 1
    assert value("exercises_national", w.y1) == 1
    assert value("exercises_territorial", w.y1) == 0
    assert value("exercises_carried_out", w.y1, **governorate) == 1
    assert value("partnerships_total", w.y1) == 1
    assert value("partnerships_national_territorial", w.y1) == 1
    assert value("partnerships_national_national", w.y1) == 0
    assert value("partnerships_total", w.y1, **ministry) == 1
    # Second year: exercise 2 (the governorate's, alone) and exercise 1's results.
    assert value("exercises_territorial", w.y2) == 1
    assert value("exercises_carried_out", w.y2, scope_kind="department", scope="05") == 1
    assert value("exercises_with_results", w.y2, 2) == 1
    assert value("partnerships_total", w.y2) == 0


def test_replies_come_from_the_queries_roll_ups(full_world):
    w = full_world
    month = date(w.y1, 3, 1)
    for scope in (0, w.ministry.pk):
        QueryStat.objects.create(
            scope=scope, month=month, dim="all", received=2, answered=2, answered_within_term=1
        )
        QueryDaysStat.objects.create(scope=scope, month=month, dim="all", days=4, count=1)
        QueryDaysStat.objects.create(scope=scope, month=month, dim="all", days=12, count=1)
    indicators_rebuild()

    for scope in ({}, {"scope_kind": "entity", "scope": str(w.ministry.pk)}):
        assert value("replies_received", w.y1, 3, **scope) == 2
        assert value("replies_answered", w.y1, **scope) == 2
        assert value("replies_within_term_pct", w.y1, **scope) == 50.0
        assert value("replies_median_days", w.y1, **scope) == 4
        assert value("replies_p90_days", w.y1, **scope) == 12
    assert value("replies_within_term_pct", w.y2) is None


def test_snapshots_of_the_current_month(full_world):
    w = full_world
    campaigns_sms = bit("campaigns", "sms")
    Contact.objects.filter(pk__in=[w.c1.pk, w.c2.pk]).update(consents=campaigns_sms)
    # Consent to answers only, and campaigns by email without an address: not informed.
    Contact.objects.filter(pk=w.c3.pk).update(consents=bit("answers", "email"))
    Contact.objects.create(phone="+573000000009", consents=bit("campaigns", "email"))
    overdue = w.ministry.queries.first()
    overdue.due_date = date(2000, 1, 1)
    overdue.save(update_fields=["due_date"])
    result = indicators_rebuild()

    assert result.snapshots == ["replies_overdue", "crm_contacts_informed"]
    year = reads.years_with_data()[0]
    assert value("crm_contacts_informed", year) == 2
    assert value("crm_contacts_informed", year, scope_kind="department", scope="17") == 1
    assert value("replies_overdue", year) == 1
    assert value("replies_overdue", year, scope_kind="entity", scope=str(w.ministry.pk)) == 1


def test_rebuild_equals_incremental_refreshes(world):
    w = world
    refresh()
    first_year_activity(w)
    refresh()
    second_year_activity(w)
    refresh()
    # Later changes: a late contribution in an old month, a query moved to another entity.
    contribution(w.e1, w.e1.opens_at.replace(month=5), "web", contact=w.c3)
    moved = w.ministry.queries.filter(channel="web").get()
    moved.entity = w.governorate
    moved.save(update_fields=["entity"])
    moved.events.create(kind="transferred")
    refresh()
    incremental = all_facts()

    indicators_rebuild()

    assert all_facts() == incremental
    assert incremental[("interactions_queries", w.y1, 0, "entity", str(w.governorate.pk), "")] == 1


def test_refresh_recomputes_only_the_months_that_changed(full_world):
    w = full_world
    indicators_rebuild()
    march = {f.pk: f.value for f in IndicatorFact.objects.filter(year=w.y1, month=3)}

    contribution(w.e1, w.e1.opens_at.replace(month=4, day=20), "tv")
    result = refresh()

    assert result.by_part == {
        "activity": {(w.y1, 4)},
        "exercises": set(),
        "campaigns": set(),
        "replies": set(),
        "social": set(),
        "perception": set(),
    }
    assert {f.pk: f.value for f in IndicatorFact.objects.filter(year=w.y1, month=3)} == march
    assert value("interactions_contributions", w.y1, 4) == 2
    assert value("interactions_contributions", w.y1) == 4


def test_a_refresh_with_nothing_new_writes_nothing(full_world):
    indicators_rebuild()
    refresh()
    before = all_facts()

    result = refresh()

    assert result.months == set()
    assert result.written == 0
    assert all_facts() == before


def test_the_refresh_job_queues_its_next_round_once(db, settings):
    settings.INDICATORS_REFRESH_SECONDS = 120
    assert refresh_schedule() is not None
    assert refresh_schedule() is None  # one queued at most

    Job.objects.filter(name=REFRESH_TASK).delete()
    outcome = refresh_job()

    queued = Job.objects.get(name=REFRESH_TASK, status=Job.Status.QUEUED)
    assert 110 <= (queued.run_at - queued.created_at).total_seconds() <= 121
    assert outcome["written"] >= 0 and "replies_overdue" in outcome["snapshots"]
