import numpy as np

from urna.insights.text import fold, fold_many, stem, stop_words, tokenize, tokenize_corpus


def test_fold_is_case_accent_and_width_insensitive():
    assert fold("Restitución de TIERRAS") == "restitucion de tierras"
    assert fold("Año  NIÑO\tcañón") == "ano nino canon"
    assert fold("ﬁnca ＡＢＣ １２") == "finca abc 12"  # NFKC: ligature, full width
    assert fold("  hola\n\nmundo  ") == "hola mundo"


def test_fold_many_keeps_boundaries_with_line_breaks_and_empty_texts():
    texts = ["uno\ndos", "", "Tres\r\nCUATRO", None, "ñ"]
    assert fold_many(texts) == ["uno dos", "", "tres cuatro", "", "n"]


def test_tokenize_keeps_numbers_of_articles_and_laws():
    tokens = tokenize("El artículo 14 de la Ley 1.755 de 2015 y el Decreto 0019.")
    assert tokens == [
        "el", "articulo", "14", "de", "la", "ley", "1755", "de", "2015", "y", "el", "decreto",
        "0019",
    ]  # fmt: skip


def test_stop_words_are_folded():
    words = stop_words()
    assert "de" in words and "mas" in words and "tambien" in words
    assert "más" not in words


def test_stem_groups_inflections_and_spellings():
    assert stem("tierras") == stem("tierra")
    assert stem("restitución".replace("ó", "o")) == stem("restituciones")
    assert stem("tecnologia") == stem("tecnologias")
    assert stem("1755") == "1755"


def test_tokenize_corpus_csr_layout():
    corpus = tokenize_corpus(["La restitución de tierras", "", "Tierras y TIERRA", "de la"])
    assert len(corpus) == 4
    assert list(np.diff(corpus.raw_indptr)) == [4, 0, 3, 2]
    # Stop words ("la", "de", "y") carry no content.
    assert list(corpus.content_lengths()) == [2, 0, 2, 0]
    stems = [corpus.stems[i] for i in corpus.content_tokens(2)]
    assert stems[0] == stems[1]  # "tierras" and "tierra"
    display = corpus.stem_display([corpus.content_tokens(2)[0]])
    assert list(display.values()) == ["tierras"]


def test_tokenize_corpus_is_fast_enough():
    import time

    texts = [
        f"La vía {i} de la vereda está intransitable, pedimos placa huella" for i in range(50_000)
    ]
    t0 = time.perf_counter()
    corpus = tokenize_corpus(texts)
    # ~20x headroom over what this machine measures, so a busy CI still passes.
    assert time.perf_counter() - t0 < 10
    assert len(corpus) == 50_000
