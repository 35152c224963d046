"""The SVG charts' descriptions, the text a screen reader reads: each period in the active
language's one date format, never an ISO date."""

from datetime import date

from django.utils import translation

from urna.core.charts import column_chart

POINTS = [(date(2026, 10, 25), 3), (date(2026, 11, 1), 1200)]


def _desc(svg: str) -> str:
    return svg[svg.index("<desc") : svg.index("</desc>")]


def test_a_daily_chart_describes_its_days_in_the_language_of_the_page():
    with translation.override("en"):
        english = _desc(column_chart(POINTS, title="Contributions by day", unit="contributions"))
    with translation.override("es-co"):
        spanish = _desc(column_chart(POINTS, title="Aportes por día", unit="aportes"))

    assert "25 October 2026: 3 contributions; 1 November 2026: 1,200 contributions" in english
    assert "25 de octubre de 2026: 3 aportes; 1 de noviembre de 2026: 1.200 aportes" in spanish
    assert "2026-10-25" not in english + spanish


def test_a_monthly_chart_describes_months_not_their_first_day():
    with translation.override("en"):
        english = _desc(column_chart(POINTS, title="People reached", monthly=True))

    assert "October 2026: 3; November 2026: 1,200" in english
