"""Demo data: the perception survey imported from ``data/percepcion.xlsx``, opened, answered by
web, SMS and USSD through the answering engine, weighted to the 2018 census's sex margin and
published with its results. Idempotent: a second run finds the survey and does nothing."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from urna.entities.models import Entity
from urna.surveys import engine
from urna.surveys.form import FormQuestion, form_of
from urna.surveys.margins import margin_set_shipped
from urna.surveys.models import Survey
from urna.surveys.results import results_compute
from urna.surveys.services import (
    response_answer,
    response_start,
    response_submit,
    survey_answer,
    survey_create_from_spec,
    survey_next_prompt,
    survey_session_start,
    survey_transition,
    survey_weighting_set,
)
from urna.surveys.xlsform import xlsform_read

TEMPLATE = Path(__file__).resolve().parent / "data" / "percepcion.xlsx"
PER_CHANNEL = 20


def _typed(question: FormQuestion, rng: random.Random) -> str:
    """What a respondent might type for a question (a valid answer)."""
    kind, n = question.kind, len(question.choices)
    if kind == "single":
        return str(rng.randint(1, n))
    if kind == "multiple":
        return " ".join(str(i) for i in sorted(rng.sample(range(1, n + 1), rng.randint(1, n))))
    if kind == "ranking":
        return " ".join(str(i) for i in rng.sample(range(1, n + 1), n))
    if kind == "matrix":
        return " ".join(str(rng.randint(1, n)) for _row in question.rows)
    if kind in {"scale", "number"}:
        low, high = int(question.minimum or 0), int(question.maximum or 10)
        return str(rng.randint(low, high))
    if kind == "date":
        return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2026"
    return "-"


def _path(form: Any, rng: random.Random) -> list[tuple[str, str]]:
    answers: dict[str, Any] = {}
    typed = []
    while (question := engine.next_question(form, answers)) is not None:
        raw = _typed(question, rng)
        answers[question.name] = engine.validate(question, raw, answers=answers)
        typed.append((question.name, raw))
    return typed


def demo_load(*, stdout: Any) -> Survey:
    existing = Survey.objects.filter(code="percepcion").first()
    if existing is not None:
        return existing
    entity = Entity.objects.get(acronym="MINTIC")
    with TEMPLATE.open("rb") as handle:
        survey = survey_create_from_spec(entity=entity, spec=xlsform_read(handle))
    survey = survey_transition(survey=survey, action="open", by=None, system=True)
    survey_weighting_set(
        survey=survey,
        margin_set=margin_set_shipped("cnpv2018-sexo"),
        quotas={("sex", "mujer"): 30, ("sex", "hombre"): 30},
        by=None,
        system=True,
    )
    form = form_of(survey)
    rng = random.Random(17)  # noqa: S311 - demo answers, reproducible
    for i in range(PER_CHANNEL):
        typed = _path(form, rng)
        web = response_start(survey=survey, channel="web")
        response_answer(response=web, values=dict(typed))
        session = survey_session_start(survey=survey, channel="sms", address=f"+5730099{i:05d}")
        survey_next_prompt(session)
        for _name, raw in _path(form, rng):
            survey_answer(session, raw)
        response_submit(survey=survey, channel="ussd", values=_path(form, rng), key=f"demo:{i}")
    Survey.objects.filter(pk=survey.pk).update(published=True)
    summary = results_compute(survey_id=survey.pk)
    stdout.write(
        f"Encuesta de percepción: {summary['complete']} respuestas (web, SMS, USSD), "
        f"{summary['weighted']} ponderadas.\n"
    )
    return survey
