"""Builds ``percepcion.xlsx``, the perception survey template (knowledge, use and satisfaction
of the platform and its channels), as an XLSForm: run ``python urna/surveys/data/percepcion.py``
after editing the rows below. The department list comes from DANE's DIVIPOLA file the territory
app ships, so its choice names are the DIVIPOLA codes the weighting margins use.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
DIVIPOLA = HERE.parents[1] / "territory" / "data" / "divipola.csv"
ES, EN = "label::Español (es)", "label::English (en)"
HEAD = [
    "type",
    "name",
    ES,
    EN,
    "hint::Español (es)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::Español (es)",
    "appearance",
    "parameters",
]
USES = "${usa_urna} = 'si'"

SURVEY = [
    # type, name, label es, label en, hint es, required, relevant, constraint, message,
    # appearance, parameters
    ["begin_group", "perfil", "Sobre usted", "About you"],
    [
        "select_one departamentos",
        "departamento",
        "¿En qué departamento vive?",
        "Which department do you live in?",
        "",
        "yes",
    ],
    ["select_one grupos_edad", "grupo_edad", "¿Cuál es su edad?", "How old are you?", "", "yes"],
    ["select_one sexos", "sexo", "¿Cuál es su sexo?", "What is your sex?", "", "yes"],
    ["end_group"],
    ["begin_group", "conocimiento", "Conocimiento de Urna", "Knowing Urna"],
    [
        "select_one si_no",
        "conoce_urna",
        "¿Conoce Urna, la plataforma de participación del Gobierno?",
        "Do you know Urna, the Government's participation platform?",
        "",
        "yes",
    ],
    [
        "select_multiple medios",
        "como_conocio",
        "¿Cómo se enteró de Urna?",
        "How did you hear of Urna?",
        "Puede elegir varias.",
        "yes",
        "${conoce_urna} = 'si'",
    ],
    ["end_group"],
    [
        "begin_group",
        "uso",
        "Uso de Urna y sus canales",
        "Using Urna and its channels",
        "",
        "",
        "${conoce_urna} = 'si'",
    ],
    [
        "select_one si_no",
        "usa_urna",
        "¿Ha participado o preguntado algo por Urna en el último año?",
        "Have you taken part or asked anything through Urna in the last year?",
        "",
        "yes",
    ],
    [
        "select_multiple canales",
        "canales",
        "¿Por cuáles canales?",
        "Through which channels?",
        "Puede elegir varios.",
        "yes",
        USES,
    ],
    [
        "select_one frecuencias",
        "frecuencia",
        "¿Con qué frecuencia usa Urna?",
        "How often do you use Urna?",
        "",
        "yes",
        USES,
    ],
    ["end_group"],
    ["begin_group", "satisfaccion", "Satisfacción", "Satisfaction", "", "", USES],
    [
        "range",
        "satisfaccion_general",
        "De 1 (nada) a 5 (mucho), ¿qué tan satisfecho está con Urna?",
        "From 1 (not at all) to 5 (very), how satisfied are you with Urna?",
        "",
        "yes",
        "",
        "",
        "",
        "",
        "start=1 end=5 step=1",
    ],
    [
        "begin_group",
        "satisfaccion_canal",
        "¿Qué tan satisfecho está con cada canal?",
        "How satisfied are you with each channel?",
        "",
        "",
        "",
        "",
        "",
        "table-list",
    ],
    ["select_one escala", "sat_web", "Página web", "Website", "", "yes"],
    ["select_one escala", "sat_sms", "Mensajes de texto (SMS)", "Text messages (SMS)", "", "yes"],
    ["select_one escala", "sat_whatsapp", "WhatsApp", "WhatsApp", "", "yes"],
    ["end_group"],
    [
        "integer",
        "recomendaria",
        "De 0 a 10, ¿recomendaría Urna a un familiar o amigo?",
        "From 0 to 10, would you recommend Urna to a relative or friend?",
        "",
        "yes",
        "",
        ". >= 0 and . <= 10",
        "Responda con un número de 0 a 10.",
    ],
    [
        "rank mejoras",
        "prioridades",
        "Ordene lo que más deberíamos mejorar",
        "Rank what we should improve first",
        "Del más al menos importante.",
        "yes",
    ],
    [
        "date",
        "ultima_vez",
        "¿Cuándo usó Urna por última vez? (aproximado)",
        "When did you last use Urna? (roughly)",
        "",
        "",
    ],
    [
        "text",
        "comentario",
        "¿Algo más que quiera decirnos?",
        "Anything else you want to tell us?",
        "No escriba datos personales.",
        "",
    ],
    ["end_group"],
]

LISTS = {
    "grupos_edad": [
        ("18_24", "18 a 24 años", "18 to 24"),
        ("25_34", "25 a 34 años", "25 to 34"),
        ("35_44", "35 a 44 años", "35 to 44"),
        ("45_54", "45 a 54 años", "45 to 54"),
        ("55_64", "55 a 64 años", "55 to 64"),
        ("65_mas", "65 años o más", "65 or older"),
    ],
    "sexos": [("mujer", "Mujer", "Female"), ("hombre", "Hombre", "Male")],
    "si_no": [("si", "Sí", "Yes"), ("no", "No", "No")],
    "medios": [
        ("radio_tv", "Radio o televisión", "Radio or TV"),
        ("redes", "Redes sociales", "Social media"),
        ("mensaje", "Un mensaje del Gobierno", "A message from the Government"),
        ("entidad", "Una entidad pública", "A public body"),
        ("conocido", "Un familiar o conocido", "A relative or acquaintance"),
    ],
    "canales": [
        ("web", "Página web", "Website"),
        ("sms", "SMS", "SMS"),
        ("whatsapp", "WhatsApp", "WhatsApp"),
        ("ussd", "USSD (*marcación)", "USSD"),
        ("telefono", "Llamada telefónica", "Phone call"),
        ("presencial", "En persona", "In person"),
    ],
    "frecuencias": [
        ("mensual", "Cada mes o más", "Monthly or more"),
        ("trimestral", "Algunas veces al año", "A few times a year"),
        ("una_vez", "Una sola vez", "Only once"),
    ],
    "escala": [
        ("1", "1 Nada satisfecho", "1 Not at all"),
        ("2", "2", "2"),
        ("3", "3", "3"),
        ("4", "4", "4"),
        ("5", "5 Muy satisfecho", "5 Very"),
    ],
    "mejoras": [
        ("rapidez", "Rapidez de las respuestas", "Speed of answers"),
        ("claridad", "Claridad de la información", "Clarity of information"),
        ("canales", "Más canales", "More channels"),
    ],
}


def departments() -> list[tuple[str, str, str]]:
    seen: dict[str, str] = {}
    with DIVIPOLA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            seen.setdefault(row["department_code"], row["department_name"].title())
    return [(code, name, name) for code, name in sorted(seen.items())]


def build(path: Path = HERE / "percepcion.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(HEAD)
    for row in SURVEY:
        sheet.append(row + [""] * (len(HEAD) - len(row)))
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", ES, EN])
    for list_name, items in {"departamentos": departments(), **LISTS}.items():
        for name, es, en in items:
            choices.append([list_name, name, es, en])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(["Encuesta de percepción de Urna", "percepcion", "2026.1", "Español (es)"])
    book.save(path)
    return path


if __name__ == "__main__":
    print(build())
