"""The ``Table``: a published table's columns (``anonymise.Field``) and the source that fills it,
read only through ``Table.rows``, which anonymises every row; and ``stream_rows``, the chunked
reader the sources use. The tables themselves are in ``tables``, ``tables_deliberation`` and
``platform_tables``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections

from urna.opendata.anonymise import OPAQUE_ID, Field, check_fields, row_anonymiser
from urna.opendata.writers import csv_chunks, json_chunks

CHUNK_SIZE = 5000


@dataclass(frozen=True)
class Table:
    name: str  # the resource name: lower case, digits, "-" (Frictionless)
    title: Any
    description: Any
    fields: tuple[Field, ...]
    source: Callable[[Any], Iterable[Sequence[Any]]]
    primary_key: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_fields(self.fields)

    @property
    def header(self) -> list[str]:
        return [f.name for f in self.fields]

    def rows(self, subject: Any) -> Iterator[tuple]:
        """The table's rows for ``subject`` (an exercise, or None for platform tables),
        anonymised."""
        return map(row_anonymiser(self.fields), self.source(subject))

    def csv(self, subject: Any, *, bom: bool = False) -> Iterator[bytes]:
        """The table as CSV; ``bom`` for Excel's variant (a byte-order mark before it)."""
        booleans = [i for i, f in enumerate(self.fields) if f.type == "boolean"]
        # Cells a spreadsheet would run as formulas are neutralised in free text only: enums
        # and opaque ids never start with one, and numbers (negative ones too) stay numbers.
        text = [
            i
            for i, f in enumerate(self.fields)
            if f.type == "string" and not f.enum and f.kind != OPAQUE_ID
        ]
        return csv_chunks(self.header, self.rows(subject), booleans=booleans, text=text, bom=bom)

    def json(self, subject: Any) -> Iterator[bytes]:
        return json_chunks(self.header, self.rows(subject))

    def schema(self) -> dict[str, Any]:
        """The Table Schema (https://specs.frictionlessdata.io/table-schema/)."""
        fields = []
        for f in self.fields:
            spec: dict[str, Any] = {
                "name": f.name,
                "title": str(f.title or f.name),
                "type": f.type,
                "description": str(f.description),
            }
            if f.type == "date":
                spec["format"] = "%Y-%m-%d"
            constraints: dict[str, Any] = {}
            if f.required:
                constraints["required"] = True
            if f.enum:
                constraints["enum"] = list(f.enum)
            if constraints:
                spec["constraints"] = constraints
            fields.append(spec)
        schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        return schema


def stream_rows(qs: Any) -> Iterator[tuple]:
    """The rows of a ``values_list`` queryset, fetched ``CHUNK_SIZE`` at a time through the
    database's chunked cursor (a server-side cursor on PostgreSQL), as the driver returns them.

    It is what ``qs.iterator(chunk_size=...)`` does minus Django's per-value converters, which
    cost about a third of a million-row export; the values are the driver's own (on SQLite a
    timestamp is its UTC text), and ``anonymise.row_anonymiser`` accepts both forms.
    """
    connection = connections[qs.db]
    sql, params = qs.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_SIZE):
            yield from rows
