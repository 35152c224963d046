"""``GET /api/v1/indicators``: the table of indicators and goals, the breakdown by channel and
the monthly series, for the platform, an entity or a department — the dashboard's figures."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from urna.indicators import selectors
from urna.indicators.dashboard import dashboard_build, scope_out

router = Router(tags=["indicadores"])


class YearOut(Schema):
    year: int
    value: float | None
    goal: float | None
    reached_pct: float | None = Field(description="Porcentaje de la meta alcanzado.")
    change: float | None = Field(description="Variación frente al año anterior.")
    change_unit: str = Field(
        description="percent (variación relativa, %) o points (puntos porcentuales, para los "
        "indicadores que ya son porcentajes)."
    )
    trend: str = Field(description="up, down, same o vacío (sin año anterior con qué comparar).")


class IndicatorOut(Schema):
    key: str
    label: str
    unit: str = Field(description="count, percent, days o number.")
    group: str
    group_label: str
    manual: bool = Field(description="Registrado a mano por el equipo (no calculado por Urna).")
    example: bool = Field(description="Dato de ejemplo de la demostración.")
    source: str
    years: list[YearOut]


class ScopeOut(Schema):
    kind: str = Field(description="all, entity o department.")
    entity: str | None
    department: str | None
    name: str


class ChannelOut(Schema):
    channel: str
    label: str
    values: dict[str, float]


class MonthOut(Schema):
    month: int
    label: str
    value: float | None


class SeriesOut(Schema):
    key: str
    label: str
    unit: str
    months: list[MonthOut]


class IndicatorsOut(Schema):
    year: int
    years: list[int]
    scope: ScopeOut
    indicators: list[IndicatorOut]
    by_channel: list[ChannelOut]
    traffic: list[ChannelOut]
    series: list[SeriesOut]


class IndicatorFilters(Schema):
    year: int | None = Field(
        None, ge=2000, le=2100, description="Año (por omisión, el actual); la tabla trae hasta 3."
    )
    entity: str | None = Field(None, max_length=60, description="Sigla o slug de una entidad.")
    department: str | None = Field(
        None, max_length=10, description="Código DANE del departamento (dos dígitos)."
    )


@router.get("", response=IndicatorsOut, summary="Indicadores y metas", url_name="indicators")
def indicators(request: HttpRequest, filters: Query[IndicatorFilters]):
    """The platform's indicators for up to three years ending at ``year``: each one's value,
    goal, % of the goal reached and change against the year before; interactions and channel
    traffic by channel; the monthly series. With ``entity`` or ``department``, for that scope
    (one of the two). Unknown values are a 422 naming the field."""
    year = filters.year or timezone.localdate().year
    selectors.year_check(year)
    scope = selectors.scope_resolve(entity=filters.entity, department=filters.department)
    board = dashboard_build(year=year, scope=scope)
    return {
        "year": board.year,
        "years": board.years,
        "scope": scope_out(scope),
        "indicators": [
            {
                "key": row.key,
                "label": row.label,
                "unit": row.unit,
                "group": row.group,
                "group_label": row.group_label,
                "manual": row.manual,
                "example": row.is_example,
                "source": row.source,
                "years": [
                    {
                        "year": c.year,
                        "value": c.value,
                        "goal": c.goal,
                        "reached_pct": c.reached_pct,
                        "change": c.change,
                        "change_unit": c.change_unit,
                        "trend": c.trend,
                    }
                    for c in row.cells
                ],
            }
            for row in board.rows
        ],
        "by_channel": [vars(row) for row in board.channels],
        "traffic": [vars(row) for row in board.traffic],
        "series": [
            {
                "key": series.key,
                "label": series.label,
                "unit": series.unit,
                "months": [
                    {"month": m, "label": name, "value": value} for m, name, value in series.points
                ],
            }
            for series in board.series
        ],
    }
