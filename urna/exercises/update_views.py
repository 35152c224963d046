"""Staff pages of an exercise's updates: write, correct and publish what happened after the
consultation, with its documents. Scoped to the staff's entities like every staff page of
exercises (another entity's exercise is a 404; a role without the rights, a 403)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urna.accounts.permissions import can, staff_required
from urna.core.errors import NotFound
from urna.core.web import run_action
from urna.exercises import selectors, services
from urna.exercises.forms import DocumentForm, UpdateCreateForm, UpdateForm
from urna.exercises.models import Exercise, ExerciseUpdate
from urna.exercises.services.updates import UPDATE_ACTIONS


def _staff(view):
    return login_required(staff_required(view))


def _get(request: HttpRequest, slug: str) -> Exercise:
    """An exercise of the user's entities (another entity's is a 404, never a 403)."""
    try:
        return selectors.staff_exercise_get(user=request.user, slug=slug)
    except NotFound as exc:
        raise Http404 from exc


def _update(exercise: Exercise, pk: int) -> ExerciseUpdate:
    update = (
        ExerciseUpdate.objects.select_related("exercise__owner", "entity")
        .filter(exercise=exercise, pk=pk)
        .first()
    )
    if update is None:
        raise Http404
    return update


def _may_post(user: Any, exercise: Exercise) -> bool:
    return any(can(user, action, exercise) for action in UPDATE_ACTIONS)


@_staff
def updates(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _get(request, slug)
    form = UpdateCreateForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data

            @transaction.atomic  # the update, its document and its publication, or nothing
            def create() -> ExerciseUpdate:
                update = services.update_create(
                    exercise=exercise,
                    by=request.user,
                    kind=data["kind"],
                    title=data["title"],
                    body=data["body"],
                    request=request,
                )
                if data["document"]:
                    services.update_document_attach(
                        update=update,
                        by=request.user,
                        title=data["document_title"] or data["title"],
                        upload=data["document"],
                        request=request,
                    )
                if data["publish"]:
                    services.update_publish(update=update, by=request.user, request=request)
                return update

            done = _("Novedad publicada.") if data["publish"] else _("Novedad guardada.")
            created = run_action(request, create, done, form=form)
            if created is not None:
                return redirect("exercises:staff_updates", slug=exercise.slug)
            status = 422
    listed = (
        ExerciseUpdate.objects.filter(exercise=exercise)
        .select_related("author")
        .prefetch_related("documents", "broadcasts")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "exercises/staff/updates.html",
        {
            "exercise": exercise,
            "updates": listed,
            "form": form,
            "may_post": _may_post(request.user, exercise),
        },
        status=status,
    )


@_staff
def update_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    exercise = _get(request, slug)
    update = _update(exercise, pk)
    initial = {"kind": update.kind, "title": update.title, "body": update.body}
    form = UpdateForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            saved = run_action(
                request,
                lambda: services.update_edit(
                    update=update, by=request.user, request=request, **form.cleaned_data
                ),
                _("Cambios guardados."),
                form=form,
            )
            if saved is not None:
                return redirect("exercises:staff_update_edit", slug=exercise.slug, pk=update.pk)
            status = 422
    return render(
        request,
        "exercises/staff/update_edit.html",
        {
            "exercise": exercise,
            "update": update,
            "form": form,
            "document_form": DocumentForm(),
            "may_post": _may_post(request.user, exercise),
        },
        status=status,
    )


@_staff
@require_POST
def update_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    exercise = _get(request, slug)
    update = _update(exercise, pk)
    run_action(
        request,
        lambda: services.update_publish(update=update, by=request.user, request=request),
        _("Novedad publicada: avisaremos a quienes participaron o siguen el ejercicio."),
    )
    return redirect("exercises:staff_updates", slug=exercise.slug)


@_staff
@require_POST
def update_document(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    exercise = _get(request, slug)
    update = _update(exercise, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        run_action(
            request,
            lambda: services.update_document_attach(
                update=update,
                by=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                request=request,
            ),
            _("Documento adjuntado."),
        )
    else:
        messages.error(request, _("Elija un archivo y escriba su título."))
    return redirect("exercises:staff_update_edit", slug=exercise.slug, pk=update.pk)
