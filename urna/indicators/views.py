from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_page

from urna.indicators.selectors import (
    channel_traffic_for_year,
    contributions_by_channel,
    indicators_for_year,
    years_available,
)


def _year(request: HttpRequest, years: list[int]) -> int:
    try:
        year = int(request.GET.get("anio", ""))
    except ValueError:
        return years[0] if years else timezone.localdate().year
    return year if year in years else (years[0] if years else timezone.localdate().year)


@cache_page(60)
def indicators_page(request: HttpRequest) -> HttpResponse:
    years = years_available()
    year = _year(request, years)
    by_channel = contributions_by_channel(year=year)
    top = max((row["n"] for row in by_channel), default=0)
    return render(
        request,
        "indicators/index.html",
        {
            "year": year,
            "years": years,
            "indicators": indicators_for_year(year=year),
            "by_channel": [
                {**row, "width": round(100 * row["n"] / top) if top else 0} for row in by_channel
            ],
            "traffic": channel_traffic_for_year(year=year),
        },
    )
