"""The uploaded file of an import: stored, fingerprinted, inspected (CSV or XLSX, encoding,
delimiter, headers) and read row by row as text."""

from __future__ import annotations

import codecs
import csv
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from urna.contacts.imports.values import cell_text
from urna.contacts.models import (
    ContactImport,
)
from urna.core.errors import InvalidInput

IMPORT_DIR = "imports"
MAX_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class FileInfo:
    kind: str
    encoding: str
    delimiter: str
    headers: list[str]
    rows_estimate: int


def media_path(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def store(upload: Any, target: Path) -> tuple[str, int, bool]:
    """Copy the upload to ``target``: its sha256, its size and whether it is valid UTF-8."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    size = 0
    if hasattr(upload, "chunks"):
        chunks = upload.chunks()
    else:
        chunks = iter(lambda: upload.read(1 << 20), b"")
    with target.open("wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_BYTES:
                raise InvalidInput(_("El archivo pasa de 1 GB: divídalo en partes."), field="file")
            digest.update(chunk)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            out.write(chunk)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return digest.hexdigest(), size, utf8


def _legacy_encoding(path: Path) -> str:
    """cp1252 (Excel's "CSV" on Windows) when it decodes the file, else latin-1 (decodes all)."""
    decoder = codecs.getincrementaldecoder("cp1252")()
    with path.open("rb") as handle:
        try:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "latin-1"
    return "cp1252"


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of columns most
    often; a comma when none does."""
    lines = sample.splitlines()[:50]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample cut the last line
    best, best_score = ",", (0, 0)
    for delimiter in (",", ";", "\t", "|"):
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter) if r]
        if not widths or widths[0] < 2:
            continue
        score = (sum(1 for w in widths if w == widths[0]), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def file_inspect(path: Path, *, utf8: bool) -> FileInfo:
    """What an uploaded file is: XLSX or CSV, the CSV's encoding and delimiter, the headers and
    about how many data rows it has. InvalidInput for what cannot be read."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput(
            _("Es un archivo .xls antiguo: guárdelo como .xlsx o .csv y súbalo de nuevo."),
            field="file",
        )
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_inspect(path)
    if b"\x00" in head:
        raise InvalidInput(_("El archivo no es un CSV ni un XLSX."), field="file")
    encoding = "utf-8-sig" if utf8 else _legacy_encoding(path)
    sample = head.decode(encoding, errors="ignore")
    delimiter = _sniff_delimiter(sample)
    with path.open(encoding=encoding, newline="") as handle:
        headers = next(csv.reader(handle, delimiter=delimiter), [])
    lines = 0
    last = b"\n"
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    lines += 0 if last == b"\n" else 1
    return FileInfo("csv", encoding, delimiter, _headers(headers), max(0, lines - 1))


def _xlsx_inspect(path: Path) -> FileInfo:
    workbook = _xlsx_open(path)
    try:
        sheet = workbook.worksheets[0]
        first = next(sheet.iter_rows(values_only=True), ())
        estimate = max(0, (sheet.max_row or 1) - 1)
    finally:
        workbook.close()
    return FileInfo("xlsx", "", "", _headers([cell_text(v) for v in first]), estimate)


def _xlsx_open(path: Path):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip, XML and openpyxl errors alike
        raise InvalidInput(_("No se pudo leer el archivo XLSX."), field="file") from exc


def _headers(values: Sequence[str]) -> list[str]:
    headers = [str(v).strip().lstrip("\ufeff")[:100] for v in values]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise InvalidInput(_("La primera fila del archivo debe tener los títulos."), field="file")
    return [h or _("Columna %(n)s") % {"n": i + 1} for i, h in enumerate(headers)]


def file_rows(contact_import: ContactImport) -> Iterator[tuple[int, list[str]]]:
    """The data rows of an import's file as (row number, cell texts), streamed. The header is
    row 1. Empty rows at the very end (spreadsheets keep formatted empty rows) are not rows."""
    path = media_path(contact_import.path)
    pending: list[tuple[int, list[str]]] = []
    for number, values in enumerate(_raw_rows(contact_import, path), start=1):
        if number == 1:
            continue
        if not any(values):
            pending.append((number, values))
            continue
        if pending:
            yield from pending
            pending = []
        yield number, values


def _raw_rows(contact_import: ContactImport, path: Path) -> Iterator[list[str]]:
    if contact_import.kind == "xlsx":
        workbook = _xlsx_open(path)
        try:
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                yield [cell_text(v) for v in values]
        finally:
            workbook.close()
        return
    with path.open(encoding=contact_import.encoding, newline="") as handle:
        for values in csv.reader(handle, delimiter=contact_import.delimiter):
            yield [v.strip() for v in values]
