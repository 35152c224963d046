"""Staff's side of meetings: create, edit and publish a meeting, and afterwards record its
minutes, its attendance and the contributions taken in the room. Every change is in the audit
log, and every service checks ``meeting.manage`` on the meeting's entity.

Citizens' registrations are in ``registrations``; reminders in ``reminders``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core.channels import Channel
from urna.core.errors import Conflict, InvalidInput
from urna.core.text import text_normalise
from urna.entities.models import Entity
from urna.exercises import services as exercise_services
from urna.exercises.models import Contribution, Exercise
from urna.exercises.services.content import markdown_render
from urna.jobs.registry import enqueue
from urna.meetings.models import Meeting, MeetingContribution, Registration
from urna.territory.models import Municipality

# The job that reminds a meeting's registrants (``tasks.remind``), queued by name: the task
# module imports the reminders module, which imports this one's models.
REMIND_TASK = "meetings.remind"
# The job that tells a cancelled meeting's registrants (``tasks.tell_cancelled``).
CANCELLED_TASK = "meetings.tell_cancelled"
REMIND_BEFORE = timedelta(hours=24)
MANAGE = "meeting.manage"
# Paths of /encuentros/ that are no meeting.
RESERVED_SLUGS = frozenset({"cancelar", "gestion"})


@dataclass(frozen=True)
class MeetingData:
    """What staff write about a meeting (the form's cleaned data)."""

    title: str
    kind: str
    mode: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    address: str = ""
    municipality_code: str = ""
    video_url: str = ""
    capacity: int | None = None
    registration_open: bool = True
    exercise_slug: str = ""


def _check(data: MeetingData, entity: Entity) -> dict[str, Any]:
    """The meeting's fields from ``data``, checked; raises InvalidInput on the field at fault."""
    title = text_normalise(data.title).strip()
    if len(title) < 3:
        raise InvalidInput(_("Escriba un título de al menos 3 caracteres."), field="title")
    if data.kind not in Meeting.Kind.values:
        raise InvalidInput(_("Tipo de encuentro no válido."), field="kind")
    if data.mode not in Meeting.Mode.values:
        raise InvalidInput(_("Modalidad no válida."), field="mode")
    if data.ends_at <= data.starts_at:
        raise InvalidInput(_("El encuentro debe terminar después de empezar."), field="ends_at")
    municipality = None
    address = data.address.strip()
    video_url = data.video_url.strip()
    if data.mode == Meeting.Mode.IN_PERSON:
        municipality = Municipality.objects.filter(code=data.municipality_code or "").first()
        if municipality is None:
            raise InvalidInput(_("Elija el municipio donde se reúnen."), field="municipality_code")
        if not address:
            raise InvalidInput(_("Escriba la dirección del lugar."), field="address")
        video_url = ""
    else:
        if not video_url.startswith("https://"):
            raise InvalidInput(
                _("Escriba el enlace de la videollamada (empieza por https://)."),
                field="video_url",
            )
        address = ""
    if data.capacity is not None and data.capacity < 1:
        raise InvalidInput(_("Los cupos deben ser al menos 1."), field="capacity")
    exercise = None
    if data.exercise_slug:
        exercise = Exercise.objects.public().filter(slug=data.exercise_slug).first()
        if exercise is None or entity.pk not in exercise.urna_entity_ids():
            raise InvalidInput(
                _("Elija un ejercicio publicado de la entidad."), field="exercise_slug"
            )
    return {
        "title": title,
        "kind": data.kind,
        "mode": data.mode,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "description": data.description.strip(),
        "description_html": markdown_render(data.description),
        "address": address,
        "municipality": municipality,
        "video_url": video_url,
        "capacity": data.capacity,
        "registration_open": data.registration_open,
        "exercise": exercise,
    }


def _unique_slug(title: str) -> str:
    base = slugify(title)[:60].strip("-") or "encuentro"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Meeting.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _audit_fields(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.title,
        "kind": meeting.kind,
        "mode": meeting.mode,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "municipality": meeting.municipality_id,
        "capacity": meeting.capacity,
        "exercise": meeting.exercise_id,
        "registration_open": meeting.registration_open,
    }


def reminder_schedule(meeting: Meeting) -> None:
    """Queue the reminder of a published meeting 24 hours before it starts (at once when that
    moment passed but the meeting has not started). One job per start time: a meeting moved
    gets a new one, and the old one finds the time changed and sends nothing."""
    if meeting.published_at is None or meeting.cancelled_at is not None:
        return
    if meeting.starts_at <= timezone.now():
        return
    run_at = max(meeting.starts_at - REMIND_BEFORE, timezone.now())
    starts = meeting.starts_at.isoformat()
    enqueue(
        REMIND_TASK,
        run_at=run_at,
        unique_key=f"meeting-remind:{meeting.pk}:{starts}",
        entity_id=meeting.entity_id,
        meeting_id=meeting.pk,
        starts_at_iso=starts,
    )


@transaction.atomic
def meeting_create(*, entity: Entity, by: Any, data: MeetingData, request: Any = None) -> Meeting:
    """A draft meeting of ``entity`` (public once published)."""
    require(by, MANAGE, entity)
    fields = _check(data, entity)
    meeting = Meeting.objects.create(
        entity=entity, slug=_unique_slug(fields["title"]), created_by=by, **fields
    )
    audit_record(
        action="meeting.create",
        obj=meeting,
        actor=by,
        entity=entity,
        after=_audit_fields(meeting),
        ip=client_ip(request),
    )
    return meeting


@transaction.atomic
def meeting_edit(*, meeting: Meeting, by: Any, data: MeetingData, request: Any = None) -> Meeting:
    require(by, MANAGE, meeting)
    before = _audit_fields(meeting)
    fields = _check(data, meeting.entity)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()
    after = _audit_fields(meeting)
    changed = {k for k in after if after[k] != before[k]}
    audit_record(
        action="meeting.edit",
        obj=meeting,
        actor=by,
        entity=meeting.entity,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        ip=client_ip(request),
    )
    if "starts_at" in changed:
        reminder_schedule(meeting)
    return meeting


@transaction.atomic
def meeting_publish(*, meeting: Meeting, by: Any, request: Any = None) -> Meeting:
    """Make a draft meeting public (and its registration open) and schedule its reminder."""
    require(by, MANAGE, meeting)
    if meeting.published_at is not None:
        raise Conflict(_("El encuentro ya está publicado."))
    if meeting.cancelled_at is not None:
        raise Conflict(_("El encuentro fue cancelado: no se puede publicar."))
    if meeting.ends_at <= timezone.now():
        raise Conflict(_("No se puede publicar un encuentro que ya pasó."))
    meeting.published_at = timezone.now()
    meeting.save(update_fields=["published_at", "updated_at"])
    audit_record(
        action="meeting.publish",
        obj=meeting,
        actor=by,
        entity=meeting.entity,
        after={"published_at": meeting.published_at.isoformat()},
        ip=client_ip(request),
    )
    reminder_schedule(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: Any, reason: str, request: Any = None) -> Meeting:
    """Cancel a meeting that has not started: it shows "Cancelado" with ``reason`` (public),
    takes no more registrations and sends no reminder, and every registrant (with a seat or in
    line) is told once by a job. Cancelling a cancelled meeting changes and sends nothing."""
    require(by, MANAGE, meeting)
    # Two cancels at once: the second waits here and finds the first's.
    Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    meeting.refresh_from_db()
    if meeting.cancelled_at is not None:
        return meeting
    if meeting.starts_at <= timezone.now():
        raise Conflict(_("El encuentro ya empezó: no se puede cancelar."))
    reason = text_normalise(reason).strip()
    if len(reason) < 5:
        raise InvalidInput(
            _("Explique a los inscritos por qué se cancela (al menos 5 caracteres)."),
            field="reason",
        )
    if len(reason) > 300:
        raise InvalidInput(_("El motivo admite hasta 300 caracteres."), field="reason")
    meeting.cancelled_at = timezone.now()
    meeting.cancel_reason = reason
    meeting.registration_open = False
    meeting.save(update_fields=["cancelled_at", "cancel_reason", "registration_open", "updated_at"])
    audit_record(
        action="meeting.cancel",
        obj=meeting,
        actor=by,
        entity=meeting.entity,
        after={"cancelled_at": meeting.cancelled_at.isoformat(), "reason": reason},
        ip=client_ip(request),
    )
    enqueue(
        CANCELLED_TASK,
        unique_key=f"meeting-cancelled:{meeting.pk}",
        entity_id=meeting.entity_id,
        meeting_id=meeting.pk,
    )
    return meeting


def _require_held(meeting: Meeting) -> None:
    if meeting.starts_at > timezone.now():
        raise Conflict(_("El encuentro aún no ha empezado."))


@transaction.atomic
def minutes_save(*, meeting: Meeting, by: Any, minutes: str, request: Any = None) -> Meeting:
    """Record (or correct) the minutes of a meeting that took place; public on its page."""
    require(by, MANAGE, meeting)
    _require_held(meeting)
    minutes = text_normalise(minutes).strip()
    if len(minutes) < 10:
        raise InvalidInput(_("Escriba el acta (al menos 10 caracteres)."), field="minutes")
    first = not meeting.minutes
    meeting.minutes = minutes
    meeting.minutes_html = markdown_render(minutes)
    meeting.minutes_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_html", "minutes_at", "updated_at"])
    audit_record(
        action="meeting.minutes",
        obj=meeting,
        actor=by,
        entity=meeting.entity,
        after={"minutes_chars": len(minutes), "first": first},
        ip=client_ip(request),
    )
    return meeting


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, by: Any, attended: set[int], request: Any = None
) -> dict[str, int]:
    """Who of the confirmed registrants came (ids in ``attended``) and who did not."""
    require(by, MANAGE, meeting)
    _require_held(meeting)
    confirmed = Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED)
    present = confirmed.filter(pk__in=attended).update(attended=True)
    absent = confirmed.exclude(pk__in=attended).update(attended=False)
    audit_record(
        action="meeting.attendance",
        obj=meeting,
        actor=by,
        entity=meeting.entity,
        after={"attended": present, "absent": absent},
        ip=client_ip(request),
    )
    return {"attended": present, "absent": absent}


@transaction.atomic
def meeting_contribution_enter(
    *,
    meeting: Meeting,
    by: Any,
    kind: str,
    text: str,
    municipality_code: str | None = None,
    request: Any = None,
) -> Contribution:
    """Enter into the meeting's exercise a contribution said in the room: through the
    exercise's one intake door (channel "presencial", entered by this staff member) and linked
    to the meeting."""
    require(by, MANAGE, meeting)
    _require_held(meeting)
    if meeting.exercise_id is None:
        raise Conflict(_("Este encuentro no está ligado a un ejercicio."))
    result = exercise_services.contribution_submit(
        exercise=meeting.exercise,
        kind=kind,
        text=text,
        channel=Channel.IN_PERSON,
        municipality_code=municipality_code or meeting.municipality_id,
        entered_by=by,
        request=request,
    )
    contribution = result.contribution
    MeetingContribution.objects.create(meeting=meeting, contribution=contribution, entered_by=by)
    audit_record(
        action="meeting.contribution_enter",
        obj=meeting,
        actor=by,
        entity=meeting.entity,
        after={"contribution": contribution.receipt, "kind": kind},
        ip=client_ip(request),
    )
    return contribution
