"""The personal-data detector: each kind, the issue's example, and what must survive."""

import pytest

from urna.core.privacy import (
    Finding,
    find_personal_data,
    mask_personal_data,
    personal_data_scan,
)

ISSUE_EXAMPLE = (
    "Soy Juan Carlos Pérez Rodríguez, cédula 1053778899, vivo en la Calle 23 #45-12 barrio "
    "La Enea, escríbanme a juan.perez@gmail.com o al 320 555 0147"
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text)]


def test_the_issue_example_keeps_nothing_personal():
    masked = mask_personal_data(ISSUE_EXAMPLE)

    assert masked == (
        "Soy [nombre], cédula [documento], vivo en la [dirección] barrio La Enea, escríbanme a "
        "[correo] o al [teléfono]"
    )
    assert kinds(ISSUE_EXAMPLE) == [
        ("name", "Juan Carlos Pérez Rodríguez"),
        ("document", "1053778899"),
        ("address", "Calle 23 #45-12"),
        ("email", "juan.perez@gmail.com"),
        ("phone", "320 555 0147"),
    ]


def test_findings_are_frozen_spans_in_order():
    findings = find_personal_data("Llamen al 3001234567 o a ana@example.org")

    assert findings == [Finding("phone", 10, 20), Finding("email", 25, 40)]
    with pytest.raises(AttributeError):
        findings[0].kind = "email"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Me llamo Ana Lucía Restrepo y apoyo el decreto.",
            "Me llamo [nombre] y apoyo el decreto.",
        ),
        ("Mi nombre es Aurelio Yatacué, del resguardo.", "Mi nombre es [nombre], del resguardo."),
        ("soy nelson enrique arias cc 98765432", "soy [nombre] cc [documento]"),
        (
            "Atentamente,\nMaría Fernanda Gómez\nCC 43.123.456",
            "Atentamente,\n[nombre]\nCC [documento]",
        ),
        ("Gracias. Luz Marina Zuluaga", "Gracias. [nombre]"),
        ("Ayer vino Jesús Alirio Erazo a la reunión.", "Ayer vino [nombre] a la reunión."),
        ("PREGUNTAR POR DOÑA MERCEDES", "PREGUNTAR POR DOÑA [nombre]"),
        ("Hola, soy Kevin y tengo 16 años.", "Hola, soy [nombre] y tengo 16 años."),
    ],
)
def test_names(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Construir la Paz Total requiere una Mesa de Diálogo.",
        "La Cruz Roja llegó con la Luna llena; Rosa es un color.",
        "En Santa Rosa de Cabal, San Andrés y Don Matías faltan vías.",
        "El Hospital San Juan de Dios y el barrio Simón Bolívar necesitan ayuda.",
        "Soy Madre Cabeza de Familia y Líder Social.",
        "Me llamo la atención que nadie vino.",
        "En María la Baja y en Paz de Ariporo hay sequía.",
        "Soy campesina y docente de la vereda.",
    ],
)
def test_words_and_places_that_look_like_names_survive(text):
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("C.C. 9.876.543 de Aguadas", "document"),
        ("NIT 900.765.432-1", "document"),
        ("tarjeta de identidad 1.054.321.876", "document"),
        ("cédula de extranjería No. 987654", "document"),
        ("mi PPT es el 6234519", "document"),
        ("Cel. 312 555 6677", "phone"),
        ("+57 (311) 555-7676", "phone"),
        ("(+57) 315 222 3344", "phone"),
        ("57 3126678901", "phone"),
        ("mi whatsapp es 32 05 55 01 47", "phone"),
        ("fijo (601) 555 1234", "phone"),
        ("604 4445566", "phone"),
        ("mi tel es 8765432", "phone"),
        ("correo ROSAURA.MENDOZA@GMAIL.COM", "email"),
        ("juan(at)gmail(dot)com", "email"),
        ("mafe_cardona [at] hotmail [dot] com", "email"),
        ("carlosruiz78 arroba gmail punto com", "email"),
        ("kata.gonzalez [arroba] gmail [punto] com", "email"),
        ("Diagonal 42A Bis # 20-15", "address"),
        ("Cra 7 No. 45-67", "address"),
        ("Cll 45 N° 12-30", "address"),
        ("Av. Boyacá # 64C-43", "address"),
        ("CR 50 52-41", "address"),
        ("Mz 4 Casa 12", "address"),
        ("síganos en @veeduria_caldas", "handle"),
    ],
)
def test_each_kind(text, kind):
    found = find_personal_data(text)

    assert [f.kind for f in found] == [kind]
    personal = text[found[0].start : found[0].end]
    assert personal.strip() == personal and personal


def test_spelled_email_is_masked_whole():
    assert mask_personal_data("Escríbanme a juan(at)gmail(dot)com ya") == "Escríbanme a [correo] ya"


@pytest.mark.parametrize(
    "text",
    [
        "Nos costó $1.500.000 pesos arreglar el techo.",
        "Pagamos 1.500.000 pesos y 2.500.000 de pesos más.",
        "La obra vale COP 45.000 y $ 2.300 millones.",
        "Según el Decreto 1755 de 2015 y la Ley 1581 de 2012.",
        "La Sentencia T-760 de 2008 y el CONPES 4023.",
        "El código DANE 17001 es Manizales y 05001 Medellín.",
        "Desde 1998 hasta 2024 seguimos igual.",
        "La reunión es el 30-06-2024, el 2024-11-30 o el 15/03/2024.",
        "Cali pasa de 2.280.000 habitantes y hay 1.200 hectáreas.",
        "El proyecto BPIN 2023000100234 no ha empezado.",
        "La arroba de panela está cara.",
        "La Carrera 7 entre calles 19 y 26 está cerrada.",
    ],
)
def test_money_laws_dates_codes_and_years_survive(text):
    assert mask_personal_data(text) == text


def test_a_callers_names_are_masked_in_any_case():
    text = "El señor PEREZ dijo que juan volvería."

    assert (
        mask_personal_data(text, names=["Juan Pérez"])
        == "El señor [nombre] dijo que [nombre] volvería."
    )


def test_scan_returns_masked_text_and_kinds_in_a_fixed_order():
    masked, found = personal_data_scan(ISSUE_EXAMPLE)

    assert masked == mask_personal_data(ISSUE_EXAMPLE)
    assert found == "name,document,phone,email,address"
    assert personal_data_scan("Propongo más vías terciarias.") == (
        "Propongo más vías terciarias.",
        "",
    )
    assert personal_data_scan(None) == ("", "")


def test_empty_text():
    assert find_personal_data("") == []
    assert mask_personal_data(None) == ""
    assert mask_personal_data("") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Firmado: Carlos A. Mejía", "Firmado: [nombre]"),
        ("Juan P. Gómez envió la carta", "[nombre] envió la carta"),
        ("Ana María De La Hoz vive aquí", "[nombre] vive aquí"),
        ("Firma: Carlos Gómez-Restrepo", "Firma: [nombre]"),
        ("El alcalde Pérez no vino", "El alcalde [nombre] no vino"),
        ("Saludos, Andrés", "Saludos, [nombre]"),
        ("Pasaporte AB123456", "Pasaporte [documento]"),
        ("juan @ gmail.com", "[correo]"),
        ("Vivo en la Calle 23 # 45 del barrio", "Vivo en la [dirección] del barrio"),
        ("Carrera 7ma # 32-16", "[dirección]"),
        ("Calle 100 # 8A - 55 Torre C Of. 804", "[dirección]"),
        ("Mz. C Cs. 14", "[dirección]"),
        ("mi whatsapp 604 444 55 66", "mi whatsapp [teléfono]"),
        ("Mañana Pedro y Juan vienen.", "Mañana [nombre] y [nombre] vienen."),
        ("Hablé con Daniela Epiayú Uriana ayer.", "Hablé con [nombre] ayer."),
    ],
)
def test_more_formats(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Entre 2018-2022 bajó y en 1998 2005 también.",
        "Un valor de 1.500.000 por familia; el subsidio de 2.300.000 no llega.",
        "El código DANE 17001000 es el del casco urbano.",
        "Resolución 000123 de 2024, artículo 2.2.1.1.1.3.1; Ley 1755/2015.",
        "Los estudiantes del Colegio Marco Fidel Suárez y del Hospital Pablo Tobón Uribe.",
        "La IE Alfonso López Pumarejo queda en Villa María, no en Villamaría.",
    ],
)
def test_more_texts_that_survive(text):
    assert mask_personal_data(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hola buenas, hable con maria gomez ayer", "hola buenas, hable con [nombre] ayer"),
        ("doña mercedes vende arepas", "doña [nombre] vende arepas"),
        ("soy luz stella hoyos y mi cel 3135554477", "soy [nombre] y mi cel [teléfono]"),
        (
            "en san juan de pasto y en don matías llueve",
            "en san juan de pasto y en don matías llueve",
        ),
        ("la rosa blanca del jardín; hay paz y luz", "la rosa blanca del jardín; hay paz y luz"),
        ("JOSÉ ALCIDES MURILLO, CARRERA 8 # 12-34", "[nombre], [dirección]"),
        ("LES ESCRIBE UNA MADRE PREOCUPADA", "LES ESCRIBE UNA MADRE PREOCUPADA"),
        ("pasaporte No. AB123456", "pasaporte No. [documento]"),
        ("Calle 23 N. 45-12 y lote 4 manzana 3", "[dirección] y [dirección]"),
        ("Diagonal 45 # 16 Sur - 20", "[dirección]"),
    ],
)
def test_lower_case_capitals_and_other_writings(text, expected):
    assert mask_personal_data(text) == expected


def test_decomposed_accents_and_no_break_spaces_give_spans_of_the_original():
    decomposed = "Soy Juan Carlos Pe\u0301rez Rodri\u0301guez, ce\u0301dula 1053778899"
    spaced = "Soy Juan\u00a0Carlos\u00a0Pérez, cel 320\u00a0555\u00a00147"

    assert mask_personal_data(decomposed) == "Soy [nombre], ce\u0301dula [documento]"
    assert mask_personal_data(spaced) == "Soy [nombre], cel [teléfono]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A name after an unambiguous introduction, known to the name lists or not.
        (
            "me llamo wilmer arboleda cuesta vivo en tumaco",
            "me llamo [nombre] vivo en tumaco",
        ),
        ("Mi nombre es Dayana Valoyes, de Quibdó.", "Mi nombre es [nombre], de Quibdó."),
        (
            "hablo en nombre de dionisio mosquera, mi tio",
            "hablo en nombre de [nombre], mi tio",
        ),
        (
            "para mas informacion pregunten por yesenia",
            "para mas informacion pregunten por [nombre]",
        ),
        # Two or more words right before "cc <number>".
        (
            "urgente!! jhon jairo quintero cc 12.345.678",
            "urgente!! [nombre] cc [documento]",
        ),
        # Typed variants of emails and house numbers.
        ("escribir a pedro.gil(a)yahoo.es", "escribir a [correo]"),
        ("mi correo ana.r@hotmail,com gracias", "mi correo [correo] gracias"),
        ("vivo en la cll 5 no 12 40 del centro", "vivo en la [dirección] del centro"),
        ("manz 7 casa 2 barrio el carmen", "[dirección] barrio el carmen"),
    ],
)
def test_introductions_and_typed_variants(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "me llamo la atencion que nadie responde",
        "Me llamo Comunidad porque hablo por todos",
        "hablo en nombre de la junta de accion comunal",
        "le escribe una madre preocupada",
        "a nombre de mi esposo esta el predio",
        "soy de san jacinto cc 23.456.789",
        "el literal (a) del artículo 5",
    ],
)
def test_introductions_that_are_not_names(text):
    assert "[nombre]" not in mask_personal_data(text)
