"""Names: capitalised runs checked against the lists, lower-case names after an introduction,
and the names the caller already knows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from urna.core.privacy.common import Finding, _fold, _words
from urna.core.privacy.lexicon import (
    _ASCII_WORD,
    _CAPITALISED,
    _INTRO_PAIRS,
    _INTRO_WORDS,
    _JOIN,
    _LINK_WORDS,
    _LOWER_HINT_WORDS,
    _LOWER_HINTS,
    _MAX_NAME_WORDS,
    _OTHER,
    _PARTICLE_GAP,
    _PARTICLE_JOIN,
    _PARTICLES,
    _PLACE_WORDS,
    _POSSESSIVES,
    _RELATIVE_WORDS,
    _STRONG,
    _TITLE_WORDS,
    _TRIGGER_ANY,
    _TWO_WORDS,
    _WORD,
    _classify,
    _Lexicon,
)


def _place_end(low: str, start: int, lex: _Lexicon) -> int:
    """End of the known place of two or more words starting at ``start`` (folded), or -1."""
    pair = _TWO_WORDS.match(low, start)
    if pair is None:
        return -1
    candidates = lex.places.get(pair.group())
    if candidates:
        for place in candidates:
            stop = start + len(place)
            if low.startswith(place, start) and (stop == len(low) or not low[stop].isalpha()):
                return stop
    return -1


def _before(low: str, start: int) -> str | None:
    """'title', 'intro' or 'place' when the words just before ``start`` make the capitalised run
    there a name (after "soy", "doña") or a place ("barrio", "Hospital San"); else None."""
    words = _ASCII_WORD.findall(low, max(0, start - 40), start)
    if not words:
        return None
    last = words[-1]
    if last in _PLACE_WORDS or (
        last in ("de", "del") and len(words) > 1 and words[-2] in _PLACE_WORDS
    ):
        return "place"
    if last in _TITLE_WORDS or (
        last in _RELATIVE_WORDS and len(words) > 1 and words[-2] in _POSSESSIVES
    ):
        return "title"
    while len(words) > 1 and words[-1] in _LINK_WORDS:
        words.pop()
    tail = words[-4:]
    if tail[-1] in _INTRO_WORDS or tuple(tail[-2:]) in _INTRO_PAIRS:
        return "intro"
    # "Firma de la solicitante:", "Firma del peticionario:"
    if "firma" in tail or "firmado" in tail:
        return "intro"
    return None


def _join(gap: str) -> int:
    """0: the gap does not join two words of a name; 1: a space; 2: a particle ("de la")."""
    if gap == " " or gap == "-":
        return 1
    gap = gap.lower()
    if _JOIN.match(gap):
        return 2 if _PARTICLE_JOIN.match(gap) else 1
    return 0


# A capitalised word: (start, end, folded word, class, is a given name).
_Word = tuple[int, int, str, int, bool]


def _capitalised_words(text: str, low: str, lex: _Lexicon) -> list[_Word]:
    """The capitalised words of ``text`` with their class, capitalised particles inside a name
    left out ("Ana María De La Hoz")."""
    words: list[_Word] = []
    for m in _CAPITALISED.finditer(text):
        s, e = m.span()
        if s and (text[s - 1].isalnum() or text[s - 1] in "@._"):
            continue
        word = low[s:e]
        if (
            word in _PARTICLES
            and words
            and words[-1][3] != _OTHER
            and _PARTICLE_GAP.fullmatch(low, words[-1][1], s)
        ):
            continue
        words.append((s, e, word, *_classify(word, lex)))
    return words


def _grows(
    text: str,
    words: list[_Word],
    j: int,
    join: int,
    context: str | None,
    first: _Word,
    lex: _Lexicon,
) -> bool:
    """Whether ``words[j]``, ``join``-ed to the run that starts with ``first``, is part of it."""
    s, e, w, c, _g = words[j]
    # Unlisted capitalised words (surnames outside the lists: Epiayú, Tunubalá) go on a name
    # after a trigger, or after an unambiguous given name ("Daniela Epiayú Uriana").
    if c == _OTHER and (
        not (context is not None or (first[4] and first[3] == _STRONG))
        or join == 2
        or e - s < 3
        or w in lex.place_words
        or text[s:e].isupper()
    ):
        return False
    # "Juan de Manizales", but "Marina del Socorro Jiménez".
    return not (
        join == 2
        and w in lex.place_words
        and not (
            j + 1 < len(words)
            and words[j + 1][3] != _OTHER
            and _join(text[e : words[j + 1][0]]) == 1
        )
    )


def _grow_run(
    text: str, words: list[_Word], i: int, context: str | None, lex: _Lexicon
) -> tuple[list[int], int, int]:
    """(classes, end, next index) of the run starting at ``words[i]``: listed names joined by
    spaces or particles; after a trigger also unlisted capitalised words joined by a space."""
    classes = [words[i][3]]
    j = i + 1
    run_end = words[i][1]
    while j < len(words) and len(classes) < _MAX_NAME_WORDS:
        s, e = words[j][0], words[j][1]
        join = _join(text[run_end:s])
        if not join:
            break
        if e - s == 1 and join == 1 and e < len(text) and text[e] == ".":
            run_end = e + 1  # an initial: "Juan P. Gómez", "Carlos A."
            j += 1
            continue
        if not _grows(text, words, j, join, context, words[i], lex):
            break
        classes.append(words[j][3])
        run_end = e
        j += 1
    return classes, run_end, j


def _is_name(
    text: str, first: _Word, classes: list[int], context: str | None, lex: _Lexicon
) -> bool:
    """Whether the run of ``classes`` starting with ``first`` is a person's name."""
    start, end, word, cls, given = first
    if context == "title":
        return True
    if context == "intro":
        # All in capitals every word looks like a name: an unambiguous one is needed.
        return cls == _STRONG or (
            len(classes) > 1 and (_STRONG in classes or not text[start:end].isupper())
        )
    if len(classes) == 1:
        # A lone unambiguous given name is a person: "Camila dijo", "pregúntele a Wilson"
        # (ambiguous ones, "Luz", "Rosa", "Mercedes", are ordinary words). Not a one-word place
        # ("de Silvia, Cauca", "el Cesar") nor an acronym ("JAC").
        return (
            given
            and cls == _STRONG
            and word in lex.given_frequent
            and word not in lex.place_words
            and not text[start:end].isupper()
        )
    strong = classes.count(_STRONG)
    return (given and (cls == _STRONG or strong > 0)) or strong == len(classes)


def _names_from_capitals(text: str, low: str, lex: _Lexicon, out: list[Finding]) -> int:
    """Capitalised runs: given name + surname from the lists, or any name after a trigger.
    Returns how many capitalised words the text has."""
    words = _capitalised_words(text, low, lex)
    n = len(words)
    i = 0
    while i < n:
        start, _end, word, cls, _given = words[i]
        if word in lex.place_first:
            place_end = _place_end(low, start, lex)
            if place_end > 0:
                while i < n and words[i][0] < place_end:
                    i += 1
                continue
        if cls == _OTHER:
            i += 1
            continue
        context = _before(low, start)
        if context == "place":
            # "Hospital San Juan de Dios", "barrio Simón Bolívar": skip the whole run.
            i += 1
            while i < n and words[i][3] != _OTHER and _join(text[words[i - 1][1] : words[i][0]]):
                i += 1
            continue
        classes, run_end, j = _grow_run(text, words, i, context, lex)
        if _is_name(text, words[i], classes, context, lex):
            out.append(Finding("name", start, run_end))
            i = j
        else:
            i += 1
    return n


def _lower_run(text: str, low: str, pos: int, lex: _Lexicon) -> tuple[int, int, list[int]]:
    """(start, end, classes) of the listed names written in lower case from ``pos`` on."""
    start = end = -1
    classes: list[int] = []
    for word in _WORD.finditer(low, pos, min(len(low), pos + 80)):
        s, e = word.span()
        if not text[s].islower():
            break
        gap = low[end:s].strip() if end >= 0 else low[pos:s].strip()
        w = word.group()
        if start >= 0 and w in ("de", "del", "la"):
            continue
        if gap not in ("", "de", "del", "de la"):
            break
        if gap and w in lex.place_words:
            break  # "yamile posada de neira"
        cls, _given = _classify(w, lex)
        if cls == _OTHER:
            break
        if start < 0:
            start = s
        end = e
        classes.append(cls)
    return start, end, classes


def _names_in_lower_case(
    text: str,
    low: str,
    lex: _Lexicon,
    out: list[Finding],
    *,
    few_capitals: bool,
    vocabulary: set[str],
) -> None:
    """Names written without capitals: after an introduction ("soy nelson enrique arias"),
    and, in a text written all in lower case, a given name with a surname ("hablé con maria
    gomez") or a name after a title ("doña mercedes", "mi hijo juan")."""
    positions = []
    for hint in _LOWER_HINTS if not vocabulary.isdisjoint(_LOWER_HINT_WORDS) else ():
        at = low.find(hint)
        while at >= 0:
            positions.append(at)
            at = low.find(hint, at + 1)
    for at in positions:
        trigger = _TRIGGER_ANY.match(low, at)
        if trigger is None or (at > 0 and low[at - 1].isalpha()):
            continue
        pos = trigger.end()
        if pos >= len(text) or not text[pos].islower():
            continue
        start, end, classes = _lower_run(text, low, pos, lex)
        # "soy didier", "soy luz stella hoyos"; not "soy rosa" alone (a colour as often).
        if start >= 0 and (classes[0] == _STRONG or len(classes) > 1):
            out.append(Finding("name", start, end))
    if not few_capitals:
        return
    # Most texts hold no listed given name and no title: one set operation says so.
    if vocabulary.isdisjoint(lex.given) and vocabulary.isdisjoint(_TITLE_WORDS):
        return
    covered = -1
    for word in _WORD.finditer(low):
        s = word.start()
        if s < covered or not text[s].islower():
            continue
        cls, given = _classify(word.group(), lex)
        if cls == _OTHER or not (given or cls == _STRONG):
            continue
        context = _before(low, s)
        if context == "place":
            continue
        previous = low.rfind(" ", 0, max(0, s - 1)) + 1
        if _place_end(low, previous, lex) > s:
            continue  # "don matías", "juan de acosta"
        start, end, classes = _lower_run(text, low, s, lex)
        if start < 0:
            continue
        frequent = given and word.group() in lex.given_frequent
        if (
            context == "title"
            or (len(classes) > 1 and frequent and cls == _STRONG)
            or (len(classes) > 1 and given and _STRONG in classes[1:])
        ):
            out.append(Finding("name", start, end))
            covered = end


# --- names after an unambiguous introduction -------------------------------------------------

# After these words a name follows almost always, whatever its case and whether or not the name
# lists know it ("me llamo yorbelis gutierrez", "le escribe maria auxiliadora vanegas",
# "pregunten por nohora"): up to four words are taken, stopping at punctuation, a digit or a
# Spanish function word ("me llamo la atención", "en nombre de la comunidad" take nothing).
_INTRODUCTION = re.compile(
    r"(?<![\w])(?:me\s+llamo|mi\s+nombre(?:\s+completo)?\s+es|(?:le|les)\s+escribe"
    r"|(?:a|en)\s+nombre\s+de|pregunt(?:en|ar|e)\s+por)[ \t]*[:,]?[ \t]*"
)
_INTRODUCTION_HINTS = frozenset(
    ["llamo", "nombre", "escribe", "pregunten", "preguntar", "pregunte"]
)
# Words that end a name after an introduction or before a document number: the function words
# of Spanish (stop-words), and the words that come next in such texts.
_NOT_NAME_EXTRA = (
    "cc cedula cedulas documento pasaporte pas ti nit ce tel telefono cel celular movil correo "
    "email whatsapp wsp vivo vive vivimos necesito necesita pido pide solicito solicita soy "
    "tengo tiene somos estoy radique radico presento presenta quiero quiere identificado "
    "identificada con numero no nro don dona senor senora sr sra dr dra doctor doctora ing "
    "ingeniero ingeniera profesor profesora profe"
)


@lru_cache(maxsize=1)
def _not_name_words() -> frozenset[str]:
    from stop_words import get_stop_words

    return frozenset(_fold(w) for w in get_stop_words("spanish")) | _words(_NOT_NAME_EXTRA)


def _name_run(low: str, start: int, *, backwards: bool = False) -> tuple[int, int, int]:
    """(start, end, words) of up to four name-like words from ``start`` (forwards) or ending at
    ``start`` (backwards), separated by single spaces only."""
    stops = _not_name_words()
    words: list[tuple[int, int]] = []
    pos = start
    while len(words) < 4:
        if backwards:
            end = pos
            while end > 0 and low[end - 1] == " ":
                end -= 1
            if words and pos - end != 1:
                break
            begin = end
            while begin > 0 and low[begin - 1].isalpha():
                begin -= 1
            word = low[begin:end]
            if not word or word in stops or (begin > 0 and low[begin - 1].isalnum()):
                break
            words.append((begin, end))
            pos = begin
        else:
            match = _WORD.match(low, pos)
            if match is None or match.group() in stops:
                break
            e = match.end()
            if e < len(low) and low[e].isdigit():
                break
            words.append(match.span())
            if low[e : e + 1] != " " or low[e + 1 : e + 2] in ("", " "):
                break
            pos = e + 1
    if not words:
        return -1, -1, 0
    span = sorted(words)
    return span[0][0], span[-1][1], len(words)


_DOCUMENT_MARK = re.compile(r"(?<![\w])(?:c\.?\s?c\.?|cedula)[\s.:#]*(?:no\.?\s*)?\d")


def _names_near_introductions(
    low: str, lex: _Lexicon, vocabulary: set[str], out: list[Finding]
) -> None:
    if not vocabulary.isdisjoint(_INTRODUCTION_HINTS):
        for intro in _INTRODUCTION.finditer(low):
            start, end, count = _name_run(low, intro.end())
            # One word alone must be a known given name ("pregunten por nohora"), not a noun
            # ("me llamo Comunidad porque hablo por todos").
            if count > 1 or (count == 1 and low[start:end] in lex.given):
                out.append(Finding("name", start, end))
    # "gustavo adolfo rangel cc 1090456789": two to four words right before a document number,
    # unless they name a place ("soy de san jacinto cc 23.456.789").
    if "cc" in vocabulary or "cedula" in vocabulary or "c.c" in low:
        for mark in _DOCUMENT_MARK.finditer(low):
            start, end, count = _name_run(low, mark.start(), backwards=True)
            if count >= 2 and _place_end(low, start, lex) <= start:
                out.append(Finding("name", start, end))


def _given_names(low: str, names: Iterable[str], out: list[Finding]) -> None:
    for name in names:
        for part in {name.strip(), *name.split()}:
            if len(part) >= 3:
                pattern = re.compile(r"(?<!\w)" + re.escape(_fold(part)) + r"(?!\w)")
                out.extend(Finding("name", m.start(), m.end()) for m in pattern.finditer(low))
