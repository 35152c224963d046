"""Staff pages of meetings: the list of one's entities' meetings, creating and editing one,
publishing it, and afterwards its attendance, minutes and the contributions taken there.
Scoped by entity (``meeting.manage``): another entity's meeting is a 404; a staff member whose
roles do not manage meetings gets the staff office's 403 that names the roles that do."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urna.accounts.permissions import entity_ids_for, staff_required
from urna.accounts.staff_tools import tool_required
from urna.core.errors import NotFound
from urna.core.personal_data import mask
from urna.core.web import run_action
from urna.entities.models import Entity
from urna.exercises.models import Exercise
from urna.meetings import selectors, services
from urna.meetings.forms import (
    ContributionEntryForm,
    MeetingCancelForm,
    MeetingForm,
    MinutesForm,
)
from urna.meetings.models import Meeting, Registration
from urna.meetings.registrations import address_of

TOOL = "meetings:staff_list"


def _staff(view):
    """A page of the meetings tool: staff whose role manages meetings (else a 403 that names
    the roles that do)."""
    return login_required(staff_required(tool_required(TOOL)(view)))


def _get(request: HttpRequest, slug: str) -> Meeting:
    try:
        return selectors.meeting_get_staff(user=request.user, slug=slug)
    except NotFound as exc:
        raise Http404 from exc


def _choices(user: Any) -> tuple[list[Entity], list[Exercise]]:
    ids = entity_ids_for(user, services.MANAGE)
    entities = Entity.objects.active().order_by("name")
    exercises = Exercise.objects.public().for_entities(ids).order_by("title")
    if ids is not None:
        entities = entities.filter(pk__in=ids)
    return list(entities), list(exercises)


def _data(cleaned: dict) -> services.MeetingData:
    return services.MeetingData(
        title=cleaned["title"],
        kind=cleaned["kind"],
        mode=cleaned["mode"],
        starts_at=cleaned["starts_at"],
        ends_at=cleaned["ends_at"],
        description=cleaned["description"],
        address=cleaned["address"],
        municipality_code=cleaned["municipality_code"],
        video_url=cleaned["video_url"],
        capacity=cleaned["capacity"],
        registration_open=cleaned["registration_open"],
        exercise_slug=cleaned["exercise_slug"],
    )


@_staff
def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/staff/list.html",
        {"meetings": selectors.meeting_list_staff(user=request.user)[:200]},
    )


@_staff
def meeting_create(request: HttpRequest) -> HttpResponse:
    entities, exercises = _choices(request.user)
    form = MeetingForm(
        request.POST or None,
        entities=entities,
        exercises=exercises,
        initial={"mode": Meeting.Mode.IN_PERSON, "registration_open": True},
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            entity = next(e for e in entities if e.pk == form.cleaned_data["entity"])
            meeting = run_action(
                request,
                lambda: services.meeting_create(
                    entity=entity, by=request.user, data=_data(form.cleaned_data), request=request
                ),
                _("Encuentro guardado como borrador. Revíselo y publíquelo."),
                form=form,
            )
            if meeting is not None:
                return redirect("meetings:staff_manage", slug=meeting.slug)
    return render(request, "meetings/staff/form.html", {"form": form}, status=status)


def _initial(meeting: Meeting) -> dict[str, Any]:
    local = {f: timezone.localtime(getattr(meeting, f)) for f in ("starts_at", "ends_at")}
    return {
        "entity": meeting.entity_id,
        "title": meeting.title,
        "kind": meeting.kind,
        "description": meeting.description,
        "mode": meeting.mode,
        "municipality_code": meeting.municipality_id or "",
        "address": meeting.address,
        "video_url": meeting.video_url,
        "capacity": meeting.capacity,
        "registration_open": meeting.registration_open,
        "exercise_slug": meeting.exercise.slug if meeting.exercise_id else "",
        **local,
    }


@_staff
def meeting_manage(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _get(request, slug)
    _entities, exercises = _choices(request.user)
    form = MeetingForm(
        request.POST or None,
        entities=[meeting.entity],
        exercises=exercises,
        initial=_initial(meeting),
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            saved = run_action(
                request,
                lambda: services.meeting_edit(
                    meeting=meeting, by=request.user, data=_data(form.cleaned_data), request=request
                ),
                _("Cambios guardados."),
                form=form,
            )
            if saved is not None:
                return redirect("meetings:staff_manage", slug=meeting.slug)
    return _manage_page(request, meeting, form=form, status=status)


def _manage_page(
    request: HttpRequest, meeting: Meeting, *, status: int = 200, **forms: Any
) -> HttpResponse:
    registrations = [
        {
            "registration": r,
            "address": mask(address_of(r.contact, r.channel)),
        }
        for r in selectors.registrations_staff(meeting).select_related("contact")
    ]
    held = meeting.starts_at <= timezone.now()
    context = {
        "meeting": meeting,
        "registrations": registrations,
        "held": held,
        "statuses": Registration.Status,
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
        "contribution_form": ContributionEntryForm(),
        "cancel_form": MeetingCancelForm(),
        "entered": meeting.contributions.select_related("contribution").order_by("-id")[:50],
        **forms,
    }
    return render(request, "meetings/staff/manage.html", context, status=status)


@_staff
@require_POST
def meeting_publish(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _get(request, slug)
    run_action(
        request,
        lambda: services.meeting_publish(meeting=meeting, by=request.user, request=request),
        _("Encuentro publicado: ya recibe inscripciones."),
    )
    return redirect("meetings:staff_manage", slug=meeting.slug)


@_staff
@require_POST
def attendance(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _get(request, slug)
    present = {int(v) for v in request.POST.getlist("asistio") if v.isdigit()}
    run_action(
        request,
        lambda: services.attendance_record(
            meeting=meeting, by=request.user, attended=present, request=request
        ),
        _("Asistencia guardada."),
    )
    return redirect("meetings:staff_manage", slug=meeting.slug)


def _manage_form_post(
    request: HttpRequest,
    meeting: Meeting,
    form: Any,
    *,
    form_key: str,
    action: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """A form of a meeting's staff page: valid, ``action`` (given the cleaned data) runs through
    ``run_action`` and the page is shown again with ``done``; otherwise, or when the service
    refuses, the page answers 422 with ``form`` (as ``form_key``) showing its errors."""
    if form.is_valid():
        outcome = run_action(request, lambda: action(form.cleaned_data), done, form=form)
        if outcome is not None:
            return redirect("meetings:staff_manage", slug=meeting.slug)
    form_edit = MeetingForm(entities=[meeting.entity], exercises=[], initial=_initial(meeting))
    return _manage_page(request, meeting, form=form_edit, status=422, **{form_key: form})


@_staff
@require_POST
def minutes(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _get(request, slug)
    return _manage_form_post(
        request,
        meeting,
        MinutesForm(request.POST),
        form_key="minutes_form",
        action=lambda data: services.minutes_save(
            meeting=meeting, by=request.user, minutes=data["minutes"], request=request
        ),
        done=_("Acta guardada y publicada en la página del encuentro."),
    )


@_staff
@require_POST
def contribution_enter(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _get(request, slug)
    return _manage_form_post(
        request,
        meeting,
        ContributionEntryForm(request.POST),
        form_key="contribution_form",
        action=lambda data: services.meeting_contribution_enter(
            meeting=meeting,
            by=request.user,
            kind=data["kind"],
            text=data["text"],
            request=request,
        ),
        done=_("Aporte registrado en el ejercicio."),
    )


@_staff
@require_POST
def meeting_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _get(request, slug)
    return _manage_form_post(
        request,
        meeting,
        MeetingCancelForm(request.POST),
        form_key="cancel_form",
        action=lambda data: services.meeting_cancel(
            meeting=meeting, by=request.user, reason=data["reason"], request=request
        ),
        done=_(
            "Encuentro cancelado: se avisa a las personas inscritas por el canal que eligieron."
        ),
    )
