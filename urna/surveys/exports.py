"""Downloads of a survey's results: the estimates (one row per question and option, from the
stored aggregates) and the anonymised microdata (``urna.surveys.microdata``), as CSV (UTF-8 with
a byte-order mark, so Excel reads the accents) or XLSX. Text cells go through
``urna.core.spreadsheets.formula_safe`` so no label runs as a formula."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl import Workbook

from urna.core import spreadsheets
from urna.core.spreadsheets import formula_safe
from urna.surveys.microdata import microdata_rows
from urna.surveys.models import Survey, SurveyResult

ESTIMATE_HEADER = [
    "pregunta",
    "texto_pregunta",
    "tipo",
    "fila",
    "opcion",
    "texto_opcion",
    "estimacion",
    "margen_error_95",
    "efecto_diseno",
    "n_ponderado",
    "n_sin_ponderar",
]


def _row(q: dict, row: str, choice: dict) -> list[Any]:
    count = choice.get("count")
    return [
        q["name"],
        q["label"],
        q["kind"],
        row,
        choice.get("name", ""),
        choice.get("label", ""),
        choice.get("value"),
        choice.get("moe"),
        choice.get("deff"),
        choice.get("n"),
        count if count is not None else choice.get("n"),
    ]


def estimate_rows(result: SurveyResult | None) -> tuple[list[str], list[list[Any]]]:
    """(header, rows) of the weighted estimates: a proportion per option (a mean position for a
    ranking, a mean for numbers), with its 95 % margin of error, design effect and counts."""
    rows: list[list[Any]] = []
    for q in (result.payload if result else {}).get("questions", []):
        if q.get("mean"):
            rows.append(_row(q, "", {**q["mean"], "count": q.get("n")}))
        for choice in q.get("choices", []):
            rows.append(_row(q, "", choice))
        for matrix_row in q.get("rows", []):
            for choice in matrix_row["choices"]:
                rows.append(_row(q, matrix_row["name"], choice))
    return ESTIMATE_HEADER, rows


def table(survey: Survey, what: str) -> tuple[list[str], Iterable[list[Any]]]:
    if what == "microdatos":
        return microdata_rows(survey)
    return estimate_rows(SurveyResult.objects.filter(survey=survey).first())


def _safe(row: Iterable[Any]) -> list[Any]:
    return [formula_safe(v) for v in row]


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The CSV, a line at a time (a streaming response), starting with the BOM."""
    return spreadsheets.csv_lines(itertools.chain([header], rows))


def xlsx_bytes(header: list[str], rows: Iterable[list[Any]], *, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(_safe(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
