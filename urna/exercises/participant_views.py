"""A citizen's own pages: "Mis aportes" (what their account sent, supported and follows, with
receipts and states) and following an exercise in one click with the account's address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from urna.contacts.services import address_normalise
from urna.core.errors import DomainError
from urna.exercises import selectors, selectors_participant, services
from urna.exercises.phases import phase


@never_cache
@login_required
def my_contributions(request: HttpRequest) -> HttpResponse:
    if request.user.is_staff:
        raise PermissionDenied(_("«Mis aportes» es la página de las cuentas ciudadanas."))
    activity = selectors_participant.my_activity(user=request.user)
    return render(request, "exercises/mine.html", {"activity": activity})


@never_cache
@login_required
@require_POST
def follow_account(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow an exercise with the account's email (or, without one, its phone by SMS): the
    account holder gave that address when they signed up, so no code is sent."""
    exercise = selectors.exercise_get(slug)
    if exercise is None or not phase(exercise.status).public:
        raise Http404
    user = request.user
    if user.is_staff or not (user.email or user.phone):
        raise PermissionDenied(_("Siga el ejercicio con su correo o celular en el formulario."))
    try:
        address = address_normalise(user.email or user.phone)
        services.exercise_follow(
            exercise=exercise,
            address=address,
            channel="email" if "@" in address else "sms",
            request=request,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Listo: usted sigue este ejercicio."))
    return redirect(f"{exercise.get_absolute_url()}#seguir")
