"""The detector: every kind found, overlaps merged, placeholders applied."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from urna.core.privacy.addresses import _BLOCK_ADDRESS, _FARM, _FLAT, _addresses
from urna.core.privacy.common import KINDS, PLACEHOLDERS, Finding, _fold
from urna.core.privacy.emails import (
    _SPELLED_HINTS_AT,
    _SPELLED_WORDS,
    _emails_and_handles,
    _spelled_emails,
)
from urna.core.privacy.lexicon import _lexicon, _vocabulary
from urna.core.privacy.names import (
    _given_names,
    _names_from_capitals,
    _names_in_lower_case,
    _names_near_introductions,
)
from urna.core.privacy.numbers import _numbers

_ODD_SPACES = "\u00a0\u2007\u2009\u200a\u202f"
_PLAIN_SPACES = str.maketrans(_ODD_SPACES, " " * len(_ODD_SPACES))


def _composed(text: str) -> tuple[str, list[int]]:
    """``text`` in NFC and, for each of its characters (and its end), the offset in ``text``."""
    pieces: list[str] = []
    starts: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        pieces.append(cluster)
        starts.extend([i] * len(cluster))
        i = j
    starts.append(n)
    return "".join(pieces), starts


def find_personal_data(text: str, *, names: Iterable[str] = ()) -> list[Finding]:
    """Spans of personal data in ``text``, in order, not overlapping.

    ``names``: names known to belong to the writer (a query's contact name), found in any case.
    """
    if not text:
        return []
    if not unicodedata.is_normalized("NFC", text):
        # Decomposed accents ("Pe\u0301rez", from some keyboards and copies): detect on the
        # composed text and give the spans back in the original's offsets.
        composed, starts = _composed(text)
        return [
            Finding(f.kind, starts[f.start], starts[f.end])
            for f in find_personal_data(composed, names=names)
        ]
    if any(space in text for space in _ODD_SPACES):
        text = text.translate(_PLAIN_SPACES)  # same length: offsets are unchanged
    low = _fold(text)
    found: list[Finding] = []
    vocabulary = _vocabulary(low)
    at = "@" in text
    if at:
        _emails_and_handles(text, found)
    if (
        not vocabulary.isdisjoint(_SPELLED_WORDS)
        or (at and any(hint in low for hint in _SPELLED_HINTS_AT))
        or "(a)" in low  # "ortiz.fernando(a)outlook.com"
    ):
        _spelled_emails(text, found)
    if "#" in text or "-" in text or "–" in text or " no " in low or "nro" in low or "n°" in low:
        _addresses(text, low, found)
    if "mz" in low or "manz" in low:
        found.extend(Finding("address", *m.span()) for m in _BLOCK_ADDRESS.finditer(low))
    if "apto" in low or "apartamento" in low or " apt" in low or " ap." in low:
        found.extend(Finding("address", *m.span()) for m in _FLAT.finditer(low))
    if "finca" in low or "hacienda" in low or "parcela" in low:
        found.extend(Finding("address", *m.span()) for m in _FARM.finditer(text))
    _numbers(text, low, found)
    lex = _lexicon()
    capitals = _names_from_capitals(text, low, lex, found)
    # A text written in lower case (SMS, chat) has at most a capital or two.
    _names_in_lower_case(text, low, lex, found, few_capitals=capitals <= 2, vocabulary=vocabulary)
    _names_near_introductions(low, lex, vocabulary, found)
    if names:
        _given_names(low, names, found)
    return _merge(found)


_PRIORITY = {"email": 0, "address": 1, "document": 2, "phone": 3, "handle": 4, "name": 5}


def _merge(found: list[Finding]) -> list[Finding]:
    """Overlapping spans become one, of the kind that covers more (email over a handle or a
    name inside it, an address over its numbers)."""
    if len(found) < 2:
        return found
    found.sort(key=lambda f: (f.start, -f.end, _PRIORITY[f.kind]))
    merged = [found[0]]
    for f in found[1:]:
        last = merged[-1]
        if f.start < last.end:
            if f.end > last.end:
                kind = last.kind if last.end - last.start >= f.end - f.start else f.kind
                merged[-1] = Finding(kind, last.start, f.end)
        else:
            merged.append(f)
    return merged


def _apply(text: str, findings: list[Finding]) -> str:
    pieces: list[str] = []
    cursor = 0
    for f in findings:
        pieces.append(text[cursor : f.start])
        pieces.append(PLACEHOLDERS[f.kind])
        cursor = f.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def mask_personal_data(text: str | None, *, names: Iterable[str] = ()) -> str:
    """``text`` with each piece of personal data replaced by its placeholder ("" for None)."""
    if not text:
        return ""
    findings = find_personal_data(text, names=names)
    return _apply(text, findings) if findings else text


def personal_data_scan(text: str | None, *, names: Iterable[str] = ()) -> tuple[str, str]:
    """The masked text and the kinds found, comma-joined in a fixed order ("" when none):
    what a contribution stores at intake."""
    if not text:
        return "", ""
    findings = find_personal_data(text, names=names)
    if not findings:
        return text, ""
    kinds = {f.kind for f in findings}
    return _apply(text, findings), ",".join(k for k in KINDS if k in kinds)
