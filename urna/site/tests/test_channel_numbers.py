"""Pages that tell citizens to write by SMS, USSD or WhatsApp give the numbers to write to,
from the settings (URNA_SMS_SHORT_CODE, URNA_USSD_CODE, URNA_WHATSAPP_NUMBER)."""

import pytest
from django.urls import reverse

from urna.exercises.models import Exercise

pytestmark = pytest.mark.django_db

SMS, USSD, WHATSAPP = "99123", "*777*1#", "+57 310 555 0101"


@pytest.fixture
def numbers(settings):
    settings.URNA_SMS_SHORT_CODE = SMS
    settings.URNA_USSD_CODE = USSD
    settings.URNA_WHATSAPP_NUMBER = WHATSAPP


@pytest.fixture
def exercise(agriculture):
    return Exercise.objects.create(
        title="Pacto agrario",
        slug="pacto-agrario",
        code="AGRO",
        summary="Resumen",
        owner=agriculture,
        kind=Exercise.Kind.POLICY,
        status=Exercise.Status.OPEN,
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/", [SMS, USSD, WHATSAPP]),
        (reverse("contacts:rights_start"), [SMS, WHATSAPP]),
        (reverse("contacts:subscribe"), [SMS, WHATSAPP]),
    ],
)
def test_each_page_that_names_a_channel_shows_its_configured_number(client, numbers, url, shown):
    page = client.get(url).content.decode()

    for value in shown:
        assert f"<strong>{value}</strong>" in page
    assert "número de Urna" not in page


def test_the_exercise_page_says_where_to_send_its_code(client, numbers, exercise):
    page = client.get(exercise.get_absolute_url()).content.decode()

    assert "<strong>AGRO</strong>" in page
    for value in (SMS, USSD, WHATSAPP):
        assert f"<strong>{value}</strong>" in page


def test_in_english_too(client, numbers, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("contacts:subscribe")).content.decode()

    assert "From a phone without internet" in page
    assert f"<strong>{SMS}</strong>" in page and f"<strong>{WHATSAPP}</strong>" in page
