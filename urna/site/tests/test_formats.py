"""One date format and one number format per language (urna/core/formats): the same date reads
the same on the exercise list, its page, a receipt and a query; English pages carry no Spanish
month name and Spanish pages no English one."""

import re
from datetime import date, datetime

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone, translation

from urna.contacts.services import ContactDetails
from urna.core.l10n import date_text, number_text
from urna.exercises.models import Contribution, Exercise
from urna.queries import services as queries
from urna.queries.models import Query
from urna.queries.terms import BOGOTA

pytestmark = pytest.mark.django_db

DAY = datetime(2027, 3, 16, 10, 30, tzinfo=BOGOTA)
SPANISH = {"es-co": "16 de marzo de 2027", "en": "16 March 2027"}
MONTHS_ES = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
)
MONTHS_EN = "January February March April May June July August September October November December"


@pytest.fixture
def pages(agriculture):
    exercise = Exercise.objects.create(
        title="Pacto agrario",
        slug="pacto-agrario",
        code="AGRO",
        summary="Resumen",
        owner=agriculture,
        kind=Exercise.Kind.POLICY,
        status=Exercise.Status.OPEN,
        opens_at=DAY,
        closes_at=DAY,
    )
    contribution = Contribution.objects.create(
        exercise=exercise,
        kind=Contribution.Kind.OPINION,
        channel=Contribution.Channel.WEB,
        text="Una opinión.",
        receipt="UC-2027-TESTFMT",
        created_at=DAY,
    )
    query = queries.query_submit(
        type="peticion",
        text="Solicito información sobre el programa de vivienda rural.",
        channel="web",
        entity=agriculture,
        contact=ContactDetails(email="c@example.org", consent=True),
    ).query
    Query.objects.filter(pk=query.pk).update(filed_at=DAY, due_date=DAY.date())
    return [
        "/ejercicios/",
        exercise.get_absolute_url(),
        f"/r/{contribution.receipt}",
        f"/r/{query.receipt}",
    ]


def _words(html: str) -> set[str]:
    text = re.sub(r"<[^>]+>", " ", html)
    return set(re.findall(r"\w+", text))


@pytest.mark.parametrize("language", ["es-co", "en"])
def test_the_same_date_reads_the_same_on_every_page(client, settings, pages, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    foreign = set((MONTHS_EN if language == "es-co" else MONTHS_ES).split())

    for url in pages:
        page = client.get(url).content.decode()
        assert SPANISH[language] in page, (language, url)
        assert not foreign & _words(page), (language, url, foreign & _words(page))


def test_python_text_uses_the_same_formats():
    with translation.override("es-co"):
        assert date_text(date(2026, 11, 13)) == "13 de noviembre de 2026"
        assert date_text(timezone.make_aware(datetime(2026, 11, 13, 23, 0), BOGOTA)) == (
            "13 de noviembre de 2026"
        )
        assert date_text(date(2026, 11, 13), short=True) == "13 nov 2026"
        assert number_text(108739) == intcomma(108739) == "108.739"
    with translation.override("en"):
        assert date_text(date(2026, 11, 13)) == "13 November 2026"
        assert number_text(108739) == intcomma(108739) == "108,739"
        assert number_text(1234.5, 1) == "1,234.5"
