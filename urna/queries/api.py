"""API of citizen queries: filing and status (public), and the response managers' workspace
(staff, session or personal API token, scoped to the manager's entities)."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja import Query as QueryParams

from urna.accounts import permissions
from urna.accounts.api_auth import STAFF_AUTH
from urna.contacts.services import ContactDetails
from urna.core.channels import Channel
from urna.core.errors import InvalidInput, NotFound, PermissionDenied
from urna.core.personal_data import mask
from urna.core.receipts import receipt_is_valid, receipt_lookup, receipt_normalise
from urna.entities.models import Entity
from urna.queries import registry, selectors, services, terms
from urna.queries.models import Query, QueryState

router = Router(tags=["consultas (PQRSD)"])

QueryTypeIn = Literal[
    "peticion",
    "informacion",
    "consulta",
    "queja",
    "reclamo",
    "sugerencia",
    "denuncia",
    "datos_consulta",
    "datos_reclamo",
]
# A query arrives by any channel of the platform; "exercise" is set by the platform itself when
# a question is left inside a participation exercise, so a client cannot file by it.
_INTAKE_CHANNELS = tuple(c for c in Channel.values if c != Channel.EXERCISE)
ChannelIn = Literal[_INTAKE_CHANNELS]  # type: ignore[valid-type]
ChannelFilter = Literal[tuple(Channel.values)]  # type: ignore[valid-type]


class ContactIn(Schema):
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    handle: str = Field("", max_length=200)
    name: str = Field("", max_length=150)


class QueryIn(Schema):
    type: QueryTypeIn
    text: str = Field(..., min_length=services.TEXT_MIN, max_length=services.TEXT_MAX)
    exercise: str | None = Field(None, max_length=40, description="Código del ejercicio")
    municipality: str | None = Field(None, max_length=5, description="Código DANE del municipio")
    channel: ChannelIn = "api"
    contact: ContactIn | None = None
    consent: bool = Field(False, description="Autorización de tratamiento de datos (Ley 1581)")
    campaigns: bool = Field(
        False,
        description="Con consent=true: también recibir información del Gobierno (campañas) por "
        "el canal del contacto. Se retira con SALIR o con el enlace de cada mensaje.",
    )
    publication_consent: bool = False
    idempotency_key: str | None = Field(None, max_length=80)

    model_config = {"extra": "forbid"}


class QueryCreated(Schema):
    receipt: str
    due_date: date


class EventOut(Schema):
    kind: str
    label: str
    at: datetime


class QueryStatusOut(Schema):
    receipt: str
    type: str
    type_label: str
    state: str
    state_label: str
    entity: str | None
    filed_at: datetime
    due_date: date | None
    suspended: bool
    extended: bool
    completion_request: str | None
    answer: str | None
    answered_at: datetime | None
    history: list[EventOut]


class CompletionIn(Schema):
    text: str = Field(..., min_length=2, max_length=services.TEXT_MAX)

    model_config = {"extra": "forbid"}


class PublicAnswerOut(Schema):
    id: int
    entity: str
    type: str
    question: str
    answer: str
    answered_at: datetime | None
    published_at: datetime


def _get_query(receipt: str) -> Query:
    code = receipt_normalise(receipt)
    query = selectors.query_by_receipt(code) if receipt_is_valid(code) else None
    if query is None:
        raise NotFound(_("No encontramos una solicitud con ese recibo."))
    return query


def _status(query: Query) -> dict[str, Any]:
    texts = selectors.query_receipt_texts(query)
    return {
        "receipt": query.receipt,
        "type": query.type,
        "type_label": query.get_type_display(),
        "state": query.state,
        "state_label": query.get_state_display(),
        "entity": query.entity.name if query.entity else (query.external_authority or None),
        "filed_at": query.filed_at,
        "due_date": None if query.is_suspended else query.due_date,
        "suspended": query.is_suspended,
        "extended": query.extended_at is not None,
        "completion_request": texts["completion_request"] if query.is_suspended else None,
        "answer": texts["answer"] or None,
        "answered_at": query.answered_at,
        "history": [
            {"kind": e.kind, "label": e.get_kind_display(), "at": e.at}
            for e in selectors.query_history(query, public_only=True)
        ],
    }


@router.post("/queries", response={200: QueryCreated, 201: QueryCreated})
def query_create(request: HttpRequest, payload: QueryIn):
    """File a petition, request, complaint, claim, suggestion or report (PQRSD). Returns the
    receipt and the legal due date. Repeating an ``idempotency_key`` returns the same receipt
    (200) instead of filing twice."""
    exercise = None
    if payload.exercise:
        exercise = registry.exercise_by_code(payload.exercise)
        if exercise is None:
            raise InvalidInput(_("El ejercicio no existe."), field="exercise")
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
    result = services.query_submit(
        type=payload.type,
        text=payload.text,
        channel=payload.channel,
        exercise=exercise,
        municipality_code=payload.municipality,
        contact=contact,
        user=request.user,
        idempotency_key=payload.idempotency_key,
        request=request,
        publication_consent=payload.publication_consent,
    )
    body = {"receipt": result.query.receipt, "due_date": result.query.due_date}
    return Status(201 if result.created else 200, body)


class AnswerFilters(Schema):
    q: str = ""
    entity: int | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/queries/answers", response=list[PublicAnswerOut])
def public_answers(request: HttpRequest, filters: QueryParams[AnswerFilters]):
    """Published questions and answers (personal data removed), searchable in Spanish."""
    offset, limit = filters.offset, filters.limit
    rows = selectors.qa_search(q=filters.q, entity_id=filters.entity)[offset : offset + limit]
    return [
        {
            "id": r.pk,
            "entity": r.entity.name,
            "type": r.type,
            "question": r.public_question,
            "answer": r.public_answer,
            "answered_at": r.answered_at,
            "published_at": r.published_at,
        }
        for r in rows
    ]


@router.get("/queries/{receipt}", response=QueryStatusOut)
@receipt_lookup
def query_status(request: HttpRequest, receipt: str):
    """A query's status, due date and answer, by its receipt (no login)."""
    return _status(_get_query(receipt))


@router.post("/queries/{receipt}/completion", response=QueryStatusOut)
@receipt_lookup
def query_completion(request: HttpRequest, receipt: str, payload: CompletionIn):
    """The citizen completes a query the entity asked them to complete; the term restarts."""
    query = services.query_complete(
        query=_get_query(receipt), text=payload.text, label="citizen:api", request=request
    )
    return _status(query)


# --- staff ----------------------------------------------------------------------------------------


class StaffQueryOut(Schema):
    id: int
    receipt: str
    type: str
    state: str
    channel: str
    entity: str | None
    assigned_to: str | None
    filed_at: datetime
    due_date: date
    overdue: bool
    extended: bool
    summary: str


class StaffQueryDetailOut(StaffQueryOut):
    text: str
    term_start: date
    term_days: int
    contact: list[str]
    answer: str | None
    business_days_taken: int | None
    answered_within_term: bool | None
    published: bool
    history: list[dict]


class InboxOut(Schema):
    items: list[StaffQueryOut]
    next_cursor: str | None


class TextIn(Schema):
    text: str = Field(..., max_length=20000)

    model_config = {"extra": "forbid"}


class AssignIn(Schema):
    user_id: int


class RouteIn(Schema):
    entity_id: int


class ExtendIn(Schema):
    new_due_date: date
    reason: str = Field(..., max_length=5000)


class TransferIn(Schema):
    to_entity: int | None = None
    to_authority: str = Field("", max_length=200)
    reason: str = Field(..., max_length=5000)


class CloseIn(Schema):
    reason: str = Field("", max_length=300)


class PublishIn(Schema):
    public_question: str = Field(..., max_length=5000)
    public_answer: str = Field(..., max_length=20000)
    consent_recorded: bool = False


def _staff(request: HttpRequest) -> Any:
    user = request.user
    if not (user.is_staff and permissions.can(user, "query.view")):
        raise PermissionDenied(_("No tiene permiso para esta acción."))
    return user


def _staff_query(request: HttpRequest, query_id: int) -> Query:
    user = _staff(request)
    try:
        return selectors.query_for_staff(user=user, pk=query_id)
    except NotFound as exc:
        raise NotFound(_("La consulta no existe.")) from exc


def _row(query: Query, today: date) -> dict[str, Any]:
    return {
        "id": query.pk,
        "receipt": query.receipt,
        "type": query.type,
        "state": query.state,
        "channel": query.channel,
        "entity": query.entity.acronym if query.entity_id else None,
        "assigned_to": query.assigned_to.username if query.assigned_to_id else None,
        "filed_at": query.filed_at,
        "due_date": query.due_date,
        "overdue": query.is_overdue(today),
        "extended": query.extended_at is not None,
        "summary": query.text[:200],
    }


def _detail(query: Query) -> dict[str, Any]:
    today = terms.local_today()
    contact = query.contact
    return {
        **_row(query, today),
        "text": query.text,
        "term_start": query.term_start,
        "term_days": query.term_days,
        "contact": [mask(v) for v in (contact.phone, contact.email) if v] if contact else [],
        "answer": query.answer or None,
        "business_days_taken": query.business_days_taken,
        "answered_within_term": query.answered_within_term,
        "published": query.published_at is not None,
        "history": [
            {"kind": e.kind, "text": e.text, "public": e.public, "actor": e.actor_label, "at": e.at}
            for e in selectors.query_history(query)
        ],
    }


def _reload(request: HttpRequest, query: Query) -> dict[str, Any]:
    """The query after an action; a transfer may have moved it out of the user's scope."""
    try:
        return _detail(selectors.query_for_staff(user=request.user, pk=query.pk))
    except NotFound:
        return _detail(
            Query.objects.select_related("entity", "assigned_to", "contact").get(pk=query.pk)
        )


@router.get("/staff/queries", response=InboxOut, auth=STAFF_AUTH)
def staff_inbox(
    request: HttpRequest,
    state: str = "open",
    type: QueryTypeIn | None = None,
    channel: ChannelFilter | None = None,
    due_within: int | None = None,
    mine: bool = False,
    entity: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
):
    """The manager's inbox, by due date, keyset-paginated (pass ``next_cursor`` back)."""
    user = _staff(request)
    if state not in {"open", "overdue", "all", *QueryState.values}:
        raise InvalidInput(_("Estado no válido."), field="state")
    if not 1 <= limit <= 200:
        raise InvalidInput(_("Use un límite entre 1 y 200."), field="limit")
    if due_within is not None and not 0 <= due_within <= 60:
        raise InvalidInput(_("Use entre 0 y 60 días hábiles."), field="due_within")
    filters = selectors.InboxFilters(
        state=state,
        type=type or "",
        channel=channel or "",
        due_within=due_within,
        mine=mine,
        entity_id=entity,
    )
    try:
        page = selectors.query_inbox(user=user, filters=filters, cursor=cursor, limit=limit)
    except InvalidInput as exc:
        raise InvalidInput(_("Cursor no válido."), field="cursor") from exc
    return {"items": [_row(q, page.today) for q in page.items], "next_cursor": page.next_cursor}


@router.get("/staff/queries/sla", auth=STAFF_AUTH)
def staff_sla(request: HttpRequest, year: int, month: int | None = None):
    """SLA figures per entity the user may see (and for the platform, for the platform team)."""
    user = _staff(request)
    if not 2000 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        raise InvalidInput(_("Periodo no válido."), field="year")
    total, rows = selectors.sla_board(user=user, year=year, month=month)
    return {
        "year": year,
        "month": month,
        "total": total.as_dict() if total else None,
        "entities": [row.as_dict() for row in rows],
    }


@router.get("/staff/queries/{query_id}", response=StaffQueryDetailOut, auth=STAFF_AUTH)
def staff_query(request: HttpRequest, query_id: int):
    return _detail(_staff_query(request, query_id))


@router.post("/staff/queries/{query_id}/assign", response=StaffQueryDetailOut, auth=STAFF_AUTH)
def staff_assign(request: HttpRequest, query_id: int, payload: AssignIn):
    query = _staff_query(request, query_id)
    to_user = (
        selectors.managers_of(query.entity_id).filter(pk=payload.user_id).first()
        if query.entity_id
        else None
    )
    if to_user is None:
        permissions.require(request.user, "query.assign", query)
        raise InvalidInput(
            _("La persona elegida no es gestora de respuesta de esta entidad."), field="user_id"
        )
    return _reload(
        request,
        services.query_assign(query=query, to_user=to_user, by=request.user, request=request),
    )


@router.post("/staff/queries/{query_id}/route", response=StaffQueryDetailOut, auth=STAFF_AUTH)
def staff_route(request: HttpRequest, query_id: int, payload: RouteIn):
    query = _staff_query(request, query_id)
    entity = Entity.objects.filter(pk=payload.entity_id).first()
    if entity is None:
        permissions.require(request.user, "query.triage", query)
        raise InvalidInput(_("La entidad no existe."), field="entity_id")
    return _reload(
        request, services.query_route(query=query, entity=entity, by=request.user, request=request)
    )


@router.post("/staff/queries/{query_id}/answer", response=StaffQueryDetailOut, auth=STAFF_AUTH)
def staff_answer(request: HttpRequest, query_id: int, payload: TextIn):
    query = _staff_query(request, query_id)
    return _reload(
        request,
        services.query_answer(query=query, text=payload.text, by=request.user, request=request),
    )


@router.post("/staff/queries/{query_id}/notes", response=StaffQueryDetailOut, auth=STAFF_AUTH)
def staff_note(request: HttpRequest, query_id: int, payload: TextIn):
    query = _staff_query(request, query_id)
    services.query_note_add(query=query, text=payload.text, by=request.user, request=request)
    return _reload(request, query)


@router.post(
    "/staff/queries/{query_id}/request-completion", response=StaffQueryDetailOut, auth=STAFF_AUTH
)
def staff_request_completion(request: HttpRequest, query_id: int, payload: TextIn):
    query = _staff_query(request, query_id)
    services.query_request_completion(
        query=query, text=payload.text, by=request.user, request=request
    )
    return _reload(request, query)


@router.post("/staff/queries/{query_id}/extend", response=StaffQueryDetailOut, auth=STAFF_AUTH)
def staff_extend(request: HttpRequest, query_id: int, payload: ExtendIn):
    query = _staff_query(request, query_id)
    services.query_extend(
        query=query,
        new_due_date=payload.new_due_date,
        reason=payload.reason,
        by=request.user,
        request=request,
    )
    return _reload(request, query)


@router.post("/staff/queries/{query_id}/transfer", response=StaffQueryDetailOut, auth=STAFF_AUTH)
def staff_transfer(request: HttpRequest, query_id: int, payload: TransferIn):
    query = _staff_query(request, query_id)
    to_entity = None
    if payload.to_entity is not None:
        to_entity = Entity.objects.filter(pk=payload.to_entity).first()
        if to_entity is None:
            permissions.require(request.user, "query.transfer", query)
            raise InvalidInput(_("La entidad no existe."), field="to_entity")
    services.query_transfer(
        query=query,
        by=request.user,
        reason=payload.reason,
        to_entity=to_entity,
        to_authority=payload.to_authority,
        request=request,
    )
    return _reload(request, query)


@router.post("/staff/queries/{query_id}/close", response=StaffQueryDetailOut, auth=STAFF_AUTH)
def staff_close(request: HttpRequest, query_id: int, payload: CloseIn):
    query = _staff_query(request, query_id)
    services.query_close(query=query, by=request.user, reason=payload.reason, request=request)
    return _reload(request, query)


@router.post("/staff/queries/{query_id}/publish", response=StaffQueryDetailOut, auth=STAFF_AUTH)
def staff_publish(request: HttpRequest, query_id: int, payload: PublishIn):
    query = _staff_query(request, query_id)
    services.query_publish(
        query=query,
        by=request.user,
        public_question=payload.public_question,
        public_answer=payload.public_answer,
        consent_recorded=payload.consent_recorded,
        request=request,
    )
    return _reload(request, query)
