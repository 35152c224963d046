"""The channels' door into queries keeps the channel a question came by."""

import pytest

from urna.channels import intake
from urna.queries.models import Query

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("channel", ["tv", "radio", "facebook", "instagram", "sms"])
def test_a_question_is_stored_with_the_channel_it_came_by(channel, world):
    result = intake.ask(
        text="Cuando abren la convocatoria de vivienda rural?",
        channel=channel,
        key=f"test:{channel}",
    )

    assert Query.objects.get(pk=result.query.pk).channel == channel
