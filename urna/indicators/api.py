from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from urna.indicators.selectors import contributions_by_channel, indicators_for_year

router = Router(tags=["indicadores"])


class IndicatorOut(Schema):
    key: str
    label: str
    unit: str
    value: float | None
    target: float | None


class IndicatorsOut(Schema):
    year: int
    indicators: list[IndicatorOut]
    contributions_by_channel: dict[str, int]


class IndicatorFilters(Schema):
    year: int = Field(..., ge=2000, le=2100)


@router.get("", response=IndicatorsOut)
def indicators(request: HttpRequest, filters: Query[IndicatorFilters]):
    """The platform's indicators for a year (participation, responses, reach) and their goals."""
    year = filters.year
    return {
        "year": year,
        "indicators": [
            {
                "key": i.key,
                "label": i.label,
                "unit": i.unit,
                "value": i.value,
                "target": float(i.target) if i.target is not None else None,
            }
            for i in indicators_for_year(year=year)
        ],
        "contributions_by_channel": {
            row["channel"]: row["n"] for row in contributions_by_channel(year=year)
        },
    }
