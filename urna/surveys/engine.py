"""The answering engine: which question comes next and whether an answer is valid.

One engine for every channel. The web form (a page per section), SMS and WhatsApp (a question a
message), USSD (a question a screen) and the operator's phone interview all ask it for the next
relevant question given the answers so far, and hand it what the citizen typed or picked; it
returns the value to store or raises ``InvalidAnswer`` with a clear Spanish message. Pure
functions of the form and the answers: nothing here reads or writes the database.

Answers are a dict keyed by question name: a choice's name (single), a list of names (multiple,
ranking in order), a dict row → choice (matrix), a number (number, scale), an ISO date (date),
a string (text); ``None`` is an optional question left blank. A question is "asked" once its
name is in the dict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from urna.core.text import ascii_plain
from urna.surveys.expressions import evaluate
from urna.surveys.form import Form, FormQuestion

MAX_TEXT = 1000
SKIP_WORDS = {"-", "NS", "SALTAR", "OMITIR", "PASAR"}
LIST_KINDS = {"single", "multiple", "ranking", "matrix"}


class InvalidAnswer(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _fold(text: str) -> str:
    return " ".join(ascii_plain(str(text)).upper().split())


def _n(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


# --- relevance ------------------------------------------------------------------------------
def is_relevant(form: Form, name: str, answers: Mapping[str, Any]) -> bool:
    question = form.questions[name]
    section = form.section(question.section)
    return evaluate(section.relevant, answers) and evaluate(question.relevant, answers)


def relevant_questions(form: Form, answers: Mapping[str, Any]) -> list[FormQuestion]:
    return [form.questions[n] for n in form.order if is_relevant(form, n, answers)]


def next_question(form: Form, answers: Mapping[str, Any]) -> FormQuestion | None:
    """The first relevant question not yet asked, or None when the survey is done."""
    for name in form.order:
        if name not in answers and is_relevant(form, name, answers):
            return form.questions[name]
    return None


def clean(form: Form, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers without those to questions a later answer made irrelevant, in form order
    (relevance only looks backwards, so one pass settles it)."""
    kept: dict[str, Any] = {}
    for name in form.order:
        if name in answers and is_relevant(form, name, kept):
            kept[name] = answers[name]
    return kept


def section_questions(form: Form, section: str, answers: Mapping[str, Any]) -> list[FormQuestion]:
    """The relevant questions of one section (the web's page) given the answers so far."""
    return [
        form.questions[n] for n in form.section(section).questions if is_relevant(form, n, answers)
    ]


def section_progress(form: Form, section: str) -> tuple[int, int]:
    """(this section's place, counted from 1, sections with questions) for the web form's
    "Sección 2 de 5": fixed by the form, so skip logic never changes the total (a section it
    skips is passed over, as a paper form says "pase a la sección 4")."""
    names = [s.name for s in form.sections if s.questions]
    return names.index(section) + 1, len(names)


def progress(form: Form, answers: Mapping[str, Any]) -> tuple[int, int]:
    """(questions asked, relevant questions) for a "3 of 12" line."""
    relevant = relevant_questions(form, answers)
    return sum(1 for q in relevant if q.name in answers), len(relevant)


# --- validation -----------------------------------------------------------------------------
def _empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip() or _fold(raw) in SKIP_WORDS
    return not raw


def validate(
    question: FormQuestion, raw: Any, *, answers: Mapping[str, Any], language: str = "es"
) -> Any:
    """The value to store for ``raw`` (typed text, or the web form's value), or InvalidAnswer."""
    if _empty(raw):
        if question.required:
            raise InvalidAnswer(_("Esta pregunta es obligatoria."))
        return None
    value = _PARSERS[question.kind](question, raw, language)
    if question.constraint and not evaluate(question.constraint, answers, current=value):
        message = question.constraint_message.get(language) or next(
            iter(question.constraint_message.values()), ""
        )
        raise InvalidAnswer(message or _("La respuesta no cumple la condición de esta pregunta."))
    return value


def _choice(question: FormQuestion, token: Any, language: str) -> str:
    names = question.choice_names()
    text = str(token).strip()
    if text in names:
        return text
    if text.isdigit() and 1 <= int(text) <= len(names):
        return names[int(text) - 1]
    folded = _fold(text)
    for choice in question.choices:
        if folded in {_fold(v) for v in choice.label.values()} | {_fold(choice.name)}:
            return choice.name
    raise InvalidAnswer(
        _("«%(value)s» no es una de las opciones. Responda con un número del 1 al %(n)s.")
        % {"value": text[:30], "n": len(names)}
    )


def _tokens(raw: Any) -> list[str]:
    if isinstance(raw, list | tuple):
        return [str(v) for v in raw if str(v).strip()]
    return [t for t in re.split(r"[\s,;]+", str(raw).strip()) if t]


def _single(question: FormQuestion, raw: Any, language: str) -> str:
    return _choice(question, raw, language)


def _multiple(question: FormQuestion, raw: Any, language: str) -> list[str]:
    picked = [_choice(question, token, language) for token in _tokens(raw)]
    return [name for name in question.choice_names() if name in picked]


def _ranking(question: FormQuestion, raw: Any, language: str) -> list[str]:
    order = [_choice(question, token, language) for token in _tokens(raw)]
    if sorted(order) != sorted(question.choice_names()):
        raise InvalidAnswer(
            _(
                "Ordene todas las opciones: escriba los %(n)s números en el orden que prefiera, "
                "separados por espacios."
            )
            % {"n": len(question.choices)}
        )
    return order


def _matrix(question: FormQuestion, raw: Any, language: str) -> dict[str, str]:
    rows = [row.name for row in question.rows]
    values = [raw.get(row, "") for row in rows] if isinstance(raw, Mapping) else _tokens(raw)
    if len(values) != len(rows) or any(not str(v).strip() for v in values):
        raise InvalidAnswer(
            _("Responda una opción por cada fila: %(n)s respuestas separadas por espacios.")
            % {"n": len(rows)}
        )
    return {
        row: _choice(question, value, language) for row, value in zip(rows, values, strict=True)
    }


def _number(question: FormQuestion, raw: Any, language: str) -> float | int:
    text = str(raw).strip().replace(" ", "")
    if question.integer and re.fullmatch(r"[+-]?\d+", text):
        value: float | int = int(text)
    elif not question.integer and re.fullmatch(r"[+-]?\d+([.,]\d+)?", text):
        value = float(text.replace(",", "."))
    else:
        raise InvalidAnswer(
            _("Escriba un número entero.") if question.integer else _("Escriba un número.")
        )
    low, high = question.minimum, question.maximum
    if low is not None and high is not None and not low <= value <= high:
        raise InvalidAnswer(
            _("El valor debe estar entre %(min)s y %(max)s.") % {"min": _n(low), "max": _n(high)}
        )
    if low is not None and value < low:
        raise InvalidAnswer(_("El valor debe ser mayor o igual que %(min)s.") % {"min": _n(low)})
    if high is not None and value > high:
        raise InvalidAnswer(_("El valor debe ser menor o igual que %(max)s.") % {"max": _n(high)})
    return value


def _scale(question: FormQuestion, raw: Any, language: str) -> float | int:
    value = _number(question, raw, language)
    start = question.minimum or 0
    step = question.step or 1
    if abs(((value - start) / step) - round((value - start) / step)) > 1e-9:
        raise InvalidAnswer(
            _("Elija un valor de la escala de %(min)s a %(max)s.")
            % {"min": _n(question.minimum), "max": _n(question.maximum)}
        )
    return value


def _date(question: FormQuestion, raw: Any, language: str) -> str:
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            day = datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
        if not date(1900, 1, 1) <= day <= date(2100, 12, 31):
            break
        return day.isoformat()
    raise InvalidAnswer(_("Escriba una fecha como 31/12/2025."))


def _text(question: FormQuestion, raw: Any, language: str) -> str:
    text = " ".join(str(raw).split())
    if len(text) > MAX_TEXT:
        raise InvalidAnswer(
            _("La respuesta es demasiado larga (máximo %(n)s caracteres).") % {"n": MAX_TEXT}
        )
    return text


_PARSERS = {
    "single": _single,
    "multiple": _multiple,
    "ranking": _ranking,
    "matrix": _matrix,
    "number": _number,
    "scale": _scale,
    "date": _date,
    "text": _text,
}


# --- prompts for one-question channels ------------------------------------------------------
def instruction(question: FormQuestion) -> str:
    kind = question.kind
    if kind == "single":
        return _("Responda con el número.")
    if kind == "multiple":
        return _("Responda con uno o varios números separados por espacios.")
    if kind == "ranking":
        return _("Escriba los números en orden de preferencia.")
    if kind == "matrix":
        return _("Responda un número por fila, separados por espacios.")
    if kind in {"number", "scale"} and question.minimum is not None:
        return _("Responda con un número de %(min)s a %(max)s.") % {
            "min": _n(question.minimum),
            "max": _n(question.maximum) if question.maximum is not None else "…",
        }
    if kind == "number":
        return _("Responda con un número.")
    if kind == "date":
        return _("Escriba la fecha como 31/12/2025.")
    return _("Escriba su respuesta.")


def prompt_lines(form: Form, question: FormQuestion, language: str) -> tuple[str, list[str]]:
    """(the question, its option lines) for a channel that shows one question at a time."""
    label = form.label(question.label, language)
    lines: list[str] = []
    if question.kind == "matrix":
        lines += [
            f"{chr(65 + i)}) {form.label(r.label, language)}" for i, r in enumerate(question.rows)
        ]
    lines += [f"{n} {form.label(c.label, language)}" for n, c in enumerate(question.choices, 1)]
    return label, lines
