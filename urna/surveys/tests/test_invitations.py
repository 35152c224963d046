"""Invitations: only contacts who consented to surveys by the channel, in the chosen
departments; one reminder, days later, to those who have not completed; audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from urna.audit.models import AuditEntry
from urna.contacts.consent import bits
from urna.contacts.models import Contact
from urna.jobs.models import Job
from urna.messaging.models import OutboundMessage
from urna.surveys import services
from urna.surveys.models import Invitation
from urna.surveys.services.invitations import REMIND_TASK, invitation_remind, invitation_send

from .conftest import SHORT_PATH

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(db):
    surveys_sms = bits(["surveys"], ["sms"])
    return {
        "ana": Contact.objects.create(phone="+573001110001", consents=surveys_sms),
        "beto": Contact.objects.create(phone="+573001110002", consents=surveys_sms),
        "campaigns_only": Contact.objects.create(
            phone="+573001110003", consents=bits(["campaigns"], ["sms"])
        ),
        "email_only": Contact.objects.create(
            email="c@example.org", consents=bits(["surveys"], ["email"])
        ),
    }


def _queued(dispatch):
    return set(
        OutboundMessage.objects.filter(dispatch=dispatch).values_list("contact__phone", flat=True)
    )


def test_invite_the_consented_then_remind_those_who_did_not_finish(
    client, survey, manager, contacts
):
    client.force_login(manager)
    url = reverse("surveys:staff_invite", args=[survey.pk])
    page = client.get(url).content.decode()
    assert "SMS: 2" in page and "Correo electrónico: 1" in page
    sent = client.post(url, {"channel": "sms", "remind_after_days": "3"})
    assert sent.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.invited == 2
    assert _queued(invitation.dispatch) == {"+573001110001", "+573001110002"}
    body = invitation.dispatch.body
    assert "ENCUESTA PERCEPCION" in body and "SALIR" in body
    job = Job.objects.get(name=REMIND_TASK)
    assert job.run_at > timezone.now() + timedelta(days=2, hours=23)
    assert AuditEntry.objects.filter(action="survey.invite", object_id=str(survey.pk)).exists()
    # Ana answers by SMS from the invited number.
    session = services.survey_session_start(
        survey=survey, channel="sms", address="+573001110001", contact=contacts["ana"]
    )
    for _name, typed in SHORT_PATH:
        services.survey_answer(session, typed)
    assert invitation_remind(invitation_id=invitation.pk) == {"reminded": 1}
    invitation.refresh_from_db()
    assert _queued(invitation.reminder) == {"+573001110002"}
    assert invitation.reminder.body.startswith("Recordatorio:")
    assert invitation_remind(invitation_id=invitation.pk) == {"reminded": 0}  # once only


def test_invitations_need_an_open_survey_and_the_entitys_staff(
    client, survey, manager, outsider, contacts
):
    client.force_login(outsider)
    url = reverse("surveys:staff_invite", args=[survey.pk])
    assert client.post(url, {"channel": "sms", "remind_after_days": "0"}).status_code == 404
    services.survey_transition(survey=survey, action="close", by=manager)
    client.force_login(manager)
    page = client.post(url, {"channel": "sms", "remind_after_days": "0"})
    assert "Abra la encuesta antes de invitar." in page.content.decode()
    assert not Invitation.objects.exists() and not OutboundMessage.objects.exists()


def test_departments_narrow_the_audience(survey, manager, contacts):
    Contact.objects.filter(pk=contacts["ana"].pk).update(department_id="05")
    invitation = invitation_send(
        survey=survey, channel="sms", departments=["05"], remind_after_days=0, by=manager
    )
    assert _queued(invitation.dispatch) == {"+573001110001"}
    assert not Job.objects.filter(name=REMIND_TASK).exists()
