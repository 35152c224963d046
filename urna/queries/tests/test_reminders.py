"""Reminders 5, 2 and 0 business days before the due date; escalation of overdue queries;
safe to run twice; the daily job reschedules itself."""

from datetime import date

import pytest

from urna.jobs.models import Job
from urna.jobs.services import run_pending
from urna.messaging.models import OutboundMessage
from urna.queries import services
from urna.queries.models import Query, QueryReminder
from urna.queries.reminders import reminders_send
from urna.queries.tasks import reminders_schedule

pytestmark = pytest.mark.django_db


def set_due(query, due):
    Query.objects.filter(pk=query.pk).update(due_date=due)
    query.refresh_from_db()
    return query


@pytest.fixture
def scenario(submit, agri, manager, lead):
    """Due in 5, 2, 0 business days (from Monday 2 March 2026), overdue, far, and suspended."""
    make = lambda: submit(agri, email=False)  # noqa: E731
    in5 = services.query_assign(
        query=set_due(make(), date(2026, 3, 9)), to_user=manager, by=manager
    )
    in2 = set_due(make(), date(2026, 3, 4))
    today = set_due(make(), date(2026, 3, 2))
    overdue = set_due(make(), date(2026, 2, 27))
    far = set_due(make(), date(2026, 3, 20))
    suspended = set_due(make(), date(2026, 3, 3))
    services.query_request_completion(query=suspended, text="Complete su dirección.", by=manager)
    OutboundMessage.objects.all().delete()
    return {"in5": in5, "in2": in2, "today": today, "overdue": overdue, "far": far}


def test_reminders_and_escalation(scenario, manager, lead):
    counts = reminders_send(today=date(2026, 3, 2))

    logged = set(QueryReminder.objects.values_list("query__receipt", "threshold"))
    assert logged == {
        (scenario["in5"].receipt, 5),
        (scenario["in2"].receipt, 2),
        (scenario["today"].receipt, 0),
        (scenario["overdue"].receipt, QueryReminder.ESCALATION),
    }
    assert counts == {"reminded": 3, "escalated": 1, "messages": 3}  # one digest each
    to_manager = OutboundMessage.objects.filter(
        to="gestora@agri.gov.co", subject__contains="por vencer"
    )
    to_lead = OutboundMessage.objects.filter(to="jefa@agri.gov.co", subject__contains="por vencer")
    escalation = OutboundMessage.objects.get(subject__contains="vencidas")
    # The assigned query reminds its manager only; unassigned ones remind every manager.
    assert scenario["in5"].receipt in to_manager.get().body
    assert scenario["in5"].receipt not in to_lead.get().body
    assert scenario["today"].receipt in to_lead.get().body and "HOY" in to_lead.get().body
    assert (escalation.to, escalation.channel) == ("jefa@agri.gov.co", "email")
    assert scenario["overdue"].receipt in escalation.body


def test_running_twice_sends_nothing_new(scenario):
    reminders_send(today=date(2026, 3, 2))
    messages = OutboundMessage.objects.count()

    again = reminders_send(today=date(2026, 3, 2))

    assert again == {"reminded": 0, "escalated": 0, "messages": 0}
    assert OutboundMessage.objects.count() == messages


def test_next_threshold_and_extension_rearm(scenario, manager):
    reminders_send(today=date(2026, 3, 2))

    reminders_send(today=date(2026, 3, 4))  # in2 is due today now, in5 is 3 days away

    thresholds = set(
        QueryReminder.objects.filter(query=scenario["in2"]).values_list("threshold", flat=True)
    )
    assert thresholds == {2, 0}
    assert QueryReminder.objects.filter(query=scenario["in5"]).count() == 1


def test_the_daily_job_runs_and_reschedules_itself(scenario, clock):
    reminders_schedule()

    ran = run_pending()

    assert ran == 4  # the reminders job and the 3 emails it queued
    done = Job.objects.filter(name="queries.reminders", status="done")
    queued = Job.objects.get(name="queries.reminders", status="queued")
    assert done.count() == 1
    assert queued.unique_key == "queries.reminders:2026-03-03"
    assert QueryReminder.objects.count() == 4
    assert OutboundMessage.objects.filter(status="sent").count() == 3
    assert reminders_schedule(run_at=queued.run_at) is None  # already scheduled for that day
