"""A citizen's survey data for the rights of access and erasure and for retention: the
responses linked to their contact and the sessions that hold their number."""

from datetime import timedelta

import pytest
from django.utils import timezone

from urna.contacts.models import Contact
from urna.core.personal_data import PERSONAL_DATA_HOLDERS, address_forms
from urna.surveys import services
from urna.surveys.models import ChannelSession, Response
from urna.surveys.personal_data import responses_erase, responses_export, sessions_expire

from .conftest import SHORT_PATH

pytestmark = pytest.mark.django_db

PHONE = "+573001234567"


@pytest.fixture
def answered(survey):
    contact = Contact.objects.create(phone=PHONE)
    response = services.response_start(survey=survey, channel="ussd", contact=contact)
    services.response_answer(response=response, values=dict(SHORT_PATH))
    session = ChannelSession.objects.create(channel="sms", address=PHONE, response=response)
    other = ChannelSession.objects.create(
        channel="sms",
        address="+573009999999",
        response=services.response_start(survey=survey, channel="ussd"),
    )
    return contact, response, session, other


def test_the_surveys_register_their_holder():
    holder = PERSONAL_DATA_HOLDERS["survey_responses"]

    assert (holder.export, holder.erase, holder.expire) == (
        responses_export,
        responses_erase,
        sessions_expire,
    )


def test_export_gives_the_contacts_responses_and_sessions_only(answered):
    contact, response, session, other = answered

    rows = responses_export(contact, address_forms(PHONE))

    assert [r.get("survey") for r in rows] == [response.survey.slug, None]
    assert rows[0]["answers"] == Response.objects.get(pk=response.pk).answers
    assert rows[1]["address"] == PHONE
    assert other.address not in str(rows)


def test_erase_deletes_the_sessions_and_leaves_the_answers_anonymous(answered):
    contact, response, session, other = answered

    touched = responses_erase(contact, address_forms(PHONE))

    assert touched == 2
    assert not ChannelSession.objects.filter(pk=session.pk).exists()
    assert ChannelSession.objects.filter(pk=other.pk).exists()
    kept = Response.objects.get(pk=response.pk)
    assert (kept.contact_id, kept.status) == (None, Response.Status.COMPLETE)


def test_retention_deletes_sessions_idle_before_the_cut(answered):
    _contact, _response, session, other = answered
    ChannelSession.objects.filter(pk=session.pk).update(
        updated_at=timezone.now() - timedelta(days=400)
    )

    assert sessions_expire(timezone.now() - timedelta(days=365)) == 1
    assert list(ChannelSession.objects.values_list("pk", flat=True)) == [other.pk]
