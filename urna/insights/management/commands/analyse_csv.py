"""``manage.py analyse_csv``: run the insights pipeline on any CSV file, no database needed."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from urna.insights.pipeline import analyse

# Share of control characters above which a "decoded" file is binary garbage, not text.
_MAX_CONTROL_SHARE = 0.01
_SNIFF_BYTES = 64 * 1024


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode a CSV file's bytes: UTF-8 (with or without BOM) first, then Windows-1252 and
    Latin-1, which is what spreadsheets on Spanish-language Windows save."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Latin-1 decodes any byte sequence, so a binary file "succeeds": reject text full of
        # control characters instead of analysing noise.
        sample = text[:_SNIFF_BYTES]
        control = sum(
            1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or 0x7F <= ord(ch) < 0xA0
        )
        if "\x00" in sample or control > _MAX_CONTROL_SHARE * max(len(sample), 1):
            break
        return text, encoding
    raise CommandError(
        "No se pudo leer el archivo como texto: no está en UTF-8 ni en Latin-1, o no es un "
        "archivo CSV (¿es un archivo binario, como una hoja de Excel .xlsx?)."
    )


def read_rows(
    path: Path, text_column: str, id_column: str | None
) -> tuple[list[tuple[Any, str]], str, int]:
    """Read ``(id, text)`` items from a CSV file; returns items, encoding and skipped rows."""
    if not path.exists():
        raise CommandError(f"No existe el archivo «{path}».")
    if not path.is_file():
        raise CommandError(f"«{path}» no es un archivo.")
    raw = path.read_bytes()
    if not raw.strip():
        raise CommandError(f"El archivo «{path}» está vacío.")
    text, encoding = decode_bytes(raw)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:_SNIFF_BYTES], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    # Long opinions exceed the csv module's default 128 KiB field limit.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(text.splitlines(keepends=True), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise CommandError(f"El archivo «{path}» está vacío.") from None
    except csv.Error as exc:
        raise CommandError(f"El archivo «{path}» no es un CSV válido: {exc}.") from None
    header = [h.strip() for h in header]
    text_idx = _column(header, text_column, "--text-column")
    id_idx = _column(header, id_column, "--id-column") if id_column else None
    items: list[tuple[Any, str]] = []
    skipped = 0
    try:
        for line_no, row in enumerate(reader, start=2):
            if not row or all(not cell.strip() for cell in row):
                continue
            if text_idx >= len(row):
                skipped += 1
                continue
            item_id: Any = (
                row[id_idx].strip() if id_idx is not None and id_idx < len(row) else line_no
            )
            items.append((item_id, row[text_idx]))
    except csv.Error as exc:
        raise CommandError(f"El archivo «{path}» no es un CSV válido: {exc}.") from None
    if not items:
        raise CommandError(f"El archivo «{path}» no tiene filas de datos (solo el encabezado).")
    return items, encoding, skipped


def _column(header: list[str], name: str, option: str) -> int:
    if name in header:
        return header.index(name)
    folded = [h.casefold() for h in header]
    if name.strip().casefold() in folded:
        return folded.index(name.strip().casefold())
    available = ", ".join(f"«{h}»" for h in header) or "(ninguna)"
    raise CommandError(
        f"La columna «{name}» ({option}) no existe en el archivo. "
        f"Columnas disponibles: {available}."
    )


class Command(BaseCommand):
    help = (
        "Analiza las opiniones de un archivo CSV: agrupa duplicados y campañas masivas y "
        "encuentra los temas. Escribe el resultado en JSON."
    )
    # Pure file-to-file analysis: must run even before migrations exist.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Archivo CSV (UTF-8 o Latin-1) con encabezado.")
        parser.add_argument("--text-column", default="text", help="Columna con el texto.")
        parser.add_argument("--id-column", default=None, help="Columna con el identificador.")
        parser.add_argument("--k", type=int, default=None, help="Número de temas (automático).")
        parser.add_argument("--out", required=True, help="Archivo JSON de salida.")
        parser.add_argument(
            "--no-progress", action="store_true", help="No mostrar la barra de progreso."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        k = options["k"]
        if k is not None and not 1 <= k <= 200:
            raise CommandError("--k debe estar entre 1 y 200.")
        items, encoding, skipped = read_rows(
            Path(options["file"]), options["text_column"], options["id_column"]
        )
        progress = None
        bar = None
        if not options["no_progress"]:
            from tqdm import tqdm

            bar = tqdm(total=100, file=sys.stderr, unit="%", desc="Análisis", leave=False)

            def progress(stage: str, fraction: float) -> None:
                names = {"text": "Texto", "duplicates": "Duplicados", "themes": "Temas"}
                bar.set_description(names.get(stage, "Listo"))
                bar.update(max(0, round(fraction * 100) - bar.n))

        try:
            result = analyse(items, k=k, progress=progress)
        finally:
            if bar is not None:
                bar.close()
        out = {
            "source": {
                "file": str(options["file"]),
                "encoding": encoding,
                "rows": len(items),
                "skipped_rows": skipped,
            },
            **result.to_dict(),
        }
        out_path = Path(options["out"])
        try:
            out_path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"No se pudo escribir «{out_path}»: {exc.strerror}.") from None
        stats = result.statistics
        self.stdout.write(
            f"{stats.contributions} aportes ({stats.distinct_contributions} distintos), "
            f"{stats.duplicate_groups} grupos de duplicados, {stats.themes} temas. "
            f"Resultado en {out_path}."
        )
