"""Campaigns end to end through the file backend: the audience respects consent per channel and
purpose, one message per contact across channels, approval by a second person, pause, resume,
cancel, the metrics, the test send and the sanitised HTML."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from urna.audit.models import AuditEntry
from urna.campaigns import selectors, services
from urna.campaigns.content import html_clean, preview
from urna.campaigns.demo import campaigns_demo
from urna.campaigns.models import Campaign
from urna.contacts.consent import bit
from urna.contacts.models import ConsentEvent, ContactInterest
from urna.contacts.services import consent_revoke
from urna.core.errors import Conflict, InvalidInput, PermissionDenied
from urna.jobs.models import Job
from urna.jobs.services import run_pending
from urna.messaging import backends
from urna.messaging.dispatch import dispatch_batch_run
from urna.messaging.links import link_click, tracked_url
from urna.messaging.models import OutboundMessage
from urna.messaging.services import delivery_record

pytestmark = pytest.mark.django_db


def send_now(campaign, by):
    services.campaign_transition(campaign=campaign, action="schedule", by=by)
    run_pending()
    campaign.refresh_from_db()
    return campaign


def recipients(campaign):
    """{channel: sorted contact ids} of what the campaign queued."""
    out = {}
    for cd in campaign.dispatches.all():
        out[cd.channel] = sorted(
            OutboundMessage.objects.filter(dispatch=cd.dispatch).values_list(
                "contact_id", flat=True
            )
        )
    return out


def sent_lines(outbox):
    return [
        json.loads(line)
        for path in sorted(outbox.rglob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


# --- audience -----------------------------------------------------------------------------------


def test_the_audience_respects_consent_per_channel_and_purpose(
    outbox, make_contact, approved, author
):
    only_email = make_contact(email=True)
    only_sms = make_contact(sms=True)
    surveys_sms = make_contact(sms=True, purposes=("surveys",))
    answers_only = make_contact(sms=True, email=True, purposes=("answers",))
    nothing = make_contact()
    erased = make_contact(sms=True, erased_at=timezone.now())

    campaign = send_now(approved(channels=["sms", "email"]), author)

    assert recipients(campaign) == {"sms": [only_sms.pk], "email": [only_email.pk]}
    reached = {m.contact_id for m in OutboundMessage.objects.filter(dispatch__isnull=False)}
    assert reached.isdisjoint({surveys_sms.pk, answers_only.pk, nothing.pk, erased.pk})
    assert campaign.status == Campaign.Status.SENT
    # The same contacts for a survey: only the one who consented to surveys.
    survey = send_now(approved(name="Encuesta", purpose="surveys", channels=["sms"]), author)
    assert recipients(survey) == {"sms": [surveys_sms.pk]}


def test_one_message_per_contact_the_first_consented_channel_or_the_preferred_one(
    outbox, make_contact, approved, author
):
    both = make_contact(sms=True, email=True)
    prefers_email = make_contact(sms=True, email=True, preferred_channel="email")
    prefers_unconsented = make_contact(sms=True, email=True, preferred_channel="whatsapp")
    prefers_whatsapp_outside = make_contact(whatsapp=True, email=True, preferred_channel="whatsapp")
    all_three = make_contact(sms=True, whatsapp=True, email=True)

    campaign = approved(channels=["sms", "email"])
    assert selectors.campaign_reach(campaign) == [("sms", 3), ("email", 2)]
    campaign = send_now(campaign, author)

    assert recipients(campaign) == {
        "sms": [both.pk, prefers_unconsented.pk, all_three.pk],
        "email": [prefers_email.pk, prefers_whatsapp_outside.pk],
    }
    assert OutboundMessage.objects.filter(dispatch__isnull=False).count() == 5
    assert len(sent_lines(outbox)) == 5


def test_every_channel_sends_on_each_consented_channel(outbox, make_contact, approved, author):
    both = make_contact(sms=True, email=True)

    campaign = send_now(approved(channels=["sms", "email"], every_channel=True), author)

    assert recipients(campaign) == {"sms": [both.pk], "email": [both.pk]}


def test_segment_filters_interests_territory_activity_and_language(
    make_contact, agriculture, author
):
    agro = make_contact(sms=True, last_contribution_at=timezone.now() - timedelta(days=3))
    ContactInterest.objects.create(contact=agro, kind="topic", value="agro")
    nariño = make_contact(email=True, department_id="52", language="en")
    ContactInterest.objects.create(contact=nariño, kind="topic", value="agro")
    old = make_contact(sms=True, last_query_at=timezone.now() - timedelta(days=400))
    ContactInterest.objects.create(contact=old, kind="exercise", value="pacto-agrario")

    def ids(**filters):
        clean = services.filters_clean(filters)
        return sorted(selectors.segment_contacts(clean).values_list("pk", flat=True))

    assert ids(topics="agro") == [agro.pk, nariño.pk]
    assert ids(topics=["agro"], in_departments=["52"]) == [nariño.pk]
    assert ids(active_days=30) == [agro.pk]
    assert ids(took_part=["pacto-agrario"]) == [old.pk]
    assert ids(languages=["en"]) == [nariño.pk]
    assert ids(channels=["sms"]) == [agro.pk, old.pk]
    assert ids(channels=["sms", "email"]) == [agro.pk, nariño.pk, old.pk]
    counts = selectors.segment_counts(services.filters_clean({"topics": "agro"}))
    assert counts.total == 2
    assert [(c, n) for c, _, n in counts.channels] == [("sms", 1), ("whatsapp", 0), ("email", 1)]
    with pytest.raises(InvalidInput) as error:
        services.filters_clean({"in_departments": "5"})
    assert error.value.field == "in_departments"


# --- approval -----------------------------------------------------------------------------------


def test_approval_needs_a_second_staff_member_holding_campaign_approve(
    make_campaign, author, colleague, approver, agriculture, make_staff
):
    campaign = make_campaign()
    services.campaign_transition(campaign=campaign, action="submit", by=author)

    with pytest.raises(PermissionDenied):  # the officer lacks campaign.approve
        services.campaign_transition(campaign=campaign, action="approve", by=colleague)
    # An administrator who wrote the campaign may not approve it either.
    own = make_campaign(name="Propia", by=approver)
    services.campaign_transition(campaign=own, action="submit", by=approver)
    with pytest.raises(PermissionDenied) as error:
        services.campaign_transition(campaign=own, action="approve", by=approver)
    assert error.value.code == "own_campaign"
    own.refresh_from_db()
    assert own.status == "submitted"

    done = services.campaign_transition(campaign=campaign, action="approve", by=approver)

    assert (done.status, done.approved_by) == ("approved", approver)
    assert list(
        AuditEntry.objects.filter(object_id=str(campaign.pk), object_type="campaigns.campaign")
        .order_by("id")
        .values_list("action", "actor__username")
    ) == [
        ("campaign.create", "autora"),
        ("campaign.submit", "autora"),
        ("campaign.approve", "aprobadora"),
    ]


def test_an_editor_may_not_approve_and_edits_after_submission_go_back_to_draft(
    approved, colleague, approver, segment, make_staff, agriculture
):
    campaign = approved()
    services.campaign_transition(campaign=campaign, action="schedule", by=colleague)
    job = Job.objects.get(name=services.START_TASK)

    edited = services.campaign_update(
        campaign=campaign,
        name=campaign.name,
        segment=segment,
        purpose="campaigns",
        by=approver,
        channels=["sms"],
        sms_body="Nuevo texto",
    )

    assert (edited.status, edited.approved_by, edited.run_at) == ("draft", None, None)
    services.campaign_transition(campaign=edited, action="submit", by=approver)
    with pytest.raises(PermissionDenied):  # the approver edited it: now it is theirs
        services.campaign_transition(campaign=edited, action="approve", by=approver)
    # The start job of the old schedule does nothing.
    run_pending()
    job.refresh_from_db()
    assert (job.status, job.result) == ("done", {})
    assert not OutboundMessage.objects.exists()


def test_submit_checks_each_channels_content_and_return_needs_a_reason(
    make_campaign, author, approver
):
    with pytest.raises(InvalidInput) as error:
        make_campaign(channels=["email"], email_text="")
    assert error.value.field == "email_text"
    with pytest.raises(InvalidInput) as error:
        make_campaign(channels=["sms"], sms_body="Hola {name}")
    assert error.value.field == "sms_body"
    with pytest.raises(InvalidInput) as error:
        make_campaign(channels=["whatsapp"])
    assert error.value.field == "whatsapp_template"
    campaign = make_campaign()
    services.campaign_transition(campaign=campaign, action="submit", by=author)
    with pytest.raises(InvalidInput):
        services.campaign_transition(campaign=campaign, action="return", by=approver)
    back = services.campaign_transition(
        campaign=campaign, action="return", by=approver, reason="Acorte el SMS."
    )
    assert (back.status, back.return_reason) == ("draft", "Acorte el SMS.")
    with pytest.raises(Conflict):
        services.campaign_transition(campaign=back, action="approve", by=approver)


# --- pause, resume, cancel, metrics ---------------------------------------------------------------


def test_pause_resume_and_cancel_act_on_every_dispatch(outbox, make_contact, approved, author):
    contacts = [make_contact(sms=True) for _ in range(3)] + [make_contact(email=True)]
    campaign = approved()
    services.campaign_transition(campaign=campaign, action="schedule", by=author)
    run_pending(max_jobs=1)  # the start job only: the audience is queued, nothing sent
    campaign.refresh_from_db()
    assert campaign.status == "sending"

    paused = services.campaign_transition(campaign=campaign, action="pause", by=author)
    run_pending()

    assert paused.status == "paused"
    assert {cd.dispatch.status for cd in paused.dispatches.all()} == {"paused"}
    assert OutboundMessage.objects.filter(status="queued").count() == len(contacts)
    assert sent_lines(outbox) == []

    resumed = services.campaign_transition(campaign=paused, action="resume", by=author)
    run_pending()
    resumed.refresh_from_db()
    assert resumed.status == "sent"
    assert len(sent_lines(outbox)) == 4

    with pytest.raises(Conflict):
        services.campaign_transition(campaign=resumed, action="cancel", by=author)
    actions = AuditEntry.objects.filter(object_type="campaigns.campaign").order_by("id")
    assert list(actions.values_list("action", flat=True))[-5:] == [
        "campaign.schedule",
        "campaign.start",
        "campaign.pause",
        "campaign.resume",
        "campaign.finish",
    ]


def test_cancel_stops_what_is_queued(outbox, make_contact, approved, author):
    for _ in range(3):
        make_contact(sms=True)
    campaign = approved(channels=["sms"])
    services.campaign_transition(campaign=campaign, action="schedule", by=author)
    run_pending(max_jobs=1)

    cancelled = services.campaign_transition(campaign=campaign, action="cancel", by=author)
    run_pending()

    assert cancelled.status == "cancelled"
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"cancelled"}
    assert sent_lines(outbox) == []
    metrics = selectors.campaign_metrics(cancelled)
    assert [(m.channel, m.recipients, m.cancelled, m.sent) for m in metrics] == [("sms", 3, 3, 0)]


def test_a_scheduled_campaign_waits_for_its_time(outbox, make_contact, approved, author):
    make_contact(sms=True)
    campaign = approved(channels=["sms"])
    later = timezone.now() + timedelta(hours=2)

    services.campaign_transition(campaign=campaign, action="schedule", by=author, run_at=later)

    assert run_pending() == 0
    job = Job.objects.get(name=services.START_TASK)
    assert job.run_at == later
    assert job.unique_key == f"campaign:{campaign.pk}:start:{later.isoformat()}"
    unscheduled = services.campaign_transition(campaign=campaign, action="unschedule", by=author)
    assert unscheduled.status == "approved"
    Job.objects.filter(pk=job.pk).update(run_at=timezone.now())
    run_pending()
    assert not OutboundMessage.objects.exists()


def test_metrics_after_sending(outbox, make_contact, approved, author, monkeypatch, settings):
    """SMS through a provider that reports delivery (faked at its boundary), email through the
    file backend; one recipient opts out mid-campaign, one clicks the tracked link."""
    provider_ids = iter(f"SM{n}" for n in range(100))
    monkeypatch.setitem(backends.BACKENDS, "fakesms", lambda message: next(provider_ids))
    settings.MESSAGING_SMS_BACKEND = "fakesms"
    sms = [make_contact(sms=True) for _ in range(4)]
    emails = [make_contact(email=True) for _ in range(2)]
    campaign = approved()
    services.campaign_transition(campaign=campaign, action="schedule", by=author)
    run_pending(max_jobs=1)  # queued, not sent yet
    consent_revoke(contact=sms[3], scope=bit("campaigns", "sms"), via=ConsentEvent.Via.KEYWORD)

    run_pending()
    campaign.refresh_from_db()
    first, second = OutboundMessage.objects.filter(channel="sms", status="sent").order_by("id")[:2]
    for message, status in ((first, "delivered"), (second, "failed")):
        delivery_record(
            backend="fakesms", provider_message_id=message.provider_message_id, status=status
        )
    email_message = OutboundMessage.objects.filter(channel="email").first()
    token = tracked_url(email_message.pk, campaign.link_url).rstrip("/").rsplit("/", 1)[-1]
    link_click(token=token)
    link_click(token=token)

    metrics = {m.channel: m for m in selectors.campaign_metrics(campaign)}
    assert campaign.status == "sent"
    assert (
        metrics["sms"].recipients,
        metrics["sms"].sent,
        metrics["sms"].delivered,
        metrics["sms"].failed,
        metrics["sms"].suppressed,
        metrics["sms"].opted_out,
        metrics["sms"].clicks,
    ) == (4, 2, 1, 1, 1, 1, 0)
    assert (metrics["email"].recipients, metrics["email"].sent, metrics["email"].clicks) == (
        2,
        2,
        1,
    )
    assert len(emails) == metrics["email"].sent
    finish = AuditEntry.objects.get(action="campaign.finish")
    assert finish.after["recipients"] == 6


def test_the_rate_is_capped_by_the_providers(outbox, make_contact, approved, author, settings):
    make_contact(sms=True)
    settings.MESSAGING_RATES = {"file": 50}
    fast = send_now(approved(channels=["sms"], rate_per_second=500), author)
    slow = send_now(approved(name="Lenta", channels=["sms"], rate_per_second=10), author)

    assert fast.dispatches.get().dispatch.rate_per_second == 50
    assert slow.dispatches.get().dispatch.rate_per_second == 10


def test_the_start_job_run_twice_queues_each_contact_once(outbox, make_contact, approved, author):
    people = [make_contact(sms=True) for _ in range(3)]
    campaign = approved(channels=["sms"])
    services.campaign_transition(campaign=campaign, action="schedule", by=author)
    job = Job.objects.get(name=services.START_TASK)

    services.campaign_start(campaign_id=campaign.pk, run_at_iso=job.kwargs["run_at_iso"])
    # A worker that died before recording the outcome: the rerun finds the channel queued.
    services.campaign_start(campaign_id=campaign.pk, run_at_iso=job.kwargs["run_at_iso"])
    for cd in campaign.dispatches.all():
        dispatch_batch_run(dispatch_id=cd.dispatch_id, first_id=0, last_id=10**9)

    assert OutboundMessage.objects.filter(status="sent").count() == len(people)


# --- test send and content ------------------------------------------------------------------------


def test_a_test_send_goes_to_at_most_five_typed_addresses_marked_as_a_test(
    outbox, make_campaign, author
):
    campaign = make_campaign()

    with pytest.raises(InvalidInput):
        services.campaign_test_send(
            campaign=campaign, channel="sms", addresses=["3001234567"] * 6, by=author
        )
    messages = services.campaign_test_send(
        campaign=campaign,
        channel="email",
        addresses=["Ana@Example.org", "b@example.org"],
        by=author,
    )

    assert [(m.to, m.kind, m.status) for m in messages] == [
        ("ana@example.org", "transactional", "queued"),
        ("b@example.org", "transactional", "queued"),
    ]
    assert messages[0].subject == "[PRUEBA] Novedades para Prueba"
    assert messages[0].body.startswith("[PRUEBA] Hola Prueba, opine en https://urna.example/")
    entry = AuditEntry.objects.get(action="campaign.test_send")
    assert entry.after == {"channel": "email", "count": 2}
    assert "example.org" not in json.dumps(entry.after)
    sms = services.campaign_test_send(
        campaign=campaign, channel="sms", addresses=["300 123 4567"], by=author
    )
    assert (sms[0].to, sms[0].body[:9]) == ("+573001234567", "[PRUEBA] ")


def test_the_html_is_sanitised_and_the_preview_masks_the_name(make_campaign, make_contact):
    dirty = (
        '<p onclick="steal()">Hola <b>{nombre}</b><script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><a href="https://gov.co">ok</a></p>'
        "<style>p{}</style><iframe src=https://evil></iframe>"
    )
    campaign = make_campaign(channels=["email"], email_html=dirty)

    assert campaign.email_html == html_clean(dirty)
    assert "script" not in campaign.email_html and "onclick" not in campaign.email_html
    assert "javascript" not in campaign.email_html and "iframe" not in campaign.email_html
    assert '<a href="https://gov.co" rel="noopener noreferrer">ok</a>' in campaign.email_html
    contact = make_contact(email=True, name="Mariana Pérez")
    preview = services_preview(campaign, contact)
    assert preview.text.startswith("Hola M••••••, opine en ")
    assert "<b>M••••••</b>" in preview.html


def services_preview(campaign, contact):
    content = {f: getattr(campaign, f) for f in services.CONTENT_FIELDS}
    return preview(content, contact=contact, purpose=campaign.purpose)[0]


def test_the_demo_sends_an_approved_campaign_once(
    outbox, make_contact, agriculture, author, approver
):
    people = [make_contact(sms=True), make_contact(email=True), make_contact(whatsapp=True)]

    campaign = campaigns_demo(entity=agriculture, author=author, approver=approver)
    again = campaigns_demo(entity=agriculture, author=author, approver=approver)

    assert again.pk == campaign.pk
    assert (campaign.status, campaign.approved_by) == ("sent", approver)
    metrics = {m.channel: (m.recipients, m.sent) for m in selectors.campaign_metrics(campaign)}
    assert metrics == {"sms": (1, 1), "email": (1, 1)}
    assert len(people) == 3  # the WhatsApp-only contact is not among the campaign's channels
