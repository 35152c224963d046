"""Public API of replies: read the published replies below a contribution, as its page shows
them (threads two levels deep, masked text, no author), and reply to one through the web's
service (``reply_submit``: the exercise's rules, the sender's rate limits, moderation, a
receipt). Its own router beside ``urna.exercises.api``, mounted at the API's root."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from urna.contacts.services import ContactDetails
from urna.core.errors import Conflict, NotFound
from urna.core.links import absolute_url
from urna.exercises import selectors, selectors_browse
from urna.exercises.models import Contribution, Exercise
from urna.exercises.services import exercise_accepts_contributions, reply_submit

router = Router(tags=["ejercicios: respuestas"])


class ErrorOut(Schema):
    code: str
    detail: str
    errors: dict[str, list[str]] | None = None


class ReplyOut(Schema):
    id: int
    text: str
    channel: str
    department: str | None = Field(None, description="Código DANE del departamento.")
    created_at: datetime
    url: str


class ThreadOut(ReplyOut):
    replies: list[ReplyOut] = Field(..., description="Las respuestas a esta respuesta.")


class ThreadPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ThreadOut]


class PageFilters(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


def _exercise(slug: str) -> Exercise:
    exercise = selectors.exercise_detail(slug)
    if exercise is None:
        raise NotFound(_("El ejercicio no existe."))
    return exercise


def _contribution(exercise: Exercise, pk: int) -> Contribution:
    item = selectors_browse.contribution_public(exercise=exercise, pk=pk)
    if item is None:
        raise NotFound(_("No encontramos ese aporte publicado en el ejercicio."))
    return item


def _reply_out(reply: Contribution, exercise: Exercise) -> dict[str, Any]:
    return {
        "id": reply.pk,
        "text": reply.masked_text,
        "channel": reply.channel,
        "department": reply.department_id,
        "created_at": reply.created_at,
        "url": absolute_url(
            reverse("exercises:contribution", kwargs={"slug": exercise.slug, "pk": reply.pk})
        ),
    }


@router.get(
    "/exercises/{slug}/contributions/{pk}/replies",
    response={200: ThreadPage, 404: ErrorOut},
    summary="Respuestas publicadas a un aporte",
)
def reply_list(request: HttpRequest, slug: str, pk: int, page: Query[PageFilters]):
    """The published replies to a contribution, oldest first (a conversation reads down), each
    with its own published replies; texts masked as on the contribution's page, authors never
    shown. `count` counts the first level."""
    exercise = _exercise(slug)
    item = _contribution(exercise, pk)
    threads = selectors_browse.reply_threads(item)
    rows = list(threads[page.offset : page.offset + page.limit])
    below = selectors_browse.replies_below(rows, exercise_id=exercise.pk)
    return {
        "count": threads.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": [
            {
                **_reply_out(reply, exercise),
                "replies": [_reply_out(r, exercise) for r in below.get(reply.pk, [])],
            }
            for reply in rows
        ],
    }


class ContactIn(Schema):
    model_config = ConfigDict(extra="forbid")

    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    name: str = Field("", max_length=150)


class ReplyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field("", max_length=20000, description="De 3 a 5.000 caracteres; es público.")
    contact: ContactIn | None = Field(
        None, description="Contacto para saber de su respuesta; exige consent=true. No se publica."
    )
    consent: bool = Field(False, description="Autorización de tratamiento de datos personales.")
    idempotency_key: str | None = Field(None, max_length=120)


class ReplyReceiptOut(Schema):
    receipt: str
    created: bool
    moderation: str
    status_url: str


@router.post(
    "/exercises/{slug}/contributions/{pk}/replies",
    response={
        200: ReplyReceiptOut,
        201: ReplyReceiptOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Responder a un aporte",
)
def reply_create(request: HttpRequest, slug: str, pk: int, payload: ReplyIn):
    """Reply to a published contribution (or to one of its replies: the reply joins that
    thread) and get a receipt (201); `moderation` says whether it is published or waits for
    the moderators. The same `idempotency_key` again returns the first receipt (200). 409 when
    the exercise does not take contributions now. Identify the citizen's device or app with
    the `X-Client-Id` header for fair rate limits."""
    exercise = _exercise(slug)
    parent = _contribution(exercise, pk)
    if not exercise_accepts_contributions(exercise):
        raise Conflict(
            _("La participación en este ejercicio no está abierta: no se reciben respuestas."),
            code="closed",
        )
    contact = None
    if payload.contact is not None:
        contact = ContactDetails(
            phone=payload.contact.phone,
            email=payload.contact.email,
            name=payload.contact.name,
            consent=payload.consent,
        )
    result = reply_submit(
        parent=parent,
        text=payload.text,
        channel=Contribution.Channel.API,
        user=request.user if request.user.is_authenticated else None,
        contact=contact,
        idempotency_key=payload.idempotency_key,
        request=request,
    )
    reply = result.contribution
    body = {
        "receipt": reply.receipt,
        "created": result.created,
        "moderation": str(reply.moderation),
        "status_url": absolute_url(f"/r/{reply.receipt}"),
    }
    return Status(201 if result.created else 200, body)
