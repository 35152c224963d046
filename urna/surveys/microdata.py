"""Anonymised microdata for open data: one row per complete response, with its weight and its
closed answers, never free text, contact or operator.

Small cells are suppressed: where fewer than ``K`` responses share a (department, age group,
sex) combination, the age group is generalised away; where (department, sex) is still under
``K``, the sex too; where the department alone is, the department too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

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


def microdata_rows(survey: Survey) -> tuple[list[str], Iterator[list[Any]]]:
    """(header, rows) of a survey's anonymised microdata."""
    form = form_of(survey)
    names = [n for n in form.order if form.questions[n].kind in CLOSED]
    names = [n for n in names if n not in (survey.weighting or {}).values()]
    data = list(
        Response.objects.filter(survey=survey, status=Response.Status.COMPLETE)
        .order_by("id")
        .values_list("department", "age_group", "sex", "weight", "answers")
    )
    quasi = _generalise([[d, s, a] for d, a, s, _w, _ans in data])
    header = ["fila", "departamento", "grupo_edad", "sexo", "peso", *names]

    def rows() -> Iterator[list[Any]]:
        for i, ((_d, _a, _s, weight, answers), q) in enumerate(zip(data, quasi, strict=True), 1):
            values = [_flat(answers.get(n)) for n in names]
            yield [i, q[0], q[2], q[1], weight, *values]

    return header, rows()


def _flat(value: Any) -> Any:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())
    return value
