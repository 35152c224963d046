"""API of meetings and workshops: the public list and a meeting's page, registering and
cancelling a registration (the web form's services, with its messages), and the staff's
attendance and cancellation with their session or a bearer token, within their entities.

Nothing public returns a registrant's personal data: a meeting shows its seats left and the
length of its waiting line; a registration is read and cancelled only with its code. The
video link, as on the web, is for confirmed registrants only.
"""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from urna.accounts.api_auth import STAFF_AUTH
from urna.core.errors import NotFound
from urna.core.links import absolute_url
from urna.core.receipts import receipt_lookup, receipt_normalise
from urna.meetings import registrations, selectors, services
from urna.meetings.models import Meeting, Registration

router = Router(tags=["encuentros"])
STAFF_TAGS = ["encuentros (equipo)"]


class ErrorOut(Schema):
    code: str
    detail: str
    errors: dict[str, list[str]] | None = None


class EntityRef(Schema):
    acronym: str
    name: str


class MeetingOut(Schema):
    slug: str
    title: str
    kind: str
    mode: str
    starts_at: datetime
    ends_at: datetime
    entity: EntityRef
    exercise: str | None
    municipality: str | None = Field(None, description="Código DANE del municipio.")
    municipality_name: str | None
    department: str | None = Field(None, description="Código DANE del departamento.")
    address: str
    capacity: int | None
    seats_taken: int
    seats_left: int | None = Field(None, description="Cupos libres; null: sin límite.")
    waiting: int = Field(..., description="Personas en la lista de espera.")
    accepts_registrations: bool
    cancelled: bool
    cancel_reason: str
    url: str


class MeetingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeetingOut]


class MeetingDetailOut(MeetingOut):
    description_html: str
    minutes_html: str


class MeetingFilters(Schema):
    exercise: str | None = Field(None, description="Slug del ejercicio.")
    entity: str | None = Field(None, description="Sigla o slug de la entidad.")
    upcoming: bool | None = Field(
        True, description="true: por venir (por defecto); false: pasados; null: todos."
    )
    mode: Literal["in_person", "online"] | None = None
    department: str | None = Field(
        None, max_length=2, description="Código DANE del departamento (2 dígitos)."
    )
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


def _meeting_out(meeting: Meeting) -> dict[str, Any]:
    municipality = meeting.municipality
    left = None
    if meeting.capacity is not None:
        left = max(meeting.capacity - meeting.seats_taken, 0)
    return {
        "slug": meeting.slug,
        "title": meeting.title,
        "kind": meeting.kind,
        "mode": meeting.mode,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "entity": {"acronym": meeting.entity.acronym, "name": meeting.entity.name},
        "exercise": meeting.exercise.slug if meeting.exercise_id else None,
        "municipality": meeting.municipality_id,
        "municipality_name": municipality.display_name if municipality else None,
        "department": municipality.department_id if municipality else None,
        "address": meeting.address,
        "capacity": meeting.capacity,
        "seats_taken": meeting.seats_taken,
        "seats_left": left,
        "waiting": meeting.waiting_count,
        "accepts_registrations": meeting.accepts_registrations,
        "cancelled": meeting.cancelled_at is not None,
        "cancel_reason": meeting.cancel_reason,
        "url": absolute_url(meeting.get_absolute_url()),
    }


@router.get("", response=MeetingPage, summary="Encuentros y talleres publicados")
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]):
    """Published meetings, soonest first (past ones latest first). Cancelled meetings are
    listed with `cancelled` and their reason."""
    if filters.upcoming is None:
        when = selectors.WHEN_ALL
    else:
        when = selectors.WHEN_UPCOMING if filters.upcoming else selectors.WHEN_PAST
    entity = (filters.entity or "").strip()
    qs = selectors.meeting_list_public(
        when=when,
        entity_slug=entity,
        entity_acronym=entity,
        exercise_slug=(filters.exercise or "").strip(),
        mode=filters.mode or "",
        department_code=(filters.department or "").strip(),
    )
    items = qs[filters.offset : filters.offset + filters.limit]
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_meeting_out(m) for m in items],
    }


@router.get("/{slug}", response={200: MeetingDetailOut, 404: ErrorOut}, summary="Un encuentro")
def meeting_detail(request: HttpRequest, slug: str):
    meeting = selectors.meeting_get_public(slug=slug)
    return {
        **_meeting_out(meeting),
        "description_html": meeting.description_html,
        "minutes_html": meeting.minutes_html,
    }


class RegistrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field("", max_length=150, description="Opcional.")
    phone: str = Field("", max_length=40, description="Celular o correo: uno de los dos.")
    email: str = Field("", max_length=254)
    whatsapp: bool = Field(False, description="Con celular: recibir los avisos por WhatsApp.")
    consent: bool = Field(
        False,
        description="Autorización de tratamiento del celular o correo (Ley 1581 de 2012): "
        "obligatoria.",
    )
    idempotency_key: str | None = Field(None, max_length=120)


class RegistrationOut(Schema):
    code: str
    meeting: str
    status: str
    status_label: str
    waiting_position: int | None
    video_url: str | None = Field(None, description="Solo con cupo confirmado, en línea.")
    url: str


def _registration_out(registration: Registration) -> dict[str, Any]:
    meeting = registration.meeting
    confirmed = registration.status == Registration.Status.CONFIRMED
    return {
        "code": registration.code,
        "meeting": meeting.slug,
        "status": registration.status,
        "status_label": registration.get_status_display(),
        "waiting_position": registrations.waiting_position(registration),
        "video_url": meeting.video_url if confirmed and meeting.video_url else None,
        "url": registrations.registration_url(registration),
    }


@router.post(
    "/{slug}/registrations",
    response={
        200: RegistrationOut,
        201: RegistrationOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Inscribirse a un encuentro",
)
def registration_create(request: HttpRequest, slug: str, payload: RegistrationIn):
    """A seat while there are seats, else a place in the waiting line (201), confirmed through
    the channel chosen. The same `idempotency_key` again returns the first registration (200)
    and sends nothing. 409 when registration is closed or that phone or email is already
    registered."""
    meeting = selectors.meeting_get_public(slug=slug)
    key = (payload.idempotency_key or "").strip() or None
    if key:
        earlier = Registration.objects.filter(meeting=meeting, idempotency_key=key).first()
        if earlier is not None:
            return Status(200, _registration_out(earlier))
    registration = registrations.registration_create(
        meeting=meeting,
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        whatsapp=payload.whatsapp,
        consent=payload.consent,
        idempotency_key=key,
        via="api",
        request=request,
    )
    return Status(201, _registration_out(registration))


def _registration(slug: str, code: str) -> Registration:
    return registrations.registration_get(code=code, slug=slug)


@router.get(
    "/{slug}/registrations/{code}",
    response={200: RegistrationOut, 404: ErrorOut, 429: ErrorOut},
    summary="Estado de una inscripción por su código",
)
@receipt_lookup
def registration_status(request: HttpRequest, slug: str, code: str):
    return _registration_out(_registration(slug, code))


@router.post(
    "/{slug}/registrations/{code}/cancel",
    response={200: RegistrationOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    summary="Cancelar una inscripción con su código",
)
@receipt_lookup
def registration_cancel(request: HttpRequest, slug: str, code: str):
    """The seat goes to the first in line, who is told. Cancelling again changes nothing."""
    found = _registration(slug, code)
    cancelled = registrations.registration_cancel(code=found.code, via="api", request=request)
    return _registration_out(cancelled)


# --- Staff: within the entities whose meetings they manage ---------------------------------


def _staff_meeting(request: HttpRequest, slug: str) -> Meeting:
    """A meeting of the caller's entities; any other is a 404 (never revealed)."""
    return selectors.meeting_get_staff(user=request.user, slug=slug)


class StaffRegistrationOut(Schema):
    code: str
    name: str
    channel: str
    status: str
    attended: bool | None


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    attended: list[str] = Field(
        ..., max_length=5000, description="Códigos de quienes asistieron; el resto, ausentes."
    )


class AttendanceOut(Schema):
    attended: int
    absent: int


class CancelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., max_length=2000, description="Público: se envía a los inscritos.")


class StaffMeetingOut(Schema):
    slug: str
    title: str
    published: bool
    cancelled_at: datetime | None
    cancel_reason: str


@router.get(
    "/staff/{slug}/registrations",
    response={200: list[StaffRegistrationOut], 404: ErrorOut},
    auth=STAFF_AUTH,
    tags=STAFF_TAGS,
    summary="Inscripciones de un encuentro (equipo)",
)
def staff_registrations(request: HttpRequest, slug: str):
    meeting = _staff_meeting(request, slug)
    return [
        {
            "code": r.code,
            "name": r.name,
            "channel": r.channel,
            "status": r.status,
            "attended": r.attended,
        }
        for r in selectors.registrations_staff(meeting)
    ]


@router.post(
    "/staff/{slug}/attendance",
    response={200: AttendanceOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=STAFF_AUTH,
    tags=STAFF_TAGS,
    summary="Registrar la asistencia (equipo)",
)
def staff_attendance(request: HttpRequest, slug: str, payload: AttendanceIn):
    """Who of the confirmed registrants came, by code; the others are marked absent. Only once
    the meeting started; sending the same list again gives the same result."""
    meeting = _staff_meeting(request, slug)
    codes = {receipt_normalise(c) for c in payload.attended}
    known = dict(
        Registration.objects.filter(meeting=meeting, code__in=codes).values_list("code", "pk")
    )
    unknown = sorted(codes - set(known))
    if unknown:
        raise NotFound(
            _("No hay inscripciones con estos códigos en el encuentro: %(codes)s")
            % {"codes": ", ".join(unknown[:20])},
            field="attended",
        )
    return services.attendance_record(
        meeting=meeting, by=request.user, attended=set(known.values()), request=request
    )


@router.post(
    "/staff/{slug}/cancel",
    response={200: StaffMeetingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=STAFF_AUTH,
    tags=STAFF_TAGS,
    summary="Cancelar un encuentro (equipo)",
)
def staff_cancel(request: HttpRequest, slug: str, payload: CancelIn):
    """Cancel a meeting that has not started, with a public reason: registration closes, no
    reminder goes out and every registrant is told once. Cancelling again changes nothing."""
    meeting = services.meeting_cancel(
        meeting=_staff_meeting(request, slug),
        by=request.user,
        reason=payload.reason,
        request=request,
    )
    return {
        "slug": meeting.slug,
        "title": meeting.title,
        "published": meeting.published_at is not None,
        "cancelled_at": meeting.cancelled_at,
        "cancel_reason": meeting.cancel_reason,
    }
