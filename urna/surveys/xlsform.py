"""XLSForm in and out: the format ODK and KoboToolbox users already write.

Import reads the workbook with ``pyxform`` (which checks the sheets, the types, the choice lists
and the names, and turns them into a tree) and maps that tree to a plain ``spec`` dict the
services save. Export writes the ``survey``, ``choices`` and ``settings`` sheets back with
openpyxl, so import → export → import gives the same survey.

Mapping: ``begin_group`` → a section (a nested group's ``relevant`` joins its questions'); a
``table-list`` group of ``select_one`` questions over one list → a matrix question (its rows are
the group's questions); ``select_one`` → single, ``select_multiple`` → multiple, ``rank`` →
ranking, ``range`` → scale (``parameters`` start/end/step), ``integer``/``decimal`` → number (a
constraint ``. >= a and . <= b`` gives its range), ``date``, ``text``. ``label::<language>``,
``hint::<language>`` and ``constraint_message::<language>`` columns become translations keyed
by language code (``Español (es)`` → ``es``). Metadata (start, end, deviceid …), notes and
calculations are left out, with a warning each.
"""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from pyxform.errors import PyXFormError
from pyxform.xls2json import parse_file_to_json

from urna.core.errors import InvalidInput
from urna.surveys.expressions import ExpressionError, bounds, parse
from urna.surveys.problems import FileInvalid, Problem, pyxform_problem

LANGUAGE_NAMES = {"es": "Español (es)", "en": "English (en)"}
KNOWN_LANGUAGES = {"espanol": "es", "español": "es", "spanish": "es", "english": "en"}
KINDS = {
    "select one": "single",
    "select all that apply": "multiple",
    "rank": "ranking",
    "range": "scale",
    "integer": "number",
    "decimal": "number",
    "date": "date",
    "text": "text",
}
SKIPPED = {"start", "end", "today", "deviceid", "phonenumber", "username", "audit", "calculate"}
TRUE = {"yes", "true", "true()", "1"}
MATRIX_RESERVED = ("generated_table_list_label_", "reserved_name_for_field_list_labels_")


def language_code(name: str, default: str = "es") -> str:
    if name in ("default", ""):
        return default
    found = re.search(r"\(([A-Za-z]{2,3})\)", name)
    if found:
        return found.group(1).lower()
    lowered = name.strip().lower()
    if re.fullmatch(r"[a-z]{2,3}", lowered):
        return lowered
    return KNOWN_LANGUAGES.get(lowered, lowered[:8])


class _Reader:
    def __init__(self, default_language: str, rows: dict[str, int] | None = None):
        self.default = default_language
        self.rows = rows or {}  # question or group name → its row on the survey sheet
        self.languages: list[str] = []
        self.warnings: list[str] = []

    def text(self, value: Any) -> dict[str, str]:
        if not value:
            return {}
        if isinstance(value, str):
            value = {"default": value}
        out = {}
        for name, text in value.items():
            code = language_code(name, self.default)
            out[code] = str(text)
            if code not in self.languages:
                self.languages.append(code)
        return out

    def expression(self, text: str, where: str, column: str = "relevant") -> str:
        text = (text or "").strip()
        try:
            parse(text)
        except ExpressionError as exc:
            message = _("La expresión «%(expr)s» de «%(name)s» no se puede usar: %(why)s.") % {
                "expr": text[:80],
                "name": where,
                "why": exc,
            }
            problem = Problem(message, sheet="survey", row=self.rows.get(where), column=column)
            raise FileInvalid([problem]) from exc
        return text

    def choices(self, node: dict) -> list[dict]:
        return [
            {"name": str(c["name"]), "label": self.text(c.get("label"))}
            for c in node.get("choices", [])
        ]

    def question(self, node: dict, relevant: str) -> dict | None:
        kind = KINDS.get(node.get("type", ""))
        if kind is None:
            self.warnings.append(
                _("Se omitió «%(name)s» (tipo %(type)s).")
                % {"name": node.get("name"), "type": node.get("type")}
            )
            return None
        bind = node.get("bind", {})
        own = self.expression(bind.get("relevant", ""), node["name"])
        spec = {
            "name": node["name"],
            "kind": kind,
            "label": self.text(node.get("label")),
            "hint": self.text(node.get("hint")),
            "required": str(bind.get("required", "")).strip().lower() in TRUE,
            "relevant": _join(relevant, own),
            "constraint": self.expression(bind.get("constraint", ""), node["name"], "constraint"),
            "constraint_message": self.text(bind.get("jr:constraintMsg")),
            "integer": node.get("type") != "decimal",
            "list_name": node.get("list_name") or node.get("itemset") or "",
            "choices": self.choices(node) if kind in {"single", "multiple", "ranking"} else [],
        }
        if kind == "scale":
            params = node.get("parameters", {})
            spec["minimum"] = float(params.get("start", 1))
            spec["maximum"] = float(params.get("end", 10))
            spec["step"] = float(params.get("step", 1))
            spec["integer"] = all(float(v).is_integer() for v in params.values() if v)
        elif kind == "number":
            spec["minimum"], spec["maximum"] = bounds(spec["constraint"])
        return spec

    def matrix(self, node: dict, relevant: str) -> dict | None:
        rows = [c for c in node.get("children", []) if not c["name"].startswith(MATRIX_RESERVED)]
        lists = {c.get("itemset") for c in rows}
        if not rows or any(c.get("type") != "select one" for c in rows) or len(lists) != 1:
            return None
        note = next((c for c in node["children"] if c["name"].startswith(MATRIX_RESERVED[0])), {})
        bind = node.get("bind", {})
        return {
            "name": node["name"],
            "kind": "matrix",
            "label": self.text(node.get("label") or note.get("label")),
            "hint": {},
            "required": any(
                str(c.get("bind", {}).get("required", "")).lower() in TRUE for c in rows
            ),
            "relevant": _join(relevant, self.expression(bind.get("relevant", ""), node["name"])),
            "constraint": "",
            "constraint_message": {},
            "integer": True,
            "list_name": rows[0].get("itemset") or "",
            "choices": self.choices(rows[0]),
            "rows": [{"name": c["name"], "label": self.text(c.get("label"))} for c in rows],
        }


def _join(a: str, b: str) -> str:
    if a and b:
        return f"({a}) and ({b})"
    return a or b


def _is_matrix_group(node: dict) -> bool:
    return node.get("type") == "group" and any(
        c.get("name", "").startswith(MATRIX_RESERVED) for c in node.get("children", [])
    )


def _flatten(reader: _Reader, node: dict, relevant: str, out: list[dict]) -> None:
    for child in node.get("children", []):
        if child.get("type") == "group" and child.get("name") == "meta":
            continue
        if _is_matrix_group(child):
            spec = reader.matrix(child, relevant)
            if spec:
                out.append(spec)
            continue
        if child.get("type") in {"group", "repeat"}:
            own = reader.expression(child.get("bind", {}).get("relevant", ""), child["name"])
            _flatten(reader, child, _join(relevant, own), out)
            continue
        if child.get("type") in SKIPPED:
            continue
        spec = reader.question(child, relevant)
        if spec:
            out.append(spec)


def _sections(reader: _Reader, tree: dict) -> list[dict]:
    sections: list[dict] = []
    loose: list[dict] = []

    def flush() -> None:
        if loose:
            sections.append(
                {
                    "name": f"seccion_{len(sections) + 1}",
                    "label": {},
                    "relevant": "",
                    "questions": list(loose),
                }
            )
            loose.clear()

    for child in tree.get("children", []):
        if (
            child.get("type") == "group"
            and child.get("name") != "meta"
            and not _is_matrix_group(child)
        ):
            flush()
            questions: list[dict] = []
            _flatten(reader, child, "", questions)
            relevant = reader.expression(child.get("bind", {}).get("relevant", ""), child["name"])
            sections.append(
                {
                    "name": child["name"],
                    "label": reader.text(child.get("label")),
                    "relevant": relevant,
                    "questions": questions,
                }
            )
        else:
            _flatten(reader, {"children": [child]}, "", loose)
    flush()
    return [s for s in sections if s["questions"]]


def _survey_rows(path: str) -> dict[str, int]:
    """Name → row number on the survey sheet (for problems pyxform does not place)."""
    if not path.endswith(".xlsx"):
        return {}
    book = load_workbook(path, read_only=True)
    try:
        sheet = next((book[n] for n in book.sheetnames if n.strip().lower() == "survey"), None)
        if sheet is None:
            return {}
        lines = sheet.iter_rows(values_only=True)
        head = [str(h or "").strip().lower() for h in next(lines, ())]
        if "name" not in head:
            return {}
        at = head.index("name")
        return {
            str(r[at]).strip(): n
            for n, r in enumerate(lines, start=2)
            if len(r) > at and r[at] is not None
        }
    finally:
        book.close()


def xlsform_read(file: IO[bytes], *, filename: str = "form.xlsx") -> dict[str, Any]:
    """The spec of an XLSForm workbook (.xlsx or .xls), or InvalidInput with pyxform's reason."""
    suffix = Path(filename).suffix.lower() or ".xlsx"
    if suffix not in {".xlsx", ".xls"}:
        raise InvalidInput(_("Suba un archivo XLSForm (.xlsx o .xls)."), field="file")
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(file.read())
        tmp.flush()
        try:
            tree = parse_file_to_json(tmp.name, warnings=[])
        except (PyXFormError, ValueError, KeyError) as exc:
            raise FileInvalid([pyxform_problem(str(exc))]) from exc
        rows = _survey_rows(tmp.name)
    default = language_code(tree.get("default_language", "default"), "es")
    reader = _Reader(default, rows)
    sections = _sections(reader, tree)
    if not sections:
        raise InvalidInput(_("El formulario no tiene preguntas que Urna pueda usar."), field="file")
    languages = sorted(reader.languages or [default], key=lambda code: code != default)
    title = tree.get("title") or tree.get("id_string") or "encuesta"
    return {
        "code": str(tree.get("id_string") or "encuesta")[:40],
        "title": {languages[0]: str(title)},
        "version": str(tree.get("version") or ""),
        "languages": languages,
        "sections": sections,
        "warnings": reader.warnings,
    }


# --- export ---------------------------------------------------------------------------------
def _column(prefix: str, language: str) -> str:
    return f"{prefix}::{LANGUAGE_NAMES.get(language, f'{language} ({language})')}"


def _type(question: Any) -> str:
    kind = question.kind
    if kind == "single":
        return f"select_one {question.list_name}"
    if kind == "multiple":
        return f"select_multiple {question.list_name}"
    if kind == "ranking":
        return f"rank {question.list_name}"
    if kind == "scale":
        return "range"
    if kind == "number":
        return "integer" if question.integer else "decimal"
    return kind


def _n(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _choices_and_settings(book: Workbook, form: Any, lists: dict[str, list]) -> None:
    langs = list(form.languages)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *[_column("label", lang) for lang in langs]])
    for list_name, items in lists.items():
        for choice in items:
            choices.append(
                [list_name, choice.name, *[choice.label.get(lang, "") for lang in langs]]
            )
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([form.label(form.title), form.code, form.version, _column("x", langs[0])[3:]])


def xlsform_write(form: Any) -> bytes:
    """The XLSForm workbook of a form (``urna.surveys.form.Form``)."""
    langs = list(form.languages)
    head = [
        "type",
        "name",
        *[_column("label", lang) for lang in langs],
        *[_column("hint", lang) for lang in langs],
        "required",
        "relevant",
        "constraint",
        *[_column("constraint_message", lang) for lang in langs],
        "appearance",
        "parameters",
    ]
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(head)
    lists: dict[str, list] = {}

    def row(
        kind: str,
        name: str,
        label: dict,
        *,
        hint=None,
        required=False,
        relevant="",
        constraint="",
        message=None,
        appearance="",
        parameters="",
    ) -> None:
        sheet.append(
            [
                kind,
                name,
                *[label.get(lang, "") for lang in langs],
                *[(hint or {}).get(lang, "") for lang in langs],
                "yes" if required else "",
                relevant,
                constraint,
                *[(message or {}).get(lang, "") for lang in langs],
                appearance,
                parameters,
            ]
        )

    for section in form.sections:
        row("begin_group", section.name, section.label, relevant=section.relevant)
        for name in section.questions:
            q = form.questions[name]
            if q.list_name:
                lists.setdefault(q.list_name, list(q.choices))
            if q.kind == "matrix":
                row("begin_group", q.name, q.label, relevant=q.relevant, appearance="table-list")
                for r in q.rows:
                    row(f"select_one {q.list_name}", r.name, r.label, required=q.required)
                row("end_group", "", {})
                continue
            parameters = ""
            if q.kind == "scale":
                parameters = f"start={_n(q.minimum)} end={_n(q.maximum)} step={_n(q.step or 1)}"
            row(
                _type(q),
                q.name,
                q.label,
                hint=q.hint,
                required=q.required,
                relevant=q.relevant,
                constraint=q.constraint,
                message=q.constraint_message,
                parameters=parameters,
            )
        row("end_group", "", {})
    _choices_and_settings(book, form, lists)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
