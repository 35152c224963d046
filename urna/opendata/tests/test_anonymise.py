from datetime import UTC, datetime

import pytest

from urna.opendata.anonymise import (
    DAY,
    OPAQUE_ID,
    TEXT,
    Field,
    anonymise_row,
    anonymise_text,
    check_fields,
    opaque_id,
    suppress_small_cells,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Escríbanme a juan.perez@gmail.com", "Escríbanme a [correo]"),
        ("correo: ana (at) hotmail.com", "correo: [correo]"),
        ("mi celular 300 123 4567 gracias", "mi celular [teléfono] gracias"),
        ("llamar al 3001234567", "llamar al [teléfono]"),
        ("whatsapp +57 310-555-1234", "whatsapp [teléfono]"),
        ("(+57) 300 123 4567", "[teléfono]"),
        ("fijo (601) 234 5678", "fijo [teléfono]"),
        ("oficina 604 444 5555", "oficina [teléfono]"),
        ("tel. (4) 444 5555", "tel. [teléfono]"),
        ("llámenme al 8801234", "llámenme al [teléfono]"),
        ("Soy Juan, C.C. 1.023.456.789 de Bogotá", "Soy [nombre], C.C. [documento] de Bogotá"),
        ("cédula de ciudadanía No. 79456123", "cédula de ciudadanía No. [documento]"),
        ("cc: 52345678", "cc: [documento]"),
        ("NIT 900.123.456-7", "NIT [documento]"),
        ("TI 1098765432", "TI [documento]"),
        ("pasaporte AB123456", "pasaporte [documento]"),
        ("identificada con 43.210.987", "identificada con [documento]"),
        ("mi documento es 1020304050", "mi documento es [documento]"),
        ("sígame en @pepito_99 por favor", "sígame en [usuario] por favor"),
    ],
)
def test_personal_data_in_text_is_replaced(given, expected):
    assert anonymise_text(given) == expected


@pytest.mark.parametrize(
    "text",
    [
        "El subsidio de $1.000.000 es poco",
        "son 2.500.000 pesos al año",
        "Ley 1581 de 2012, artículo 10, decreto 1075 de 2015",
        "En 2023 hubo 45 casos y 1.200 familias",
        "el 12-05-2024 fui a la alcaldía",
        "artículos 1, 2, 3 y 4",
        "Sin números ni correos: una opinión cualquiera.",
    ],
)
def test_ordinary_text_is_left_as_written(text):
    assert anonymise_text(text) == text


def test_empty_text():
    assert anonymise_text("") == ""
    assert anonymise_text(None) == ""


def test_row_treats_each_column_as_declared(settings):
    settings.TIME_ZONE = "America/Bogota"
    fields = [
        Field("id", "string", "", kind=OPAQUE_ID),
        Field("texto", "string", "", kind=TEXT),
        Field("fecha", "date", "", kind=DAY),
        Field("canal", "string", ""),
    ]
    # 02:00 UTC on 2 March is still 1 March in Colombia.
    moment = datetime(2025, 3, 2, 2, 0, tzinfo=UTC)

    row = anonymise_row((42, "mi correo x@y.co", moment, "sms"), fields)

    assert row == (opaque_id(42), "mi correo [correo]", "2025-03-01", "sms")
    assert anonymise_row((None, None, None, None), fields) == (None, None, None, None)


def test_opaque_id_is_stable_not_the_key_and_keyed_by_the_secret(settings):
    first = opaque_id(42)
    assert first == opaque_id(42)
    assert first != "42" and len(first) == 16
    assert opaque_id(43) != first
    settings.OPENDATA_ID_KEY = "another-key"
    assert opaque_id(42) != first


@pytest.mark.parametrize("name", ["email", "phone", "receipt", "contact_id", "gender", "nombre"])
def test_a_personal_column_cannot_be_declared(name):
    with pytest.raises(ValueError, match=name):
        check_fields([Field(name, "string", "")])


def test_small_cells_are_suppressed_with_a_complementary_cell():
    rows = [
        {"dim": "genero", "valor": "mujer", "count": 40},
        {"dim": "genero", "valor": "hombre", "count": 35},
        {"dim": "genero", "valor": "no_binario", "count": 2},
        {"dim": "edad", "valor": "18-28", "count": 3},
        {"dim": "edad", "valor": "29-40", "count": 4},
        {"dim": "edad", "valor": "41-60", "count": 70},
        {"dim": "etnia", "valor": "ninguno", "count": 77},
        {"dim": "etnia", "valor": "rom", "count": 0},
    ]

    out = suppress_small_cells(rows, group_fields=("dim",))

    assert [(r["valor"], r["count"], r["suppressed"]) for r in out] == [
        ("mujer", 40, False),
        # the lone small cell (2) could be recovered from the total: the smallest other goes too
        ("hombre", None, True),
        ("no_binario", None, True),
        ("18-28", None, True),
        ("29-40", None, True),
        ("41-60", 70, False),
        ("ninguno", 77, False),
        ("rom", 0, False),
    ]
    assert rows[2]["count"] == 2  # the input is not modified
