"""The dashboard of one scope and year, as pages show it and as its tables are downloaded.

``dashboard_build`` gathers the selectors' reads and draws the charts (server-side SVG from
``urna.core.charts``); ``export_tables`` turns the same figures into plain tables (columns and
rows) that the CSV and JSON downloads and the API write. A page, its downloads and the API
therefore never disagree.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from urna.core.charts import bar_chart, column_chart
from urna.core.spreadsheets import csv_lines
from urna.indicators import selectors
from urna.indicators.selectors import ChannelRow, Row, Scope, Series

# The downloadable tables, by the name in their URL.
TABLES = {
    "indicadores": _lazy("Tabla de indicadores y metas"),
    "series": _lazy("Series mensuales"),
    "canales": _lazy("Interacciones por canal"),
    "trafico": _lazy("Tráfico por canal"),
}


@dataclass
class Chart:
    series: Series
    svg: SafeString


@dataclass
class Dashboard:
    year: int
    years: list[int]
    scope: Scope
    rows: list[Row]
    series: list[Series]
    channel_columns: list[tuple[str, str]]
    channels: list[ChannelRow]
    traffic_columns: list[tuple[str, str]]
    traffic: list[ChannelRow]

    @property
    def years_recent_first(self) -> list[int]:
        return self.years[::-1]

    @property
    def columns(self) -> int:
        """The table's columns: the indicator, then value, goal, reached and change per year."""
        return 1 + 4 * len(self.years)

    @cached_property
    def charts(self) -> list[Chart]:
        return [_chart(s, year=self.year, scope=self.scope) for s in self.series]

    @cached_property
    def channel_chart(self) -> SafeString | None:
        if not (self.channels and self.channel_columns):
            return None
        key, label = self.channel_columns[-1]
        return bar_chart(
            [(row.label, row.values.get(key, 0)) for row in self.channels],
            title=_("%(indicator)s por canal, %(year)s · %(scope)s")
            % {"indicator": label, "year": self.year, "scope": self.scope.label},
            width=480,
            label_width=140,
            label_chars=22,
        )

    @property
    def groups(self) -> list[tuple[str, list[Row]]]:
        """The rows grouped, in the order their groups first appear."""
        out: dict[str, list[Row]] = {}
        for row in self.rows:
            out.setdefault(row.group_label, []).append(row)
        return list(out.items())


def _chart(series: Series, *, year: int, scope: Scope) -> Chart:
    begun = [(date(year, m, 1), v) for m, _name, v in series.points if v is not None]
    title = _("%(indicator)s por mes, %(year)s · %(scope)s") % {
        "indicator": series.label,
        "year": year,
        "scope": scope.label,
    }
    # A narrower drawing than the default keeps its text legible on a phone's width.
    return Chart(series, column_chart(begun, title=title, monthly=True, width=480, height=200))


def dashboard_build(*, year: int, scope: Scope, available: list[int] | None = None) -> Dashboard:
    available = available if available is not None else selectors.years_available()
    years = selectors.years_for(year, available)
    rows = selectors.indicator_table(years=years, scope=scope, first_year=min(available))
    series = selectors.monthly_series(year=year, scope=scope)
    channel_columns, channels = selectors.by_channel(year=year, scope=scope)
    traffic_columns, traffic = selectors.by_channel(
        year=year, scope=scope, keys=selectors.TRAFFIC_KEYS
    )
    return Dashboard(
        year=year,
        years=years,
        scope=scope,
        rows=rows,
        series=series,
        channel_columns=channel_columns,
        channels=channels,
        traffic_columns=traffic_columns,
        traffic=traffic,
    )


# --- downloads -----------------------------------------------------------------------------------


def _indicator_table(board: Dashboard) -> tuple[list[str], list[list[Any]]]:
    columns = [
        "clave",
        "indicador",
        "grupo",
        "unidad",
        "anio",
        "valor",
        "meta",
        "avance_pct",
        "variacion",
        "variacion_en",
        "tendencia",
        "manual",
        "ejemplo",
    ]
    rows = [
        [
            row.key,
            row.label,
            row.group_label,
            row.unit,
            cell.year,
            cell.value,
            cell.goal,
            cell.reached_pct,
            cell.change,
            "" if cell.change is None else ("puntos" if cell.change_unit == "points" else "%"),
            cell.trend,
            row.manual,
            row.is_example or cell.goal_is_example,
        ]
        for row in board.rows
        for cell in row.cells
    ]
    return columns, rows


def _series_table(board: Dashboard) -> tuple[list[str], list[list[Any]]]:
    columns = ["clave", "indicador", "anio", "mes", "nombre_mes", "valor"]
    rows = [
        [series.key, series.label, board.year, month, name, value]
        for series in board.series
        for month, name, value in series.points
    ]
    return columns, rows


def _channel_table(
    columns: list[tuple[str, str]], rows: list[ChannelRow]
) -> tuple[list[str], list[list[Any]]]:
    header = ["canal", "nombre_canal", *(key for key, _label in columns)]
    body = [
        [row.channel, row.label, *(row.values.get(key, 0) for key, _label in columns)]
        for row in rows
    ]
    return header, body


def export_tables(board: Dashboard) -> dict[str, tuple[list[str], list[list[Any]]]]:
    return {
        "indicadores": _indicator_table(board),
        "series": _series_table(board),
        "canales": _channel_table(board.channel_columns, board.channels),
        "trafico": _channel_table(board.traffic_columns, board.traffic),
    }


def table_csv(columns: list[str], rows: list[list[Any]]) -> str:
    """UTF-8 text with a byte-order mark (spreadsheets then read the accents), no cell that
    starts a formula; decimals with a point, empty for a figure that does not exist."""
    return "".join(csv_lines([columns, *rows]))


def table_json(board: Dashboard, name: str, columns: list[str], rows: list[list[Any]]) -> str:
    body = {
        "table": name,
        "year": board.year,
        "years": board.years,
        "scope": scope_out(board.scope),
        "rows": [dict(zip(columns, row, strict=True)) for row in rows],
    }
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False)


def scope_out(scope: Scope) -> dict[str, Any]:
    return {
        "kind": scope.kind,
        "entity": scope.entity.acronym if scope.entity else None,
        "department": scope.value if scope.kind == "department" else None,
        "name": scope.label,
    }


def query_string(year: int, scope: Scope, *, api: bool = False) -> str:
    """The dashboard's filters as a query string, for its download links (or, with ``api``,
    for the same figures from the API)."""
    names = ("year", "entity", "department") if api else ("anio", "entidad", "departamento")
    params: dict[str, Any] = {names[0]: year}
    if scope.entity is not None:
        params[names[1]] = scope.entity.slug
    elif scope.kind == "department":
        params[names[2]] = scope.value
    return urlencode(params)


def page_context(board: Dashboard) -> dict[str, Any]:
    """What the dashboard's templates need beside the board: the download links' filters."""
    return {
        "board": board,
        "query": query_string(board.year, board.scope),
        "api_query": query_string(board.year, board.scope, api=True),
        "tables": TABLES,
    }
