"""Colombian street addresses: nomenclature, blocks and houses, flats, farms."""

from __future__ import annotations

import re

from urna.core.privacy.common import Finding

# --- addresses ---------------------------------------------------------------------------------

# Matched on the folded text (lower case, no accents), as a trie of literals: the engine then
# rejects most positions on their first letter.
_STREET_TYPE = (
    r"(?:av(?:enida|\.)?\s?(?:calle|carrera|cra|kr|cl|cll)\.?|a(?:v(?:enida)?|[ck]|utopista)"
    r"|c(?:alle|ll?|arrera|ra|r|irc(?:ular)?|q)|k(?:ra?|r)|d(?:iag(?:onal)?|g)"
    r"|t(?:rans(?:v(?:ersal)?)?|v|r)|avda|clle)\.?"
)
_STREET_ID = (
    r"(?:[0-9]{1,3}(?:[a-z]{1,2}(?![a-z])|\s[a-z](?![a-z]))?(?:\s?bis)?(?:\s?[a-z](?![a-z]))?"
    r"|(?:(?:el|la|los|las)\s)?[a-z]{3,}(?:\s[a-z]{3,}){0,2})"
)
_CARDINAL = r"(?:\s?(?:sur|norte|este|oeste)(?![a-z]))?"
_HOUSE_NUMBER = r"[0-9]{1,3}(?:\s?[a-z](?![a-z]))?(?:\s?bis)?"
_HOUSE = _HOUSE_NUMBER + r"(?:\s?(?:sur|norte|este))?\s?[-–]\s?[0-9]{1,3}(?![0-9])"
_COMPLEMENT = (
    r"(?:\s?,?\s?(?:apto|apartamento|apt|int|interior|torre|bloque|bl|casa|local|oficina|of"
    r"|piso|consultorio)\.?\s?(?:[0-9]{1,4}[a-z]?|[a-z])(?![a-z0-9]))*"
)
_ADDRESS = re.compile(
    _STREET_TYPE
    + r"\s?"
    + _STREET_ID
    + _CARDINAL
    # "# 45-12", "No. 45-12", "45-12", and after a number sign "# 45" alone.
    + r"(?:\s?(?:#|no\.?|nro\.?|n[°º.]\.?|numero)\s?(?:"
    + _HOUSE
    + "|"
    + _HOUSE_NUMBER
    + r"(?:\s[0-9]{1,3})?(?![0-9]))|\s?"
    + _HOUSE
    + ")"
    + _CARDINAL
    + _COMPLEMENT
)
# Where a house number may be ("# 45", "45-12"): the address regex runs only around these.
_HOUSE_HINT = re.compile(r"#|[0-9][ ]?[a-zA-Z]?[ ]?[-–][ ]?[0-9]|(?i:\b(?:no|nro|n°)\.?\s?[0-9])")


def _addresses(text: str, low: str, out: list[Finding]) -> None:
    last = -1
    for hint in _HOUSE_HINT.finditer(text):
        if hint.start() < last:
            continue
        pos, stop = max(0, hint.start() - 40), hint.end() + 50
        while True:
            match = _ADDRESS.search(low, pos, stop)
            if match is None or match.start() > hint.end():
                break
            if match.start() > 0 and low[match.start() - 1].isalnum():
                pos = match.start() + 1  # inside a word ("fiscal 12-3")
                continue
            out.append(Finding("address", *match.span()))
            last = match.end()
            break


_BLOCK_ID = r"(?:[0-9]{1,3}[a-z]?|[a-z]{1,2})(?![a-z0-9])"
_BLOCK_ADDRESS = re.compile(
    r"(?<![a-z])(?:(?:manzana|manz|mz)\.?\s?"
    + _BLOCK_ID
    + r"\s?,?\s?(?:casa|cs|lote|lt)\.?\s?[0-9]{1,4}"
    r"[a-z]?|(?:casa|lote)\s?[0-9]{1,4}[a-z]?\s?,?\s?(?:de\s(?:la\s)?)?(?:manzana|manz|mz)\.?\s?"
    + _BLOCK_ID
    + ")"
    r"(?![a-z0-9])" + _COMPLEMENT
)
# "Torre 2 apto 301", "Interior 3 apartamento 402": a flat without its street.
_FLAT = re.compile(
    r"(?<![a-z])(?:torre|bloque|interior|int)\.?\s?[a-z0-9]{1,3}\s?,?\s?"
    r"(?:apto|apartamento|apt|ap)\.?\s?[0-9]{2,4}[a-z]?(?![a-z0-9])"
)
_FARM = re.compile(
    r"\b(?i:finca|hacienda|parcela)\s(?:"
    r"(?:(?i:el|la|los|las)\s)?[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:\s[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+)?"
    # In a text without capitals (or all in capitals) the farm's name follows its article.
    r"|(?i:(?:el|la|los|las)\s[a-záéíóúñü]{3,}))"
)
