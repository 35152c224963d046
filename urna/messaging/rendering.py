"""Message templates: ``{nombre}``-style variables, rendered without ever raising.

A dispatch's text, subject and HTML are written by staff and rendered once per recipient at send
time. ``{name}`` takes the recipient's variable, and a variable the recipient lacks or nobody
knows renders empty: a template never stops a send. Only plain names are variables: attribute and
index lookups (``{nombre.__class__}``), conversions (``!r``) and format specs (``:>99999``) are
ignored, so a template can neither reach into Python objects nor blow up a message's length.
``{{`` and ``}}`` write literal braces. A template whose braces do not pair (``"{nombre"``) is
refused when the dispatch is created (``template_errors``) and, should one reach the renderer,
is sent as written.

Variables: ``{nombre}``, ``{municipio}`` (from the contacts app's registered resolver),
``{enlace}`` (the dispatch's link, tracked per message) and ``{enlace_baja}`` (the unsubscribe
link). HTML templates escape the values they insert.
"""

import string
from collections.abc import Mapping
from typing import Any

from django.utils.html import escape

VARIABLES = ("nombre", "municipio", "enlace", "enlace_baja")


class _SafeFormatter(string.Formatter):
    def __init__(self, *, html: bool) -> None:
        self.html = html

    def get_field(self, field_name: str, args: Any, kwargs: Mapping[str, Any]) -> tuple[Any, str]:
        if "." in field_name or "[" in field_name or not field_name.isidentifier():
            return "", field_name
        return kwargs.get(field_name, ""), field_name

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        return value

    def format_field(self, value: Any, format_spec: str) -> str:
        text = "" if value is None else str(value)
        return escape(text) if self.html else text


_TEXT = _SafeFormatter(html=False)
_HTML = _SafeFormatter(html=True)


def render(template: str, variables: Mapping[str, Any], *, html: bool = False) -> str:
    """``template`` with its variables replaced; never raises."""
    if "{" not in template and "}" not in template:
        return template
    try:
        return (_HTML if html else _TEXT).vformat(template, (), variables)
    except (ValueError, IndexError, KeyError):  # unpaired braces: send the text as written
        return template


def template_fields(template: str) -> set[str]:
    """The variable names a template uses (empty for a malformed one)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError:
        return set()


def template_errors(template: str) -> str:
    """Why the template cannot be rendered as written ("" when it can)."""
    try:
        list(string.Formatter().parse(template))
    except ValueError as exc:
        return str(exc)
    return ""
