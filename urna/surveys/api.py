"""Public API of perception surveys: the surveys, a survey's form in a language, answering it
(validated by the same engine as every channel, idempotent with ``idempotency_key``) and its
results (weighted estimates with margins of error and design effect, unweighted counts).

Nothing here returns personal data: results are aggregates of closed questions only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from urna.core.errors import NotFound
from urna.core.links import absolute_url
from urna.surveys import selectors
from urna.surveys.form import Form, form_of
from urna.surveys.models import Survey
from urna.surveys.permissions import RESULTS, can
from urna.surveys.services import response_submit_answers

router = Router(tags=["encuestas"])


class SurveyOut(Schema):
    slug: str
    code: str
    title: str
    entity: str
    status: str
    languages: list[str]
    results_public: bool
    opened_at: datetime | None
    closed_at: datetime | None
    url: str


class ChoiceOut(Schema):
    name: str
    label: str


class QuestionOut(Schema):
    name: str
    kind: str
    section: str
    label: str
    hint: str
    required: bool
    relevant: str = Field(description="Expresión XLSForm: la pregunta se hace si se cumple.")
    constraint: str
    minimum: float | None
    maximum: float | None
    step: float | None
    integer: bool
    choices: list[ChoiceOut]
    rows: list[ChoiceOut]


class FormOut(Schema):
    slug: str
    title: str
    language: str
    languages: list[str]
    questions: list[QuestionOut]


class FormQuery(Schema):
    language: str | None = Field(None, description="Código del idioma (es, en).")


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(
        description=(
            "Respuestas por nombre de pregunta: el nombre de la opción (opción única), una lista "
            "(múltiple; ordenamiento en orden), un objeto fila → opción (matriz), un número, una "
            "fecha AAAA-MM-DD o un texto. Las preguntas ocultas por los saltos no se responden."
        )
    )
    language: str | None = None
    idempotency_key: str | None = Field(None, max_length=120)


class ResponseOut(Schema):
    created: bool
    status: str


class ErrorOut(Schema):
    code: str
    detail: str
    errors: dict[str, list[str]] | None = None


def _survey_out(survey: Survey) -> dict[str, Any]:
    return {
        "slug": survey.slug,
        "code": survey.code,
        "title": survey.label,
        "entity": survey.entity.acronym or survey.entity.name,
        "status": survey.status,
        "languages": survey.languages,
        "results_public": survey.published,
        "opened_at": survey.opened_at,
        "closed_at": survey.closed_at,
        "url": absolute_url(f"/encuestas/{survey.slug}/"),
    }


@router.get("", response=list[SurveyOut], summary="Encuestas abiertas o con resultados publicados")
def survey_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_survey_out(s) for s in selectors.surveys_public_list()]


def _public(slug: str) -> Survey:
    return selectors.survey_public(slug)


def _relevant(section: str, own: str) -> str:
    return f"({section}) and ({own})" if section and own else section or own


def _question_out(form: Form, name: str, language: str) -> dict[str, Any]:
    q = form.questions[name]
    return {
        "name": q.name,
        "kind": q.kind,
        "section": q.section,
        "label": form.label(q.label, language),
        "hint": form.label(q.hint, language) if q.hint else "",
        "required": q.required,
        "relevant": _relevant(form.section(q.section).relevant, q.relevant),
        "constraint": q.constraint,
        "minimum": q.minimum,
        "maximum": q.maximum,
        "step": q.step,
        "integer": q.integer,
        "choices": [{"name": c.name, "label": form.label(c.label, language)} for c in q.choices],
        "rows": [{"name": r.name, "label": form.label(r.label, language)} for r in q.rows],
    }


@router.get(
    "/{slug}/form",
    response={200: FormOut, 404: ErrorOut},
    summary="El formulario de una encuesta en un idioma",
)
def survey_form(request: HttpRequest, slug: str, filters: Query[FormQuery]) -> dict[str, Any]:
    survey = _public(slug)
    form = form_of(survey)
    language = filters.language if filters.language in form.languages else form.languages[0]
    return {
        "slug": survey.slug,
        "title": form.label(form.title, language),
        "language": language,
        "languages": list(form.languages),
        "questions": [_question_out(form, name, language) for name in form.order],
    }


@router.post(
    "/{slug}/responses",
    response={200: ResponseOut, 201: ResponseOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Responder una encuesta",
)
def response_create(request: HttpRequest, slug: str, payload: AnswersIn) -> JsonResponse:
    """Store a whole response (201). The same `idempotency_key` again returns 200 and stores
    nothing. 422 with the problem of each answer (out of range, not an option, required, or a
    question the earlier answers hide); 409 when the survey is not open."""
    survey = _public(slug)
    response, created = response_submit_answers(
        survey=survey,
        answers=payload.answers,
        channel="api",
        key=payload.idempotency_key,
        language=payload.language or "",
    )
    return JsonResponse(
        {"created": created, "status": response.status}, status=201 if created else 200
    )


@router.get("/{slug}/results", response={200: dict, 404: ErrorOut}, summary="Resultados")
def survey_results(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Per closed question, the weighted estimate of each option (`value`, a share 0–1; a mean
    position for rankings; a mean for numbers) with its 95 % margin of error (`moe`), Kish's
    design effect (`deff`), the weighted respondents (`n`) and the unweighted count (`count`).
    Public once the results are published; before, for the entity's staff."""
    survey = _public(slug)
    if not survey.published and not can(request.user, RESULTS, survey):
        raise NotFound(_("La encuesta no existe."))
    result = selectors.survey_result(survey)
    if result is None:
        return {"survey": survey.slug, "computed_at": None, "complete": 0, "questions": []}
    payload = result.payload
    return {
        "survey": survey.slug,
        "computed_at": result.computed_at,
        "complete": result.complete,
        "weighted": result.weighted,
        "deff": result.deff,
        "weighting": payload.get("weighting", {}),
        "channels": payload.get("channels", {}),
        "questions": payload.get("questions", []),
    }
