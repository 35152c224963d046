"""The survey's results: raked weights and, per question, weighted estimates with their margin
of error and design effect beside unweighted counts, plus quota counts against targets.

``results_compute`` is the ``surveys.results`` job's body: it reads the complete responses
once, rakes them to the survey's margins, writes every response's weight, and stores the whole
result as one ``SurveyResult`` row the results page reads (no page ever aggregates responses).
Free-text answers are never aggregated nor published: they may carry personal data.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from urna.surveys.form import Form, FormQuestion, form_of
from urna.surveys.models import Margin, Quota, Response, Survey, SurveyResult
from urna.surveys.weighting import Estimate, kish_deff, mean, proportion, rake

DIMENSIONS = ("department", "age_group", "sex")


def _round(value: float, digits: int = 4) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), digits)


def _estimate(e: Estimate) -> dict[str, Any]:
    return {"value": _round(e.value), "moe": _round(e.moe), "deff": _round(e.deff, 3), "n": e.n}


def _weights(survey: Survey, frame: dict[str, list[str]]) -> tuple[np.ndarray, dict]:
    n = len(frame["department"])
    if survey.margin_set_id is None:
        return np.ones(n), {"margins": False}
    margins: dict[str, dict[str, float]] = {}
    for dim, category, population in Margin.objects.filter(
        margin_set_id=survey.margin_set_id
    ).values_list("dimension", "category", "population"):
        margins.setdefault(dim, {})[category] = float(population)
    raking = rake(frame, margins)
    return raking.weights, {
        "margins": True,
        "dropped": raking.dropped,
        "dimensions": sorted(margins),
    }


def _choice_rows(question: FormQuestion, weights, picked: list[Any], form: Form) -> list[dict]:
    rows = []
    answered = np.array([p is not None for p in picked], dtype=bool)
    w = weights[answered]
    values = [p for p in picked if p is not None]
    for choice in question.choices:
        if question.kind == "single":
            hits = np.array([v == choice.name for v in values], dtype=bool)
        else:
            hits = np.array([choice.name in v for v in values], dtype=bool)
        row = _estimate(proportion(w, hits)) if len(values) else {"value": None, "n": 0}
        row.update(name=choice.name, label=form.label(choice.label), count=int(hits.sum()))
        rows.append(row)
    return rows


def _question_result(question: FormQuestion, weights, answers: list[dict], form: Form) -> dict:
    picked = [a.get(question.name) for a in answers]
    out: dict[str, Any] = {
        "name": question.name,
        "kind": question.kind,
        "label": form.label(question.label),
        "n": sum(1 for p in picked if p not in (None, "", [], {})),
    }
    if question.kind in {"single", "multiple"}:
        out["choices"] = _choice_rows(question, weights, picked, form)
    elif question.kind in {"number", "scale"}:
        values = np.array([float(p) if p is not None else np.nan for p in picked])
        out["mean"] = _estimate(mean(weights, values))
    elif question.kind == "ranking":
        # The weighted mean position of each choice (1 = first).
        out["choices"] = []
        for choice in question.choices:
            positions = np.array(
                [p.index(choice.name) + 1 if p and choice.name in p else np.nan for p in picked]
            )
            row = _estimate(mean(weights, positions))
            row.update(name=choice.name, label=form.label(choice.label))
            out["choices"].append(row)
    elif question.kind == "matrix":
        out["rows"] = []
        for row in question.rows:
            cells = [p.get(row.name) if isinstance(p, dict) else None for p in picked]
            single = FormQuestion(
                name=row.name, kind="single", section="", label=row.label, choices=question.choices
            )
            out["rows"].append(
                {
                    "name": row.name,
                    "label": form.label(row.label),
                    "choices": _choice_rows(single, weights, cells, form),
                }
            )
    return out


def _quotas(survey: Survey, frame: dict[str, list[str]]) -> list[dict]:
    counts = {dim: Counter(frame[dim]) for dim in DIMENSIONS}
    return [
        {
            "dimension": q.dimension,
            "category": q.category,
            "target": q.target,
            "count": counts[q.dimension].get(q.category, 0),
        }
        for q in Quota.objects.filter(survey=survey)
    ]


def _store_weights(ids: list[int], weights: np.ndarray) -> None:
    table = Response._meta.db_table
    rows = [(None if math.isnan(w) else float(w), pk) for pk, w in zip(ids, weights, strict=True)]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET weight = %s WHERE id = %s", rows)  # noqa: S608


def results_labelled(payload: dict[str, Any], form: Form, language: str) -> dict[str, Any]:
    """The stored results with question, row and option labels in ``language``.

    The payload is computed once for every reader, with the form's first language; the labels
    are chosen again when the page is read, by name, from the form that keeps every
    translation. A question or option the form no longer has keeps its stored label.
    """

    def choices(question: FormQuestion | None, rows: list[dict]) -> list[dict]:
        labels = {c.name: c.label for c in question.choices} if question else {}
        return [
            {**row, "label": form.label(labels[row["name"]], language)}
            if row.get("name") in labels
            else row
            for row in rows
        ]

    questions = []
    for stored in payload.get("questions", []):
        question = form.questions.get(stored.get("name", ""))
        out = dict(stored)
        if question is not None:
            out["label"] = form.label(question.label, language)
        if "choices" in stored:
            out["choices"] = choices(question, stored["choices"])
        if "rows" in stored:
            row_labels = {r.name: r.label for r in question.rows} if question else {}
            out["rows"] = [
                {
                    **row,
                    "label": form.label(row_labels[row["name"]], language)
                    if row.get("name") in row_labels
                    else row.get("label", ""),
                    "choices": choices(question, row.get("choices", [])),
                }
                for row in stored["rows"]
            ]
        questions.append(out)
    return {**payload, "questions": questions}


def results_compute(*, survey_id: int) -> dict[str, Any]:
    """Rake, estimate and store a survey's results; returns a summary for the job's log."""
    survey = Survey.objects.get(pk=survey_id)
    form = form_of(survey)
    rows = list(
        Response.objects.filter(survey=survey, status=Response.Status.COMPLETE)
        .order_by("id")
        .values_list("id", "department", "age_group", "sex", "answers")
    )
    ids = [r[0] for r in rows]
    frame = {dim: [r[i + 1] for r in rows] for i, dim in enumerate(DIMENSIONS)}
    answers = [r[4] for r in rows]
    weights, weighting = _weights(survey, frame)
    questions = [
        _question_result(form.questions[name], weights, answers, form)
        for name in form.order
        if form.questions[name].kind not in {"text", "date"}
    ]
    weighted = int(np.count_nonzero(~np.isnan(weights)))
    deff = kish_deff(weights) if weighted else float("nan")
    payload = {
        "weighting": weighting,
        "questions": questions,
        "quotas": _quotas(survey, frame),
        "channels": dict(
            Counter(
                Response.objects.filter(survey=survey, status=Response.Status.COMPLETE).values_list(
                    "channel", flat=True
                )
            )
        ),
    }
    with transaction.atomic():
        _store_weights(ids, weights)
        SurveyResult.objects.update_or_create(
            survey=survey,
            defaults={
                "computed_at": timezone.now(),
                "complete": len(rows),
                "weighted": weighted,
                "deff": _round(deff, 3),
                "payload": payload,
            },
        )
    return {"complete": len(rows), "weighted": weighted}
