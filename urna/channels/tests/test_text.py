"""Small-screen text: GSM-safe ASCII and keyword folding, now on urna.core.text."""

import pytest

from urna.channels.text import first_word, fold, plain


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("¿Cuál es el niño?", "Cual es el nino?"),
        ("“Sí” — ¡ya!", '"Si" - ya!'),
        ("  dos\t\tespacios  ", "dos espacios"),
        ("emoji 🙂 fuera", "emoji fuera"),
        ("línea\nnueva", "linea\nnueva"),
    ],
)
def test_plain_is_gsm_safe_ascii(raw, expected):
    assert plain(raw) == expected


def test_fold_matches_keywords_without_case_or_accents():
    assert fold("Pregúnta") == "PREGUNTA"
    assert fold("¿sí?") == "SI?"
    assert first_word("estádo  UC-2026-AB12CD3") == ("ESTADO", "UC-2026-AB12CD3")
