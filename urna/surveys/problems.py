"""What is wrong with an uploaded file (an XLSForm, a margins CSV), row by row, in Spanish.

``FileInvalid`` carries every problem found (sheet, row, column, message) so the staff page
lists them all at once and the API returns them; ``pyxform_problem`` turns one of pyxform's
English messages into a Spanish ``Problem`` with its row and column.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _

from urna.core.errors import InvalidInput

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    @property
    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(_("hoja «%(s)s»") % {"s": self.sheet})
        if self.row:
            parts.append(_("fila %(n)s") % {"n": self.row})
        if self.column:
            parts.append(_("columna «%(c)s»") % {"c": self.column})
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where.capitalize()}: {self.message}" if self.where else self.message


class FileInvalid(InvalidInput):
    """An uploaded file refused, with every problem found in it."""

    def __init__(self, problems: list[Problem], *, field: str = "file"):
        problems = problems[:MAX_PROBLEMS]
        if len(problems) == 1:
            message = str(problems[0])
        else:
            message = _("El archivo tiene %(n)s errores; corríjalos y súbalo de nuevo.") % {
                "n": len(problems)
            }
        super().__init__(message, code="file_invalid", field=field)
        self.problems = problems

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "problems": [asdict(p) for p in self.problems]}


# pyxform's messages (English) → Spanish, by a pattern of the message.
_PYXFORM = [
    (r"no name", "name", lambda m: _("Falta el nombre de la pregunta o del grupo.")),
    (
        r"'name' value '?([^' ]*)'? is invalid\. Questions, groups.*unique",
        "name",
        lambda m: _("El nombre «%(n)s» está repetido en el mismo grupo.") % {"n": m.group(1)},
    ),
    (
        r"Choice names must be unique",
        "name",
        lambda m: _("Hay un nombre de opción repetido en la misma lista."),
    ),
    (
        r"'name' value .*is invalid",
        "name",
        lambda m: _(
            "El nombre no es válido: debe empezar por una letra o «_» y seguir con letras, "
            "números, «_», «-» o «.»."
        ),
    ),
    (
        r"Unmatched 'begin_(group|repeat)'.*'([^']*)'",
        "type",
        lambda m: (
            _("El grupo «%(n)s» no tiene su «end_%(k)s».") % {"n": m.group(2), "k": m.group(1)}
        ),
    ),
    (
        r"Unmatched 'end_(group|repeat)'",
        "type",
        lambda m: _("Hay un «end_%(k)s» sin su «begin_%(k)s».") % {"k": m.group(1)},
    ),
    (
        r"should be a choices sheet",
        "",
        lambda m: _("Falta la hoja «choices» con las columnas list_name, name y label."),
    ),
    (
        r"List name not in choices sheet: (\S+)",
        "type",
        lambda m: _("La lista «%(n)s» no está en la hoja «choices».") % {"n": m.group(1)},
    ),
    (
        r"[Uu]nknown question type '([^']*)'",
        "type",
        lambda m: _("Tipo de pregunta desconocido: «%(t)s».") % {"t": m.group(1)},
    ),
    (
        r"survey sheet.*(missing|required)|must have a .survey. sheet",
        "",
        lambda m: _("Falta la hoja «survey» con las columnas type, name y label."),
    ),
]


def pyxform_problem(text: str) -> Problem:
    """A Spanish problem for one of pyxform's messages (its English text kept when unknown)."""
    row_match = re.search(r"\[row : (\d+)\]", text)
    sheet_match = re.search(r"On the '(\w+)' sheet", text)
    row = int(row_match.group(1)) if row_match else None
    sheet = sheet_match.group(1) if sheet_match else ("survey" if row else "")
    for pattern, column, spanish in _PYXFORM:
        found = re.search(pattern, text)
        if found:
            return Problem(spanish(found), sheet=sheet, row=row, column=column)
    detail = re.sub(r"\[row : \d+\]\s*", "", text).strip()[:300]
    return Problem(
        _("El XLSForm no es válido: %(why)s") % {"why": detail}, sheet=sheet, row=row, column=""
    )
