"""Answers to closed questions, in whatever form a channel sends them, to their stored form.

Accepted forms of ``choice``:

- single choice: the option's key (``"b"``) or its number as shown, counting from 1 (``"2"``/``2``);
- multiple choice: a list of keys or numbers, or one string of them separated by commas or spaces
  (``"1 3"``, ``"a,c"``); stored as the keys in the options' order, joined by commas;
- yes/no: ``"si"``/``"sí"``/``"s"``/``"yes"``/``True``/``"1"`` or
  ``"no"``/``"n"``/``False``/``"2"``; stored as ``"si"`` or ``"no"``;
- scale: an integer 1–5 (or its digit as text); stored as ``"1"``..``"5"``.
"""

import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from urna.core.errors import InvalidInput
from urna.exercises.models import ClosedQuestion
from urna.exercises.selectors import QuestionRules

_YES = {"si", "sí", "s", "yes", "y", "1", "true"}
_NO = {"no", "n", "2", "false"}


def _choice_error() -> InvalidInput:
    return InvalidInput(
        _("La respuesta no corresponde a las opciones de la pregunta."), field="choice"
    )


def _option_key(rules: QuestionRules, raw: Any) -> str:
    text = str(raw).strip().lower()
    if text in rules.keys:
        return text
    if text.isdigit() and 1 <= int(text) <= len(rules.keys):
        return rules.keys[int(text) - 1]
    raise _choice_error()


def choice_parse(rules: QuestionRules, raw: Any) -> str:
    """The canonical stored form of an answer (see the module docstring for accepted forms)."""
    if raw is None or raw == "" or raw == []:
        raise InvalidInput(_("Elija una respuesta."), field="choice")
    if rules.kind == ClosedQuestion.Kind.YES_NO:
        if isinstance(raw, bool):
            return "si" if raw else "no"
        text = unicodedata.normalize("NFC", str(raw)).strip().lower()
        if text in _YES:
            return "si"
        if text in _NO:
            return "no"
        raise _choice_error()
    if rules.kind == ClosedQuestion.Kind.SCALE:
        text = str(raw).strip()
        if isinstance(raw, bool) or not text.isdigit() or not 1 <= int(text) <= 5:
            raise InvalidInput(_("La respuesta debe ser un número del 1 al 5."), field="choice")
        return str(int(text))
    if rules.kind == ClosedQuestion.Kind.SINGLE:
        if isinstance(raw, list | tuple):
            if len(raw) != 1:
                raise InvalidInput(_("Elija una sola opción."), field="choice")
            raw = raw[0]
        return _option_key(rules, raw)
    items = raw if isinstance(raw, list | tuple) else re.split(r"[\s,;]+", str(raw).strip())
    keys = {_option_key(rules, item) for item in items if str(item).strip()}
    if not keys:
        raise InvalidInput(_("Elija una respuesta."), field="choice")
    return ",".join(key for key in rules.keys if key in keys)
