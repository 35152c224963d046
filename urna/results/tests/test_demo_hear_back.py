"""Acceptance of issue #15 from the demo data that `make run` loads: demo contacts with their
consents, segments, an approved and sent campaign with metrics, participants told of their
answers and of an exercise update."""

from io import StringIO

import pytest

from urna.accounts.demo import demo_load as accounts_demo
from urna.campaigns.demo import demo_load as campaigns_demo
from urna.campaigns.models import Campaign, Segment
from urna.campaigns.selectors import campaign_metrics
from urna.contacts.demo import demo_load as contacts_demo
from urna.contacts.models import ConsentEvent, Contact
from urna.entities.demo import demo_load as entities_demo
from urna.exercises.demo import demo_load as exercises_demo
from urna.exercises.models import ExerciseBroadcast
from urna.messaging.models import OutboundMessage
from urna.results.demo import demo_load as results_demo
from urna.results.models import AnswerNotice

pytestmark = pytest.mark.django_db


def test_the_demo_shows_the_outbound_half_working(national_entities):
    out = StringIO()
    for load in (entities_demo, accounts_demo, contacts_demo, exercises_demo):
        load(stdout=out)
    results_demo(stdout=out)
    campaigns_demo(stdout=out)

    assert Contact.objects.live().count() >= 1_200
    assert ConsentEvent.objects.filter(via="import").count() >= 1_200
    assert Segment.objects.count() >= 2
    campaign = Campaign.objects.get()
    assert campaign.status == "sent" and campaign.approved_by_id != campaign.created_by_id
    metrics = {m.channel: m for m in campaign_metrics(campaign)}
    assert metrics["sms"].delivered > 0 and metrics["sms"].clicks > 0
    assert metrics["email"].sent > 0
    notices = AnswerNotice.objects.all()
    assert notices.count() >= 1
    told = OutboundMessage.objects.filter(pk__in=notices.values("message_id"))
    assert set(told.values_list("status", flat=True)) == {OutboundMessage.Status.SENT}
    assert ExerciseBroadcast.objects.exists()

    again = StringIO()  # seeding twice changes nothing
    results_demo(stdout=again)
    campaigns_demo(stdout=again)
    assert Campaign.objects.count() == 1 and AnswerNotice.objects.count() == notices.count()
