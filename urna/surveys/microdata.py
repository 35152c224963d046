"""Anonymised microdata for open data: one row per complete response, with its weight and its
closed answers, never free text, contact or operator.

Small cells are suppressed: where fewer than ``K`` responses share a (department, age group,
sex) combination, the age group is generalised away; where (department, sex) is still under
``K``, the sex too; where the department alone is, the department too. The weight is published
as the mean weight of its published cell (``cell_weights``): a raked weight is a function of
those three values and would otherwise give back the one withheld. Every download of the
microdata (the survey's own, open data) goes through ``microdata_rows``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from urna.surveys.form import form_of
from urna.surveys.models import Response, Survey

K = 5
CLOSED = {"single", "multiple", "scale", "number", "ranking", "matrix"}


def _generalise(rows: list[list[str]]) -> list[list[str]]:
    for width in (3, 2, 1):
        counts = Counter(tuple(r[:width]) for r in rows)
        for r in rows:
            if counts[tuple(r[:width])] < K:
                r[width - 1] = ""
    return rows


WEIGHT = 4  # the weight's position in a microdata row (after row, department, age group, sex)


def cell_weights(rows: list[list[Any]]) -> list[list[Any]]:
    """The rows with each weight replaced by the mean weight of its published cell (the same
    department, age group and sex as published, generalised ones included). Constant within a
    published cell, the weight tells nothing more than the cell does, and the weighted total of
    each cell is unchanged. A missing weight stays missing."""
    groups: dict[tuple, list[float]] = defaultdict(list)
    for row in rows:
        if row[WEIGHT] is not None:
            groups[tuple(row[1:WEIGHT])].append(row[WEIGHT])
    for row in rows:
        if row[WEIGHT] is not None:
            weights = groups[tuple(row[1:WEIGHT])]
            row[WEIGHT] = round(sum(weights) / len(weights), 6)
    return rows


def _columns(survey: Survey) -> list[str]:
    form = form_of(survey)
    names = [n for n in form.order if form.questions[n].kind in CLOSED]
    return [n for n in names if n not in (survey.weighting or {}).values()]


def microdata_rows(survey: Survey) -> tuple[list[str], Iterator[list[Any]]]:
    """(header, rows) of a survey's anonymised microdata."""
    names = _columns(survey)
    data = list(
        Response.objects.filter(survey=survey, status=Response.Status.COMPLETE)
        .order_by("id")
        .values_list("department", "age_group", "sex", "weight", "answers")
    )
    quasi = _generalise([[d, s, a] for d, a, s, _w, _ans in data])
    header = ["fila", "departamento", "grupo_edad", "sexo", "peso", *names]

    rows = [
        [i, q[0], q[2], q[1], weight, *[_flat(answers.get(n)) for n in names]]
        for i, ((_d, _a, _s, weight, answers), q) in enumerate(zip(data, quasi, strict=True), 1)
    ]
    return header, iter(cell_weights(rows))


def _flat(value: Any) -> Any:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())
    return value


def microdata_schema(survey: Survey) -> list[tuple[str, str, str, tuple[str, ...] | None]]:
    """The microdata's columns for a Table Schema, in ``microdata_rows`` order: (name, type,
    description, allowed values or None)."""
    form = form_of(survey)
    out: list[tuple[str, str, str, tuple[str, ...] | None]] = [
        (
            "fila",
            "integer",
            _("Número de la respuesta en esta tabla (no identifica a nadie)."),
            None,
        ),
        (
            "departamento",
            "string",
            _("Código DANE del departamento; vacío si la celda era pequeña."),
            None,
        ),
        ("grupo_edad", "string", _("Grupo de edad; vacío si la celda era pequeña."), None),
        ("sexo", "string", _("Sexo; vacío si la celda era pequeña."), None),
        (
            "peso",
            "number",
            _(
                "Peso tras el raking a los márgenes de población, promediado en la celda "
                "publicada (departamento, grupo de edad, sexo) para que no revele un dato "
                "suprimido."
            ),
            None,
        ),
    ]
    for name in _columns(survey):
        q = form.questions[name]
        label = form.label(q.label)
        if q.kind == "single":
            out.append((name, "string", label, tuple(q.choice_names())))
        elif q.kind in {"number", "scale"}:
            out.append((name, "integer" if q.integer else "number", label, None))
        else:
            how = {
                "multiple": _("opciones elegidas, separadas por espacios"),
                "ranking": _("opciones en el orden elegido, separadas por espacios"),
                "matrix": _("fila=opción por cada fila, separadas por espacios"),
            }[q.kind]
            out.append((name, "string", f"{label} ({how})", None))
    return out
