import pytest

from urna.insights.moderation import REASONS, flag, flag_many


def codes(text):
    return [code for code, _ in flag(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ustedes son unos HIJUEPUTAS", ["insult"]),
        ("el ministro es un imbécil", ["insult"]),
        ("Los vamos a matar a todos", ["threat"]),
        ("sabemos dónde vive el alcalde", ["threat"]),
        ("mi celular es 300 123 4567", ["phone"]),
        ("llamar al +57 3101234567", ["phone"]),
        ("tel (601) 234 5678", ["phone"]),
        ("escríbame a juan.perez@correo.com.co", ["email"]),
        ("C.C. 1.234.567.890 de Bogotá", ["id_document"]),
        ("mi cédula es 79123456", ["id_document"]),
        ("documento No. 52.123.456", ["id_document"]),
        ("cc 1098765432", ["id_document"]),
    ],
)
def test_flags(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "El artículo 14 de la Ley 1755 de 2015 y el decreto 0019",
        "El gobierno es corrupto y no cumple",  # criticism is not abuse
        "Pagaron 3.500.000 pesos por 300 bultos de papa",
        "La recolección de basura y los cerdos de la finca",
        "El proyecto está retrasado desde 2019",
        "",
    ],
)
def test_no_false_positives(text):
    assert codes(text) == []


def test_reasons_are_spanish_and_several_at_once():
    found = flag("Imbécil, llámeme al 3001234567 o a ana@x.org")
    assert [c for c, _ in found] == ["insult", "phone", "email"]
    assert all(reason == REASONS[code] for code, reason in found)
    assert flag_many(["hola", "idiota"]) == [[], [("insult", REASONS["insult"])]]
