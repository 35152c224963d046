"""The insights engine folds text exactly as ``urna.core.text.fold`` does (the platform's one
definition of "the same word"), in chunks of many texts for speed."""

from urna.core.text import fold as core_fold
from urna.insights.demo_corpus import generate
from urna.insights.text import _CHUNK, _fold_chunk, fold, fold_many, tokenize

EDGE_CASES = [
    "",
    "Pregúnta  ¿CUÁL?",
    "ÑANDÚ\tgüero\u00a0pingüino",
    "línea\nnueva\r\nde\u2028texto",
    "ﬁnca Nº 5, ½ hectárea, ２０ vacas",
    "Ley 1.755 de 2015, artículo 14",
    "STRASSE Straße İSTANBUL",
    "cafe\u0301 con accento combinado y n\u0303",
    "   espacios   alrededor   ",
    "emoji 🌽 y símbolos © ®",
]


def _sample() -> list[str]:
    return [row["text"] for row in generate(3000, seed=11)] + EDGE_CASES


def test_fold_many_is_the_platform_fold_with_whitespace_collapsed():
    texts = _sample()

    assert fold_many(texts) == [" ".join(core_fold(t).split()) for t in texts]


def test_fold_of_one_text_is_the_same_as_in_a_batch():
    texts = _sample()

    assert [fold(t) for t in texts[:300]] == fold_many(texts[:300])


def test_a_chunk_keeps_one_line_per_text_even_with_line_breaks_inside():
    texts = _sample()

    lines = _fold_chunk(texts, collapse=False).split("\n")

    assert len(lines) == len(texts)
    assert [" ".join(line.split()) for line in lines] == [
        " ".join(core_fold(t).split()) for t in texts
    ]


def test_batches_larger_than_a_chunk_fold_the_same():
    texts = _sample() * (_CHUNK // 3000 + 1)

    assert fold_many(texts) == [" ".join(core_fold(t).split()) for t in texts]


def test_tokens_carry_no_accents_nor_case():
    assert tokenize("Ñandú CAFÉ, Ley 1.755") == ["nandu", "cafe", "ley", "1755"]
