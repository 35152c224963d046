"""Public API of participation exercises: list, detail, contribute, read contributions and receipts.

Nothing here returns personal data: contributions are shown without contact, account or
demographics, and a receipt shows only its own contribution's state and answer.
"""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from urna.contacts.services import ContactDetails
from urna.core.channels import Channel
from urna.core.errors import NotFound
from urna.core.links import absolute_url
from urna.core.receipts import receipt_lookup
from urna.exercises import selectors
from urna.exercises.models import CONTRIBUTION_CHANNELS, Contribution, Exercise
from urna.exercises.phases import phase
from urna.exercises.services import contribution_submit

router = Router(tags=["ejercicios"])

KindLiteral = Literal["opinion", "proposal", "question", "answer", "article_comment"]
# The channels a contribution arrives by, in the order of the platform's one channel list.
ChannelLiteral = Literal[tuple(v for v in Channel.values if v in CONTRIBUTION_CHANNELS)]


class EntityRef(Schema):
    acronym: str
    name: str


class ExerciseOut(Schema):
    slug: str
    code: str | None
    title: str
    summary: str
    kind: str
    status: str
    is_open: bool
    is_example: bool
    owner: EntityRef
    topics: list[str]
    scope: str
    department: str | None
    municipality: str | None
    opens_at: datetime | None
    closes_at: datetime | None
    results_published_at: datetime | None
    url: str


class ExercisePage(Schema):
    count: int
    items: list[ExerciseOut]


class DocumentOut(Schema):
    title: str
    url: str
    file_type: str
    size: int


class ArticleOut(Schema):
    number: int
    label: str
    title: str
    body: str


class OptionOut(Schema):
    number: int
    key: str
    label: str


class QuestionOut(Schema):
    number: int
    kind: str
    text: str
    options: list[OptionOut]


class PhaseOut(Schema):
    status: str
    label: str
    date: datetime | None
    current: bool


class ExerciseDetailOut(ExerciseOut):
    body_html: str
    partners: list[EntityRef]
    short_period_justification: str
    results_summary: str
    phases: list[PhaseOut]
    documents: list[DocumentOut]
    articles: list[ArticleOut]
    questions: list[QuestionOut]
    contributions_visible: int


class ExerciseFilters(Schema):
    status: Literal["open", "closed", "results", "upcoming"] | None = None
    entity: str | None = Field(None, description="Sigla o slug de la entidad (dueña o aliada).")
    topic: str | None = Field(None, description="Slug del tema.")
    department: str | None = Field(None, description="Código DANE del departamento (2 dígitos).")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def _exercise_out(exercise: Exercise) -> dict:
    return {
        "slug": exercise.slug,
        "code": exercise.code,
        "title": exercise.title,
        "summary": exercise.summary,
        "kind": exercise.kind,
        "status": exercise.status,
        "is_open": exercise.is_open,
        "is_example": exercise.is_example,
        "owner": {"acronym": exercise.owner.acronym, "name": exercise.owner.name},
        "topics": [topic.slug for topic in exercise.topics.all()],
        "scope": exercise.scope,
        "department": exercise.department_id,
        "municipality": exercise.municipality_id,
        "opens_at": exercise.opens_at,
        "closes_at": exercise.closes_at,
        "results_published_at": exercise.results_published_at,
        "url": absolute_url(exercise.get_absolute_url()),
    }


def phase_dates(exercise: Exercise) -> list[dict]:
    """The public phases with their dates, marking the current one."""
    rows = [
        (Exercise.Status.INFORMATION, exercise.published_at),
        (Exercise.Status.OPEN, exercise.opens_at),
        (Exercise.Status.ANALYSIS, exercise.closes_at),
        (Exercise.Status.RESULTS, exercise.results_published_at or exercise.results_due_at),
    ]
    return [
        {
            "status": status.value,
            "label": str(status.label),
            "date": date,
            "current": exercise.status == status,
        }
        for status, date in rows
    ]


@router.get("/exercises", response=ExercisePage, summary="Ejercicios de participación")
def exercise_list(request: HttpRequest, filters: Query[ExerciseFilters]):
    """Public exercises. `status`: `open`, `closed` (in analysis), `results`, `upcoming`."""
    qs = selectors.exercise_list_public(
        status=filters.status,
        entity=filters.entity,
        topic=filters.topic,
        department=filters.department,
    )
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "items": [_exercise_out(e) for e in items]}


def _public_exercise(slug: str) -> Exercise:
    exercise = selectors.exercise_detail(slug)
    if exercise is None:
        raise NotFound(_("El ejercicio no existe."))
    return exercise


@router.get("/exercises/{slug}", response=ExerciseDetailOut, summary="Un ejercicio")
def exercise_detail(request: HttpRequest, slug: str):
    exercise = _public_exercise(slug)
    body = _exercise_out(exercise)
    body.update(
        body_html=exercise.body_html,
        partners=[{"acronym": p.acronym, "name": p.name} for p in exercise.partners.all()],
        short_period_justification=exercise.short_period_justification,
        results_summary=exercise.results_summary if phase(exercise.status).shows_results else "",
        phases=phase_dates(exercise),
        documents=[
            {
                "title": d.title,
                "url": absolute_url(d.file.url),
                "file_type": d.file_type,
                "size": d.size,
            }
            for d in exercise.documents.all()
        ],
        articles=[
            {"number": a.number, "label": a.label, "title": a.title, "body": a.body}
            for a in exercise.articles.all()
        ],
        questions=[
            {
                "number": q.number,
                "kind": q.kind,
                "text": q.text,
                "options": [
                    {"number": i, "key": o.key, "label": o.label}
                    for i, o in enumerate(q.options.all(), start=1)
                ],
            }
            for q in exercise.questions.all()
        ],
        contributions_visible=selectors.exercise_counts(exercise)["visible"],
    )
    return body


class ContactIn(Schema):
    model_config = ConfigDict(extra="forbid")

    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    handle: str = Field("", max_length=200)
    name: str = Field("", max_length=150)


class ContributionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: KindLiteral
    text: str = Field("", max_length=20000, description="De 3 a 5.000 caracteres.")
    article: int | None = Field(None, description="Número del artículo (comentarios).")
    question: int | None = Field(None, description="Número de la pregunta cerrada.")
    choice: bool | int | str | list[int | str] | None = Field(
        None,
        description=(
            "Respuesta a la pregunta cerrada: clave o número de opción; lista para selección "
            "múltiple; 1–5 para escala; 'si'/'no' para sí o no."
        ),
    )
    municipality: str | None = Field(None, description="Código DANE del municipio (5 dígitos).")
    channel: ChannelLiteral = "api"
    contact: ContactIn | None = Field(
        None, description="Contacto para recibir la respuesta; exige consent=true."
    )
    consent: bool = Field(False, description="Autorización de tratamiento de datos personales.")
    campaigns: bool = Field(
        False,
        description="Con consent=true: también recibir información del Gobierno (campañas) por "
        "el canal del contacto. Se retira con SALIR o con el enlace de cada mensaje.",
    )
    idempotency_key: str | None = Field(None, max_length=120)
    age_range: str | None = None
    gender: str | None = None
    ethnic_group: str | None = None


class ReceiptOut(Schema):
    receipt: str
    created: bool
    moderation: str
    status_url: str


class ErrorOut(Schema):
    code: str
    detail: str
    errors: dict[str, list[str]] | None = None


@router.post(
    "/exercises/{slug}/contributions",
    response={
        200: ReceiptOut,
        201: ReceiptOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Enviar un aporte",
)
def contribution_create(request: HttpRequest, slug: str, payload: ContributionIn):
    """Store a contribution and return its receipt (201). The same `idempotency_key` again
    returns the first receipt (200) and stores nothing. 409 when the exercise is not open.
    Identify the citizen's device or app with the `X-Client-Id` header for fair rate limits."""
    exercise = selectors.exercise_for_submission(slug)
    if exercise is None or not phase(exercise.status).public:
        raise NotFound(_("El ejercicio no existe."))
    contact = None
    if payload.contact is not None:
        contact = ContactDetails(
            phone=payload.contact.phone,
            email=payload.contact.email,
            handle=payload.contact.handle,
            name=payload.contact.name,
            consent=payload.consent,
            campaigns=payload.consent and payload.campaigns,
        )
    demographics = {
        "age_range": payload.age_range,
        "gender": payload.gender,
        "ethnic_group": payload.ethnic_group,
    }
    result = contribution_submit(
        exercise=exercise,
        kind=payload.kind,
        text=payload.text,
        channel=payload.channel,
        article=payload.article,
        question=payload.question,
        choice=payload.choice,
        municipality_code=payload.municipality,
        contact=contact,
        user=request.user if request.user.is_authenticated else None,
        demographics=demographics,
        idempotency_key=payload.idempotency_key,
        request=request,
    )
    contribution = result.contribution
    # Built directly (the ReceiptOut shape documented above, all plain strings): re-validating
    # four known strings through the response schema cost ~5 % of this hot path.
    return JsonResponse(
        {
            "receipt": contribution.receipt,
            "created": result.created,
            "moderation": str(contribution.moderation),
            "status_url": absolute_url(f"/r/{contribution.receipt}"),
        },
        status=201 if result.created else 200,
    )


class ResponseOut(Schema):
    decision: str
    decision_label: str
    reason: str
    group: str | None


class ContributionOut(Schema):
    id: int
    kind: str
    text: str
    article: int | None
    question: int | None
    choice: str | None
    channel: str
    department: str | None
    created_at: datetime
    support_count: int
    response: ResponseOut | None


class ContributionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ContributionOut]


class ContributionFilters(Schema):
    kind: KindLiteral | None = None
    article: int | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get(
    "/exercises/{slug}/contributions",
    response=ContributionPage,
    summary="Aportes visibles de un ejercicio",
)
def contribution_list(request: HttpRequest, slug: str, filters: Query[ContributionFilters]):
    """Visible contributions, newest first. Answers appear once the results are published."""
    exercise = selectors.exercise_get(slug)
    if exercise is None or not phase(exercise.status).public:
        raise NotFound(_("El ejercicio no existe."))
    qs = selectors.contribution_list_public(
        exercise=exercise, kind=filters.kind, article=filters.article
    )
    if filters.kind or filters.article:
        count = qs.count()
    else:
        count = selectors.exercise_counts(exercise)["visible"]
    with_response = phase(exercise.status).shows_results
    items = [
        selectors.contribution_public_dict(c, with_response=with_response)
        for c in qs[filters.offset : filters.offset + filters.limit]
    ]
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


class ReceiptStatusOut(Schema):
    receipt: str
    exercise: str
    exercise_title: str
    kind: str
    created_at: datetime
    moderation: str
    moderation_label: str
    hidden_reason: str
    text: str | None
    exercise_status: str
    response: ResponseOut | None


def receipt_status_dict(contribution: Contribution) -> dict:
    """What the holder of a receipt may see: state, public reason, and the published answer."""
    exercise = contribution.exercise
    response = None
    answer = getattr(contribution, "response", None)
    if answer is not None and phase(exercise.status).shows_results:
        response = {
            "decision": answer.decision,
            "decision_label": answer.get_decision_display(),
            "reason": answer.reason,
            "group": answer.group.title if answer.group_id else None,
        }
    visible = contribution.moderation == Contribution.Moderation.VISIBLE
    return {
        "receipt": contribution.receipt,
        "exercise": exercise.slug,
        "exercise_title": exercise.title,
        "kind": contribution.kind,
        "created_at": contribution.created_at,
        "moderation": contribution.moderation,
        "moderation_label": contribution.get_moderation_display(),
        "hidden_reason": contribution.hidden_reason,
        "text": contribution.masked_text if visible else None,
        "exercise_status": exercise.status,
        "response": response,
    }


@router.get(
    "/contributions/{receipt}",
    response={200: ReceiptStatusOut, 404: ErrorOut, 429: ErrorOut},
    summary="Estado de un aporte por su recibo",
)
@receipt_lookup
def contribution_status(request: HttpRequest, receipt: str):
    contribution = selectors.contribution_by_receipt(receipt)
    if contribution is None:
        raise NotFound(_("No encontramos ese recibo."))
    return receipt_status_dict(contribution)
