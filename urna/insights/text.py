"""Spanish text pipeline for the insights engine.

Everything downstream (exact duplicates, MinHash shingles, TF-IDF) works on integer token ids
held in flat NumPy arrays (CSR layout: ``indptr`` + ``ids``), so that a million short texts can
be handled without a Python object per token. What "the same word" means (NFKC, case folded,
accents dropped) is ``urna.core.text.fold``, shared by every app; the texts are then joined in
large chunks for the regular expressions, which run in C over a whole chunk at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import snowballstemmer
from stop_words import get_stop_words

from urna.core.text import fold as core_fold

__all__ = [
    "TokenizedCorpus",
    "fold",
    "fold_many",
    "tokenize",
    "tokenize_corpus",
    "stem",
    "stop_words",
    "surface_forms",
]

# Separator used when folding many texts in one call; texts never contain it after _WS.
_SEP = "\n"
_WS = re.compile(r"\s+")
# Whitespace runs other than a lone space (which need no replacing, and are the vast majority).
_INNER_WS = re.compile(r"[^\S\n]*[^\S \n][^\S\n]*| {2,}")
# Dotted thousands separators ("Ley 1.755") would otherwise split one number into two tokens,
# and a law number must stay a single token. Spaces are not treated as separators: "artículo
# 14 100 familias" is more likely than "1 755".
_THOUSANDS = re.compile(r"(?<=\d)\.(?=\d{3}(?!\d))")
# Letters and digits of any script; underscores are not word characters for us.
_TOKEN = re.compile(r"[^\W_]+")
_TOKEN_OR_SEP = re.compile(r"[^\W_]+|\n")

# Snowball's Spanish rules list a few noun suffixes only in their accented form; restoring the
# accent before stemming keeps "tecnologia" and "tecnologías" on the same stem.
_ACCENT_SUFFIXES = (("logias", "logías"), ("logia", "logía"))

_CHUNK = 20_000


def release_memory() -> None:
    """Hand freed heap memory back to the operating system (glibc only; no-op elsewhere).

    Per-chunk NumPy temporaries are served from the malloc heap once glibc's dynamic mmap
    threshold has grown, and stay resident after being freed: ~400 MB after tokenising a
    million texts, which would then add to the next stage's peak.
    """
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim = None


def fold(text: str) -> str:
    """Return ``text`` normalised (NFKC), case-folded and without accents (ñ becomes n), as
    ``urna.core.text.fold`` does, with whitespace runs (including newlines) collapsed to a
    single space and trimmed."""
    return fold_many([text])[0]


def fold_many(texts: Sequence[str]) -> list[str]:
    """Fold many texts (what :func:`fold` does to each)."""
    out: list[str] = []
    for start in range(0, len(texts), _CHUNK):
        chunk = texts[start : start + _CHUNK]
        out.extend(t.strip() for t in _fold_chunk(chunk).split(_SEP))
    return out


def _fold_chunk(chunk: Sequence[str], collapse: bool = True) -> str:
    """The chunk's texts folded by ``urna.core.text.fold`` and joined by ``_SEP``.

    One ``fold`` per text: the Unicode normalisations skip ASCII and already-normal texts at
    once, which makes this faster than normalising the joined chunk (on the benchmark's
    108,739 texts: 1.06 s of CPU against 1.51 s). A text's own line breaks become spaces, so
    the boundaries stay exact.
    """
    joined = _SEP.join([_fold_one_line(t) if t else "" for t in chunk])
    # Tokenisation ignores whitespace anyway, so only pay for collapsing it when asked.
    return _INNER_WS.sub(" ", joined) if collapse else joined


# Words joined in camel case, as hashtags are written ("#MetroPorElSurYa", "LaBiciEsMovilidad"):
# a hashtag with one lower-to-upper step, any word with two or more ("McDonald" stays whole).
_CAMEL_HINT = re.compile(r"[a-záéíóúñü][A-ZÁÉÍÓÚÑÜ]")
_CAMEL_WORD = re.compile(
    r"#\w*?[a-záéíóúñü][A-ZÁÉÍÓÚÑÜ]\w*|\b\w*?(?:[a-záéíóúñü][A-ZÁÉÍÓÚÑÜ]\w*?){2,}\w*"
)
_CAMEL_STEP = re.compile(r"(?<=[a-záéíóúñü])(?=[A-ZÁÉÍÓÚÑÜ])")


def split_camel_case(text: str) -> str:
    """Hashtags and other camel-case runs as separate words: a slogan shared as
    "#MetroPorElSurYa" and as "metro por el sur ya" is the same text."""
    if not _CAMEL_HINT.search(text):
        return text
    return _CAMEL_WORD.sub(lambda m: _CAMEL_STEP.sub(" ", m.group(0)), text)


def _fold_one_line(text: str) -> str:
    folded = core_fold(split_camel_case(text))
    return _WS.sub(" ", folded) if _SEP in folded else folded


def _fold_one(text: str) -> str:
    return _WS.sub(" ", core_fold(_WS.sub(" ", text or "")))


def tokenize(text: str) -> list[str]:
    """Folded word and number tokens of ``text`` (stop words included, not stemmed)."""
    return _TOKEN.findall(_THOUSANDS.sub("", fold(text)))


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Spanish stop words from the ``stop-words`` package, folded like the texts."""
    words = get_stop_words("spanish")
    return frozenset(fold_many(words))


_stemmer = snowballstemmer.stemmer("spanish")


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Snowball Spanish stem of a folded token (numbers are returned unchanged)."""
    if token.isdigit():
        return token
    word = token
    for plain, accented in _ACCENT_SUFFIXES:
        if word.endswith(plain):
            word = word[: -len(plain)] + accented
            break
    # Snowball strips the accents it knows about but can leave others ("ü"), so fold again.
    return _fold_one(_stemmer.stemWord(word))


@dataclass
class TokenizedCorpus:
    """Token ids of a list of texts in CSR layout.

    ``raw_*`` hold every folded token (stop words included) and serve exact-duplicate hashing
    and shingling; ``content_*`` hold stem ids of the non-stop-word tokens and serve TF-IDF.
    """

    vocab: list[str]
    raw_indptr: np.ndarray
    raw_ids: np.ndarray
    stems: list[str]
    stem_of: np.ndarray  # raw token id -> stem id, -1 for stop words
    content_indptr: np.ndarray
    content_ids: np.ndarray
    _raw_counts: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.raw_indptr) - 1

    def raw_tokens(self, i: int) -> np.ndarray:
        return self.raw_ids[self.raw_indptr[i] : self.raw_indptr[i + 1]]

    def content_tokens(self, i: int) -> np.ndarray:
        return self.content_ids[self.content_indptr[i] : self.content_indptr[i + 1]]

    def content_lengths(self) -> np.ndarray:
        """Number of meaningful (non-stop-word) tokens per text."""
        return np.diff(self.content_indptr)

    def raw_counts(self) -> np.ndarray:
        """Corpus frequency of every raw token id."""
        if self._raw_counts is None:
            self._raw_counts = np.bincount(self.raw_ids, minlength=len(self.vocab))
        return self._raw_counts

    def stem_display(self, stem_ids: Iterable[int]) -> dict[int, str]:
        """Most frequent folded word behind each stem (e.g. stem "tierr" -> "tierras")."""
        wanted = {int(s) for s in stem_ids}
        counts = self.raw_counts()
        best: dict[int, tuple[int, str]] = {}
        for raw_id in np.flatnonzero(np.isin(self.stem_of, list(wanted))):
            sid = int(self.stem_of[raw_id])
            c = int(counts[raw_id])
            if sid not in best or c > best[sid][0]:
                best[sid] = (c, self.vocab[raw_id])
        return {sid: best[sid][1] if sid in best else self.stems[sid] for sid in wanted}


class _Vocabulary:
    """Token ids of folded words, growing as chunks come in, and the stem of each word."""

    def __init__(self) -> None:
        self.vocab: list[str] = []
        self.index: dict[str, int] = {_SEP: -1}
        self.stops = stop_words()
        self.stem_index: dict[str, int] = {}
        self.stems: list[str] = []
        self.stem_of: list[int] = []

    def ids(self, tokens: list[str]) -> tuple[np.ndarray, list[str]]:
        """The ids of ``tokens`` (-1 for the separator), and the new words among them, which
        have ids already and must be passed to :meth:`add` once ``tokens`` is freed."""
        # New words are rare after the first chunks, so the dict lookup is the hot path.
        get = self.index.get
        ids = [get(t) for t in tokens]
        new_words: list[str] = []
        if None in ids:
            for pos, t in enumerate(tokens):
                if ids[pos] is None:
                    tid = self.index.get(t)
                    if tid is None:
                        tid = len(self.vocab) + len(new_words)
                        self.index[t] = tid
                        new_words.append(t)
                    ids[pos] = tid
        return np.fromiter(ids, dtype=np.int32, count=len(ids)), new_words

    def add(self, new_words: list[str]) -> None:
        """Store and stem the new words. Call it after freeing the chunk's token strings: fresh
        copies of the new words then let the chunk's memory go back to the system instead of
        leaving every chunk's allocator arenas pinned by a few surviving words (~1 GB on 1M
        texts)."""
        for t in new_words:
            word = t[:1] + t[1:]
            self.index[word] = self.index.pop(t)
            self.vocab.append(word)
            if word in self.stops or (len(word) == 1 and not word.isdigit()):
                self.stem_of.append(-1)
                continue
            s = stem(word)
            sid = self.stem_index.get(s)
            if sid is None:
                sid = len(self.stems)
                self.stem_index[s] = sid
                self.stems.append(s)
            self.stem_of.append(sid)


def _chunk_tokens(chunk: Sequence[str]) -> list[str]:
    """Folded tokens of the chunk's texts, with the separator between texts."""
    folded = _fold_chunk(chunk, collapse=False)
    if "." in folded:
        folded = _THOUSANDS.sub("", folded)
    return _TOKEN_OR_SEP.findall(folded)


def _split_documents(
    arr: np.ndarray, stem_of: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A chunk's token ids (separators included) as per-text lengths, raw ids, content (stem)
    ids and per-text content lengths. Per chunk, so no corpus-wide temporaries (a million texts
    are ~50M tokens)."""
    # Document boundaries are the separator tokens (-1); add a virtual one at the end.
    seps = np.flatnonzero(arr < 0)
    bounds = np.concatenate(([-1], seps, [len(arr)]))
    lengths = (np.diff(bounds) - 1).astype(np.int64)
    arr = arr[arr >= 0]
    mapped = stem_of[arr]
    keep = mapped >= 0
    doc_of = np.repeat(np.arange(len(lengths)), lengths)
    return lengths, arr, mapped[keep], np.bincount(doc_of[keep], minlength=len(lengths))


def _indptr(length_chunks: list[np.ndarray]) -> np.ndarray:
    lengths = _join(length_chunks, np.int64)
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return indptr


def _join(chunks: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(chunks).astype(dtype, copy=False) if chunks else np.zeros(0, dtype)


def tokenize_corpus(
    texts: Sequence[str], progress: Callable[[float], None] | None = None
) -> TokenizedCorpus:
    """Fold, tokenise and stem ``texts`` into a :class:`TokenizedCorpus`.

    ``progress`` receives the fraction of texts done (0..1).
    """
    words = _Vocabulary()
    id_chunks: list[np.ndarray] = []
    len_chunks: list[np.ndarray] = []
    content_chunks: list[np.ndarray] = []
    content_len_chunks: list[np.ndarray] = []
    n = len(texts)
    for start in range(0, n, _CHUNK):
        chunk = texts[start : start + _CHUNK]
        tokens = _chunk_tokens(chunk)
        arr, new_words = words.ids(tokens)
        del tokens
        words.add(new_words)
        del new_words
        lengths, raw, content, content_lengths = _split_documents(
            arr, np.asarray(words.stem_of, dtype=np.int32)
        )
        del arr
        len_chunks.append(lengths)
        id_chunks.append(raw)
        content_chunks.append(content)
        content_len_chunks.append(content_lengths)
        if progress is not None:
            progress(min(1.0, (start + len(chunk)) / max(n, 1)))
        if start // _CHUNK % 10 == 9:
            release_memory()
    return TokenizedCorpus(
        vocab=words.vocab,
        raw_indptr=_indptr(len_chunks),
        raw_ids=_join(id_chunks, np.int32),
        stems=words.stems,
        stem_of=np.asarray(words.stem_of, dtype=np.int32),
        content_indptr=_indptr(content_len_chunks),
        content_ids=_join(content_chunks, np.int32),
    )


def surface_forms(
    words: Iterable[str], texts: Iterable[str], limit: int = 20_000
) -> dict[str, str]:
    """Most frequent original spelling (lower case, accents kept) of each folded word.

    Used for theme labels only, so scanning a bounded sample of texts is enough.
    """
    wanted = set(words)
    counts: dict[str, Counter[str]] = {w: Counter() for w in wanted}
    for n, text in enumerate(texts):
        if n >= limit:
            break
        for tok in _TOKEN.findall(unicodedata.normalize("NFKC", text or "").lower()):
            f = _fold_word(tok)
            if f in wanted:
                counts[f][tok] += 1
    return {w: (c.most_common(1)[0][0] if c else w) for w, c in counts.items()}


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    return core_fold(word)
