"""A citizen's own pages: "Mis aportes" (what their account sent, supported and follows, with
receipts and states) and following an exercise in one click with the account's address."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from urna.core.web import citizen_page_refused
from urna.exercises import selectors, selectors_participant
from urna.exercises.forms import FollowForm
from urna.exercises.phases import phase
from urna.exercises.timeline_views import code_requested


@never_cache
@login_required
def my_contributions(request: HttpRequest) -> HttpResponse:
    if request.user.is_staff:
        return citizen_page_refused(
            request, _("«Mis aportes» es la página de las cuentas ciudadanas.")
        )
    activity = selectors_participant.my_activity(user=request.user)
    return render(request, "exercises/mine.html", {"activity": activity})


@never_cache
@login_required
@require_POST
def follow_account(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow an exercise with the account's email (or, without one, its phone by SMS) in one
    click, confirmed by the code sent there: an account's address is not verified when it is
    created, so without the code anyone could subscribe someone else's phone or inbox."""
    exercise = selectors.exercise_get(slug)
    if exercise is None or not phase(exercise.status).public:
        raise Http404
    user = request.user
    if user.is_staff:
        return citizen_page_refused(
            request, _("Siga el ejercicio con su correo o celular en el formulario.")
        )
    if not (user.email or user.phone):
        raise PermissionDenied(_("Siga el ejercicio con su correo o celular en el formulario."))
    form = FollowForm({"address": user.email or user.phone, "consent": "on"})
    return code_requested(request, exercise, form, "follow")
