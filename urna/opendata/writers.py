"""Streaming writers: CSV (RFC 4180, UTF-8, safe for spreadsheets), JSON and ZIP, in constant
memory.

Each writer is a generator of ``bytes`` chunks of about ``CHUNK_BYTES``, fed by a generator of
rows, so a ``StreamingHttpResponse`` (or a file) receives the table as it is read from the
database: memory holds one chunk and the database driver's fetch buffer, whatever the size of the
table.

JSON format, chosen: one JSON array of objects (``[{"id": ...}, ...]``), written row by row. It
is a single valid JSON document that every tool reads (JSON Lines is not), and streaming it is
as cheap as JSON Lines; a client that needs constant memory on its side reads it with a streaming
parser (ijson).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from urna.core.spreadsheets import UTF8_BOM, formula_safe, formula_safe_rows

CHUNK_BYTES = 64 * 1024


class _Sink:
    """A write-only buffer that hands out what was written since the last take()."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        if data:
            self._parts.append(bytes(data))
            self.size += len(data)
        return len(data)

    def flush(self) -> None:
        return None

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        self.size = 0
        return data


def _csv_value(value: Any) -> Any:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value


def csv_chunks(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    booleans: Sequence[int] = (),
    text: Sequence[int] = (),
    bom: bool = False,
) -> Iterator[bytes]:
    """RFC 4180 CSV: comma, CRLF line ends, fields quoted only when needed (double quotes
    doubled), UTF-8, a header row. ``None`` is written empty and the ``booleans`` columns as
    ``true``/``false`` (Table Schema's defaults). The ``text`` columns are made safe for
    spreadsheets (``urna.core.spreadsheets``: no cell starts a formula); numbers are left as
    they are. No byte-order mark unless ``bom`` (Excel's variant)."""
    # A StringIO reused for the whole table: csv's C writer and StringIO's C write, no Python
    # call per row. Rows go to the writer in batches of 256, then out as ~64 kB chunks.
    sink = io.StringIO()
    if bom:
        sink.write(UTF8_BOM)
    writer = csv.writer(sink, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([formula_safe(name) for name in header])
    rows = iter(rows)
    if booleans:
        rows = (_with_booleans(row, booleans) for row in rows)
    if text:
        rows = formula_safe_rows(rows, text)
    while batch := list(itertools.islice(rows, 256)):
        writer.writerows(batch)
        if sink.tell() >= CHUNK_BYTES:
            yield _drain(sink)
    yield _drain(sink)


def _drain(sink: io.StringIO) -> bytes:
    data = sink.getvalue().encode("utf-8")
    sink.seek(0)
    sink.truncate(0)
    return data


def _with_booleans(row: Sequence[Any], booleans: Sequence[int]) -> list[Any]:
    out = list(row)
    for i in booleans:
        out[i] = _csv_value(out[i])
    return out


def json_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """A JSON array of objects keyed by the header, streamed."""
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    parts: list[str] = ["["]
    size = 1
    first = True
    keys = list(header)
    for row in rows:
        text = encoder.encode(dict(zip(keys, row, strict=True)))
        if first:
            first = False
            parts.append("\n" + text)
        else:
            parts.append(",\n" + text)
        size += len(text) + 2
        if size >= CHUNK_BYTES:
            yield "".join(parts).encode("utf-8")
            parts.clear()
            size = 0
    parts.append("\n]\n")
    yield "".join(parts).encode("utf-8")


def zip_chunks(
    members: Iterable[tuple[str, Iterable[bytes]]],
    *,
    date_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0),
) -> Iterator[bytes]:
    """A ZIP archive of ``(name, chunks)`` members, streamed as it is compressed.

    ``zipfile`` writes to a non-seekable sink with data descriptors (sizes and CRC after each
    member), so nothing is buffered beyond the current compressed chunk: memory stays constant
    however large the members are, and the archive is a standard one (unzip, Python, Windows).
    """
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for name, chunks in members:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with zf.open(info, mode="w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
                    if sink.size >= CHUNK_BYTES:
                        yield sink.take()
            yield sink.take()
    yield sink.take()


def text_chunks(text: str) -> Iterator[bytes]:
    yield text.encode("utf-8")


def collect(chunks: Iterable[bytes]) -> bytes:
    """All the chunks at once: for tests and small members only."""
    buffer = io.BytesIO()
    for chunk in chunks:
        buffer.write(chunk)
    return buffer.getvalue()
