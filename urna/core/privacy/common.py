"""What every part of the detector shares: the kinds, their placeholders, the Finding span,
and offset-preserving folding."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy

KINDS = ("name", "document", "phone", "email", "address", "handle")
PLACEHOLDERS = {
    "name": "[nombre]",
    "document": "[documento]",
    "phone": "[teléfono]",
    "email": "[correo]",
    "address": "[dirección]",
    "handle": "[usuario]",
}
# How staff pages name each kind ("contiene datos personales: nombre, correo").
KIND_LABELS = {
    "name": gettext_lazy("nombre"),
    "document": gettext_lazy("documento"),
    "phone": gettext_lazy("teléfono"),
    "email": gettext_lazy("correo"),
    "address": gettext_lazy("dirección"),
    "handle": gettext_lazy("usuario de redes"),
}
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True, slots=True)
class Finding:
    """Personal data of one ``kind`` at ``text[start:end]``."""

    kind: str
    start: int
    end: int


# --- folding ---------------------------------------------------------------------------------

# Lower case without accents, one character for one (offsets in the folded text are offsets in
# the original): "Pérez" → "perez", "MUÑOZ" → "munoz".
_ACCENTED, _PLAIN = "áéíóúüàèìòùâêîôûäëïöñç", "aeiouuaeiouaeiouaeionc"
_UNACCENT = str.maketrans(_ACCENTED, _PLAIN)
# Most texts are Latin-1: translating their bytes is ten times faster than str.translate.
_UNACCENT_BYTES = bytes.maketrans(_ACCENTED.encode("latin-1"), _PLAIN.encode("latin-1"))


def _fold(text: str) -> str:
    folded = text.lower()
    # A few characters change length when lowered ("İ"): keep offsets aligned.
    if len(folded) != len(text):
        folded = "".join(ch.lower()[:1] or ch for ch in text)
    try:
        return folded.encode("latin-1").translate(_UNACCENT_BYTES).decode("latin-1")
    except UnicodeEncodeError:  # emoji, other scripts
        return folded.translate(_UNACCENT)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())
