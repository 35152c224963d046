"""Spanish text pipeline for the insights engine.

Everything downstream (exact duplicates, MinHash shingles, TF-IDF) works on integer token ids
held in flat NumPy arrays (CSR layout: ``indptr`` + ``ids``), so that a million short texts can
be handled without a Python object per token. Folding is done on large joined chunks of text
because ``unicodedata.normalize`` and ``re.sub`` run in C and their per-call overhead would
otherwise dominate on short texts.
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

# Combining marks (accents, tilde, diaeresis...) left behind by NFKD decomposition.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
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
    """Return ``text`` normalised (NFKC), case-folded and without accents (ñ becomes n).

    Whitespace runs (including newlines) collapse to a single space.
    """
    return fold_many([text])[0]


def fold_many(texts: Sequence[str]) -> list[str]:
    """Fold many texts; much faster than calling :func:`fold` in a loop."""
    out: list[str] = []
    for start in range(0, len(texts), _CHUNK):
        chunk = texts[start : start + _CHUNK]
        out.extend(t.strip() for t in _fold_chunk(chunk).split(_SEP))
    return out


def _fold_chunk(chunk: Sequence[str], collapse: bool = True) -> str:
    joined = _SEP.join(t or "" for t in chunk)
    if joined.count(_SEP) != len(chunk) - 1:
        # Rare: texts with their own line breaks; flatten them so boundaries stay exact.
        joined = _SEP.join(_WS.sub(" ", t) if t else "" for t in chunk)
    if not joined.isascii():
        # NFKC first so compatibility characters (ligatures, full-width digits, "º") become
        # plain ones; then NFKD to split accents off their letters and drop them.
        joined = unicodedata.normalize("NFKC", joined).casefold()
        joined = _COMBINING.sub("", unicodedata.normalize("NFKD", joined))
        if joined.count(_SEP) != len(chunk) - 1:
            # Should a normalisation ever produce the separator, boundaries would shift
            # silently, so fall back to the slow per-text path.
            return _SEP.join(_fold_one(t) for t in chunk)
    else:
        joined = joined.lower()
    # Tokenisation ignores whitespace anyway, so only pay for collapsing it when asked.
    return _INNER_WS.sub(" ", joined) if collapse else joined


def _fold_one(text: str) -> str:
    text = unicodedata.normalize("NFKC", _WS.sub(" ", text or "")).casefold()
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _WS.sub(" ", text)


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


def tokenize_corpus(
    texts: Sequence[str], progress: Callable[[float], None] | None = None
) -> TokenizedCorpus:
    """Fold, tokenise and stem ``texts`` into a :class:`TokenizedCorpus`.

    ``progress`` receives the fraction of texts done (0..1).
    """
    vocab: list[str] = []
    index: dict[str, int] = {_SEP: -1}
    stops = stop_words()
    stem_index: dict[str, int] = {}
    stems: list[str] = []
    stem_of: list[int] = []
    id_chunks: list[np.ndarray] = []
    len_chunks: list[np.ndarray] = []
    content_chunks: list[np.ndarray] = []
    content_len_chunks: list[np.ndarray] = []
    n = len(texts)
    for start in range(0, n, _CHUNK):
        chunk = texts[start : start + _CHUNK]
        folded = _fold_chunk(chunk, collapse=False)
        if "." in folded:
            folded = _THOUSANDS.sub("", folded)
        tokens = _TOKEN_OR_SEP.findall(folded)
        # New words are rare after the first chunks, so the dict lookup is the hot path.
        get = index.get
        ids = [get(t) for t in tokens]
        new_words: list[str] = []
        if None in ids:
            for pos, t in enumerate(tokens):
                if ids[pos] is None:
                    tid = index.get(t)
                    if tid is None:
                        tid = len(vocab) + len(new_words)
                        index[t] = tid
                        new_words.append(t)
                    ids[pos] = tid
        arr = np.fromiter(ids, dtype=np.int32, count=len(ids))
        del tokens, ids, folded
        # The chunk's token strings are freed now; keeping fresh copies of the new words (and
        # stemming those) lets their memory go back to the system instead of leaving every
        # chunk's allocator arenas pinned by a few surviving words (~1 GB on 1M texts).
        for t in new_words:
            word = t[:1] + t[1:]
            index[word] = index.pop(t)
            vocab.append(word)
            if word in stops or (len(word) == 1 and not word.isdigit()):
                stem_of.append(-1)
                continue
            s = stem(word)
            sid = stem_index.get(s)
            if sid is None:
                sid = len(stems)
                stem_index[s] = sid
                stems.append(s)
            stem_of.append(sid)
        del new_words
        # Document boundaries are the separator tokens (-1); add a virtual one at the end.
        seps = np.flatnonzero(arr < 0)
        bounds = np.concatenate(([-1], seps, [len(arr)]))
        lengths = (np.diff(bounds) - 1).astype(np.int64)
        arr = arr[arr >= 0]
        # Per chunk, so no corpus-wide temporaries (a million texts are ~50M tokens).
        mapped = np.asarray(stem_of, dtype=np.int32)[arr]
        keep = mapped >= 0
        doc_of = np.repeat(np.arange(len(lengths)), lengths)
        len_chunks.append(lengths)
        id_chunks.append(arr)
        content_chunks.append(mapped[keep])
        content_len_chunks.append(np.bincount(doc_of[keep], minlength=len(lengths)))
        if progress is not None:
            progress(min(1.0, (start + len(chunk)) / max(n, 1)))
        if start // _CHUNK % 10 == 9:
            release_memory()

    def join(chunks: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(chunks).astype(dtype, copy=False) if chunks else np.zeros(0, dtype)

    lengths = join(len_chunks, np.int64)
    raw_indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=raw_indptr[1:])
    content_indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(join(content_len_chunks, np.int64), out=content_indptr[1:])
    return TokenizedCorpus(
        vocab=vocab,
        raw_indptr=raw_indptr,
        raw_ids=join(id_chunks, np.int32),
        stems=stems,
        stem_of=np.asarray(stem_of, dtype=np.int32),
        content_indptr=content_indptr,
        content_ids=join(content_chunks, np.int32),
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
    return _COMBINING.sub("", unicodedata.normalize("NFKD", word.casefold()))
