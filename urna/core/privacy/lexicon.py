"""The word lists behind name detection: Colombian given names and surnames, ambiguous words,
places, and the words that introduce a name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from urna.core.privacy.common import DATA_DIR, _fold, _words

# --- names -----------------------------------------------------------------------------------

# A capitalised word (or an all-capitals one): the candidates for a name. No assertion before
# it, so the regex engine jumps from capital to capital; the character before is checked after.
_CAPITALISED = re.compile(r"[A-ZÁÉÍÓÚÑÜ][^\W\d_]*")
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_WORD = re.compile(r"[a-z]+")
# Between two words of one name: a space (not a line break: signatures put the name on its own
# line) or a particle ("María del Pilar", "Ofelia Marín de Gallego", "Juan de Dios").
_JOIN = re.compile(r"[ \t]+(?:(?:de|del|de\s+la|de\s+las|de\s+los)[ \t]+)?$")
_PARTICLES = frozenset(["de", "del", "la", "las", "los"])
_PARTICLE_GAP = re.compile(r"(?:[ \t]+(?:de|del|la|las|los))*[ \t]+")
_PARTICLE_JOIN = re.compile(r"[ \t]+(?:de|del|de\s+la|de\s+las|de\s+los)[ \t]+$")
# The words just before a name that say it is one (folded). An introduction takes a run that
# starts with a listed name and may go on over capitalised words outside the lists (Yatacué,
# Epiayú, Pushaina); a title also takes a single ambiguous name ("doña Mercedes").
_INTRO_WORDS = _words(
    "soy yo llamo llama nombre escribe habla saluda atentamente cordialmente cordiales saludos "
    "gracias att atte "
    "firma firmo firmado firmamos firmante antemano respeto demandado demandada demandante "
    "peticionario peticionaria solicitante remitente"
)
_INTRO_PAIRS = frozenset(
    [
        ("nombre", "de"),
        ("reclamo", "de"),
        ("queja", "de"),
        ("pregunta", "de"),
        ("solicitud", "de"),
        ("notificar", "a"),
        ("comunicarse", "con"),
        ("llamen", "a"),
        ("llamar", "a"),
        ("preguntar", "por"),
        ("contactar", "a"),
        ("escribanle", "a"),
    ]
)
_RELATIVES = (
    "hijo hija esposo esposa mama papa madre padre hermano hermana vecino vecina abuelo abuela "
    "nieto nieta companero companera sobrino sobrina tio tia primo prima suegro suegra cunado "
    "cunada novio novia amigo amiga nino nina menor"
)
_TITLE_WORDS = _words(
    "senor senora sr sra srta don dona dr dra doctor doctora ingeniero ingeniera profesor "
    "profesora profe concejal concejala edil alcalde alcaldesa gobernador gobernadora ministro "
    "ministra presidente secretario gerente director directora coordinador coordinadora rector "
    "rectora personero personera inspector inspectora funcionario funcionaria agente patrullero "
    "sargento capitan teniente cabo"
)
# "mi hija", "el niño": a relative is a title after a possessive or an article only ("Soy
# Madre Cabeza de Familia" names no one).
_RELATIVE_WORDS = _words(_RELATIVES)
_POSSESSIVES = frozenset(
    ["mi", "mis", "su", "sus", "tu", "nuestro", "nuestra", "el", "la", "del", "al"]
)
# Trailing words skipped before looking for a trigger: "mi nombre es", "mi cédula es la".
_LINK_WORDS = frozenset(["es", "el", "la", "completo", "se"])
# Words right before a capitalised run that make it a place or an institution, not a person.
_PLACE_WORDS = _words(
    "ie instituto normal superior jardin villa puerto nueva nuevo bahia loma "
    "san santa santo santisima barrio vereda colegio escuela institucion educativa hospital "
    "clinica universidad parque plaza avenida av calle carrera municipio corregimiento "
    "fundacion hogar estadio coliseo biblioteca puente urbanizacion conjunto hacienda "
    "resguardo comuna edificio parroquia iglesia capilla aeropuerto terminal batallon teatro "
    "museo club liceo cooperativa asociacion corporacion empresa tienda drogueria restaurante "
    "hotel ciudadela centro sector localidad departamento ciudad rio quebrada laguna cerro "
    "valle via carretera troncal ruta sede programa plan ley premio catedra fondo red bloque "
    "frente avenue calle finca vereda"
)
# Introductions found anywhere, for names written in lower case ("soy juan perez cc …"); the
# search runs only when one of these words is in the text.
_LOWER_HINT_WORDS = _words(
    "soy llamo nombre llama att atte atentamente cordialmente firma firmo firmado firmamos "
    "escribe habla"
)
_LOWER_HINTS = (
    "soy",
    "me llamo",
    "mi nombre",
    "nombre:",
    "se llama",
    "att",
    "atentamente",
    "cordialmente",
    "firm",
    "le escribe",
    "les escribe",
    "le habla",
    "les habla",
)
_TRIGGER_ANY = re.compile(
    r"(?:soy|me\s+llamo|mi\s+nombre(?:\s+completo)?(?:\s+es)?|nombre|se\s+llama|atte?"
    r"|atentamente|cordialmente|firm(?:a|o|ado|amos)|(?:le|les)\s+(?:escribe|habla))"
    r"[ \t]*[,:.\-—–]*[ \t\n]*"
)
_PUNCTUATION = ",.;:!?¡¿()[]{}\"'«»“”‘’-—–/…"
_PUNCTUATION_BYTES = bytes.maketrans(
    ",.;:!?¡¿()[]{}\"'«»-/".encode("latin-1"), b" " * len(",.;:!?¡¿()[]{}\"'«»-/")
)


def _vocabulary(low: str) -> set[str]:
    """The words of a folded text, without punctuation (a set: one C call each step)."""
    try:
        return set(low.encode("latin-1").translate(_PUNCTUATION_BYTES).decode("latin-1").split())
    except UnicodeEncodeError:
        return {word.strip(_PUNCTUATION) for word in low.split()}


_MAX_NAME_WORDS = 6
# A lone capitalised given name ("Camila dijo") counts only among the most frequent ones: the
# tail of the source list holds words that are not names ("Key").
LONE_GIVEN_NAMES = 1500


@dataclass(frozen=True)
class _Lexicon:
    given: frozenset[str]
    # The most frequent given names (the list is by frequency): only these count on their own.
    given_frequent: frozenset[str]
    surnames: frozenset[str]
    common: frozenset[str]
    # First two folded words of a place → the folded places starting with them, longest first.
    places: dict[str, tuple[str, ...]]
    # One-word places ("Manizales", "Socorro").
    place_words: frozenset[str]
    # First words of the longer places ("santa", "maria").
    place_first: frozenset[str]


def _read_list(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    places: dict[str, list[str]] = {}
    place_words = set()
    for place in _read_list("places_co.txt"):
        folded = _fold(place)
        # One-word places that are also names ("Santiago", "Valencia") are in the ambiguous
        # list; only longer ones are matched as places.
        if " " in folded:
            places.setdefault(" ".join(folded.split()[:2]), []).append(folded)
        else:
            place_words.add(folded)
    given = _read_list("given_names_co.txt")
    return _Lexicon(
        given=frozenset(_fold(n) for n in given),
        given_frequent=frozenset(_fold(n) for n in given[:LONE_GIVEN_NAMES]),
        surnames=frozenset(_fold(n) for n in _read_list("surnames_co.txt")),
        common=frozenset(_fold(n) for n in _read_list("name_words_common.txt")),
        places={k: tuple(sorted(v, key=len, reverse=True)) for k, v in places.items()},
        place_words=frozenset(place_words),
        place_first=frozenset(k.split()[0] for k in places),
    )


# Word classes.
_OTHER, _WEAK, _STRONG = 0, 1, 2


def _classify(word: str, lex: _Lexicon) -> tuple[int, bool]:
    """(class, is a given name) of a folded word."""
    given = word in lex.given
    if not given and word not in lex.surnames:
        return _OTHER, False
    return (_WEAK if word in lex.common else _STRONG), given


_TWO_WORDS = re.compile(r"[a-z]+ [a-z]+")
