"""The staff page of an exercise's deliberation: create it, change its settings, seed
statements, moderate proposals and ask for a recompute. Scoped to the staff's own entities
(``staff_exercise_get``); every change goes through a service that checks the permission and
writes the audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from urna.accounts.permissions import can, staff_required
from urna.core.errors import NotFound
from urna.core.web import run_action
from urna.deliberation import selectors, services
from urna.deliberation.forms import ModerationForm, SettingsForm, StatementForm
from urna.deliberation.recompute import recompute_now
from urna.exercises.selectors import staff_exercise_get


def _create(request: HttpRequest, deliberation, exercise) -> bool:
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return False
    data = dict(form.cleaned_data)
    question = data.pop("question")
    return bool(
        run_action(
            request,
            lambda: services.deliberation_create(
                exercise=exercise, question=question, by=request.user, request=request, **data
            ),
            _("Deliberación creada."),
        )
    )


def _settings(request: HttpRequest, deliberation, exercise) -> bool:
    form = SettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Revise los datos de la configuración."))
        return False
    return bool(
        run_action(
            request,
            lambda: services.deliberation_update(
                deliberation=deliberation, by=request.user, request=request, **form.cleaned_data
            ),
            _("Configuración guardada."),
        )
    )


def _statement(request: HttpRequest, deliberation, exercise) -> bool:
    form = StatementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La afirmación debe tener entre 10 y 280 caracteres."))
        return False
    return bool(
        run_action(
            request,
            lambda: services.statement_add(
                deliberation=deliberation,
                text=form.cleaned_data["text"],
                by=request.user,
                request=request,
            ),
            _("Afirmación publicada."),
        )
    )


def _moderate(request: HttpRequest, deliberation, exercise) -> bool:
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija publicar o rechazar."))
        return False
    statement = deliberation.statements.filter(pk=form.cleaned_data["statement"]).first()
    if statement is None:
        raise Http404
    statement.deliberation = deliberation
    return bool(
        run_action(
            request,
            lambda: services.statement_moderate(
                statement=statement,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            ),
            _("Moderación guardada."),
        )
    )


def _recompute(request: HttpRequest, deliberation, exercise) -> bool:
    if not can(request.user, "exercise.edit", exercise):
        raise Http404
    recompute_now(deliberation)
    messages.success(request, _("Recálculo en cola: los grupos se actualizarán en breve."))
    return True


# The page's forms, by their ``action`` field; all but "create" act on an existing deliberation.
ACTIONS = {
    "settings": _settings,
    "statement": _statement,
    "moderate": _moderate,
    "recompute": _recompute,
}


def _post(request: HttpRequest, deliberation, exercise) -> bool:
    """Run the posted action; True when it succeeded (the page then redirects)."""
    action = request.POST.get("action", "")
    if action == "create" and deliberation is None:
        return _create(request, deliberation, exercise)
    if deliberation is None or action not in ACTIONS:
        raise Http404
    return ACTIONS[action](request, deliberation, exercise)


@login_required
@staff_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        exercise = staff_exercise_get(user=request.user, slug=slug, action="exercise.view_staff")
    except NotFound as exc:
        raise Http404 from exc
    deliberation = selectors.deliberation_of(exercise)
    if request.method == "POST" and _post(request, deliberation, exercise):
        return redirect("deliberation:staff_manage", slug=slug)
    return render(
        request,
        "deliberation/staff/manage.html",
        {
            "exercise": exercise,
            "deliberation": deliberation,
            "settings_form": SettingsForm(instance=deliberation),
            "statement_form": StatementForm(),
            "queue": selectors.moderation_queue(deliberation)[:200] if deliberation else [],
            "counts": selectors.statement_counts(deliberation) if deliberation else {},
            "view": selectors.result_view(deliberation) if deliberation else None,
            "can_edit": can(request.user, "exercise.edit", exercise),
            "can_moderate": can(request.user, "contribution.moderate", exercise),
        },
    )
