import pytest

from urna.channels.selectors import inbound_for_staff
from urna.channels.services import inbound_store

pytestmark = pytest.mark.django_db


def test_the_staff_list_is_newest_first_and_filters_by_a_known_status():
    first, _ = inbound_store(provider="twilio", provider_message_id="SM1", body="uno")
    second, _ = inbound_store(
        provider="twilio", provider_message_id="SM2", body="dos", status="failed"
    )

    assert list(inbound_for_staff()) == [second, first]
    assert list(inbound_for_staff(status="failed")) == [second]
    assert list(inbound_for_staff(status="nonsense")) == [second, first]
