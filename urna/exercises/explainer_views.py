"""The plain-language page of an exercise, "¿Qué cambia para usted?": public once published, at
/ejercicios/<slug>/que-cambia/, and its staff editor (scoped like every staff page of an
exercise: another entity's exercise is a 404; a role that may not edit it, a 403)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from urna.accounts.permissions import can, staff_required
from urna.core.errors import NotFound
from urna.core.web import run_action
from urna.exercises import selectors
from urna.exercises.forms_explainer import ExplainerForm
from urna.exercises.models import Exercise, ExerciseExplainer
from urna.exercises.services.explainer import explainer_save


def explainer(request: HttpRequest, slug: str) -> HttpResponse:
    found = (
        ExerciseExplainer.objects.select_related("exercise__owner")
        .filter(exercise__slug=slug, published_at__isnull=False)
        .exclude(exercise__status=Exercise.Status.DRAFT)
        .first()
    )
    if found is None:
        raise Http404
    return render(
        request, "exercises/explainer.html", {"explainer": found, "exercise": found.exercise}
    )


@login_required
@staff_required
def explainer_edit(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        exercise = selectors.staff_exercise_get(user=request.user, slug=slug)
    except NotFound as exc:
        raise Http404 from exc
    if not can(request.user, "exercise.edit", exercise):
        raise PermissionDenied(_("Su rol no puede editar los textos de este ejercicio."))
    current = ExerciseExplainer.objects.filter(exercise=exercise).first()
    initial = {}
    if current is not None:
        fields = ("summary", "what_changes", "for_whom", "from_when", "what_you_can_do")
        initial = {name: getattr(current, name) for name in fields}
        initial["publish"] = current.published_at is not None
    form = ExplainerForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            saved = run_action(
                request,
                lambda: explainer_save(
                    exercise=exercise, by=request.user, request=request, **form.cleaned_data
                ),
                _("Página «¿Qué cambia para usted?» guardada."),
                form=form,
            )
            if saved is not None:
                return redirect("exercises:staff_explainer", slug=exercise.slug)
    return render(
        request,
        "exercises/staff/explainer.html",
        {"exercise": exercise, "form": form, "explainer": current},
        status=status,
    )
