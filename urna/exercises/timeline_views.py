"""Public pages of what happened after an exercise: its timeline ("¿Qué pasó después?"), the
Atom feed of its updates, and following it (or stopping) with a code sent to the address."""

import time

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from urna.audit.services import client_ip
from urna.contacts.forms import CodeForm
from urna.contacts.services import RIGHTS_CODE_MINUTES, address_normalise
from urna.core.errors import DomainError, RateLimited
from urna.core.personal_data import mask
from urna.core.web import add_domain_error
from urna.exercises import selectors, services
from urna.exercises.forms import FollowForm, UnfollowForm
from urna.exercises.models import Exercise
from urna.exercises.phases import phase
from urna.exercises.timeline import exercise_timeline, published_updates

# The address waiting for its code, in the citizen's session.
FOLLOW_KEY = "exercise_follow"


def _public_or_404(slug: str) -> Exercise:
    exercise = selectors.exercise_get(slug)
    if exercise is None or not phase(exercise.status).public:
        raise Http404
    return exercise


def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _public_or_404(slug)
    return render(
        request,
        "exercises/timeline.html",
        {
            "exercise": exercise,
            "timeline": exercise_timeline(exercise),
            "follow_form": FollowForm(),
            "unfollow_form": UnfollowForm(),
        },
    )


def timeline_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The exercise's published updates as an Atom feed, newest first."""
    exercise = _public_or_404(slug)
    link = request.build_absolute_uri(exercise.get_absolute_url())
    feed = Atom1Feed(
        title=_("Novedades: %(title)s") % {"title": exercise.title},
        link=link,
        description=exercise.summary,
        language="es-co",
        feed_url=request.build_absolute_uri(),
    )
    for update in reversed(list(published_updates(exercise))):
        feed.add_item(
            title=update.title,
            link=request.build_absolute_uri(update.get_absolute_url()),
            description=update.body_html,
            pubdate=update.published_at,
            updateddate=update.updated_at,
            unique_id=request.build_absolute_uri(update.get_absolute_url()),
            author_name=update.entity.name,
            categories=[update.get_kind_display()],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def code_requested(request: HttpRequest, exercise: Exercise, form, action: str) -> HttpResponse:
    """Send the code to the form's address and wait for it (or show the form's errors)."""
    status = 400
    if form.is_valid():
        try:
            address = address_normalise(form.cleaned_data["address"])
            nonce = services.follow_code_send(address=address, ip=client_ip(request))
        except DomainError as exc:  # the status tells a typo (422) from a limit (429)
            add_domain_error(form, exc)
            status = exc.status
        else:
            request.session[FOLLOW_KEY] = {
                "action": action,
                "slug": exercise.slug,
                "address": address,
                "channel": services.follow_channel(
                    address, whatsapp=bool(form.cleaned_data.get("whatsapp"))
                ),
                "nonce": nonce,
                "expires": time.time() + RIGHTS_CODE_MINUTES * 60,
            }
            return redirect("exercises:follow_code", slug=exercise.slug)
    return render(
        request,
        "exercises/follow.html",
        {"exercise": exercise, "form": form, "action": action},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _public_or_404(slug)
    if request.method == "GET":
        context = {"exercise": exercise, "form": FollowForm(), "action": "follow"}
        return render(request, "exercises/follow.html", context)
    return code_requested(request, exercise, FollowForm(request.POST), "follow")


@never_cache
@require_POST
def unfollow(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _public_or_404(slug)
    return code_requested(request, exercise, UnfollowForm(request.POST), "unfollow")


@never_cache
@require_http_methods(["GET", "POST"])
def follow_code(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _public_or_404(slug)
    pending = request.session.get(FOLLOW_KEY) or {}
    if pending.get("slug") != exercise.slug or "nonce" not in pending:
        return redirect("exercises:follow", slug=exercise.slug)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if pending["expires"] < time.time():
            del request.session[FOLLOW_KEY]
            messages.error(request, _("El código venció o se agotaron los intentos. Pida otro."))
            return redirect("exercises:follow", slug=exercise.slug)
        if form.is_valid():
            try:
                valid = services.follow_code_valid(
                    address=pending["address"],
                    nonce=pending["nonce"],
                    code=form.cleaned_data["code"],
                )
            except RateLimited as exc:
                del request.session[FOLLOW_KEY]
                messages.error(request, exc.message)
                return redirect("exercises:follow", slug=exercise.slug)
            if valid:
                del request.session[FOLLOW_KEY]
                if pending["action"] == "follow":
                    services.exercise_follow(
                        exercise=exercise,
                        address=pending["address"],
                        channel=pending["channel"],
                        request=request,
                    )
                else:
                    services.exercise_unfollow(
                        exercise=exercise, address=pending["address"], request=request
                    )
                return render(
                    request,
                    "exercises/follow_done.html",
                    {"exercise": exercise, "action": pending["action"]},
                )
            form.add_error("code", _("El código no es correcto."))
    context = {
        "exercise": exercise,
        "form": form,
        "address": mask(pending["address"]),
        "minutes": RIGHTS_CODE_MINUTES,
        "action": pending["action"],
    }
    return render(request, "exercises/follow_code.html", context, status=status)
