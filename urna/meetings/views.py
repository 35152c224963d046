"""Public pages of meetings and workshops: the list with its filters, a meeting's page with
its registration form (and, afterwards, its minutes), a registration's page by its code, and
cancelling with the code."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from urna.core.errors import NotFound
from urna.core.receipts import receipt_page
from urna.core.web import run_action
from urna.meetings import registrations, selectors
from urna.meetings.forms import CancelForm, RegistrationForm
from urna.meetings.models import Registration

PAGE_SIZE = 20


def meeting_list(request: HttpRequest) -> HttpResponse:
    when = request.GET.get("cuando")
    when = selectors.WHEN_PAST if when == selectors.WHEN_PAST else selectors.WHEN_UPCOMING
    municipality = (request.GET.get("municipio") or "").strip()[:5]
    entity = (request.GET.get("entidad") or "").strip()[:60]
    meetings = selectors.meeting_list_public(
        when=when, municipality_code=municipality, entity_slug=entity
    )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "when": when,
            "municipality": municipality,
            "entity": entity,
            "choices": selectors.meeting_filter_choices(),
            "extra": urlencode(
                {
                    k: v
                    for k, v in {
                        "cuando": when,
                        "municipio": municipality,
                        "entidad": entity,
                    }.items()
                    if v
                }
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        meeting = selectors.meeting_get_public(slug=slug)
    except NotFound as exc:
        raise Http404 from exc
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            registration = run_action(
                request,
                lambda: registrations.registration_create(
                    meeting=meeting,
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    whatsapp=data["whatsapp"],
                    consent=data["consent"],
                    request=request,
                ),
                form=form,
            )
            if registration is not None:
                return redirect("meetings:registration", slug=meeting.slug, code=registration.code)
    return render(
        request, "meetings/detail.html", {"meeting": meeting, "form": form}, status=status
    )


@receipt_page
def registration(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    try:
        found = registrations.registration_get(code=code, slug=slug)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "meetings/registration.html",
        {
            "registration": found,
            "meeting": found.meeting,
            "position": registrations.waiting_position(found),
            "cancel_form": CancelForm(initial={"code": found.code}),
            "statuses": Registration.Status,
            # The video link only for a confirmed seat.
            "show_link": found.status == Registration.Status.CONFIRMED,
        },
    )


@receipt_page
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest) -> HttpResponse:
    """Cancel with the code (typed, or sent by the registration page's button)."""
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                found = registrations.registration_get(code=form.cleaned_data["code"])
            except NotFound as exc:
                form.add_error("code", exc.message)
                return render(request, "meetings/cancel.html", {"form": form}, status=404)
            cancelled = run_action(
                request,
                lambda: registrations.registration_cancel(code=found.code, request=request),
                _("Inscripción cancelada. Gracias por avisar: el cupo pasa a otra persona."),
                form=form,
            )
            if cancelled is not None:
                return redirect(
                    "meetings:registration", slug=cancelled.meeting.slug, code=cancelled.code
                )
    return render(request, "meetings/cancel.html", {"form": form}, status=status)
