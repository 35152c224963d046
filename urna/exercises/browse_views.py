"""Public pages to find, read and discuss an exercise's contributions: the searchable list
(search, filters, orders, numbered pages; htmx swaps only the results when it is there) and a
page per contribution, with a link to share, its replies and the form to reply."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from urna.core.errors import DomainError
from urna.core.web import add_domain_error
from urna.exercises import selectors, selectors_browse, selectors_participant
from urna.exercises.forms_browse import ContributionSearchForm, ReplyForm
from urna.exercises.models import Contribution, Exercise
from urna.exercises.participants import request_participant_key
from urna.exercises.phases import phase
from urna.exercises.services import exercise_accepts_contributions, reply_submit

PAGE_SIZE = 20
THREADS_PER_PAGE = 20
# Where ``views.support`` leaves the confirmation of a support for the page it returns to.
SUPPORT_NOTICE = "urna_support_notice"


def _exercise_or_404(slug: str) -> Exercise:
    exercise = selectors.exercise_detail(slug)
    if exercise is None:
        raise Http404
    return exercise


def _participant_marks(request: HttpRequest, contributions: list) -> dict:
    """The proposals of the page this participant supported ("Usted apoyó esta propuesta"),
    and the confirmation of a support just given, shown once beside it."""
    proposals = [c.pk for c in contributions if c.kind == Contribution.Kind.PROPOSAL]
    key = request_participant_key(request) if proposals else None
    return {
        "supported": selectors_participant.supported_ids(key, proposals) if key else set(),
        "support_notice": request.session.pop(SUPPORT_NOTICE, None),
    }


def contributions(request: HttpRequest, slug: str) -> HttpResponse:
    """/ejercicios/<slug>/aportes/: every published contribution, searched, filtered, sorted."""
    exercise = _exercise_or_404(slug)
    form = ContributionSearchForm(request.GET, exercise=exercise)
    filters = form.filters()
    rows = selectors_browse.contribution_browse(exercise=exercise, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {
        "exercise": exercise,
        "phase": phase(exercise.status),
        "open_now": exercise_accepts_contributions(exercise),
        "form": form,
        "filters": filters,
        "page": page,
        "extra": filters.urlencode(),
        **_participant_marks(request, page.object_list),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "exercises/browse/_results.html", context)
    return render(request, "exercises/browse/list.html", context)


def contribution(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """/ejercicios/<slug>/aportes/<id>/: one published contribution, what it comments, the
    entity's answer once published, its replies; POST replies to it."""
    exercise = _exercise_or_404(slug)
    item = selectors_browse.contribution_public(exercise=exercise, pk=pk)
    if item is None:
        raise Http404
    open_now = exercise_accepts_contributions(exercise)
    form, status = ReplyForm(), 200
    if request.method == "POST":
        form, status, done = _reply(request, exercise, item, open_now)
        if done is not None:
            return redirect(done)
    threads = Paginator(selectors_browse.reply_threads(item), THREADS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    below = selectors_browse.replies_below(list(threads), exercise_id=exercise.pk)
    path = reverse("exercises:contribution", kwargs={"slug": exercise.slug, "pk": item.pk})
    label = _("%(kind)s n.º %(id)s") % {"kind": item.get_kind_display(), "id": item.pk}
    return render(
        request,
        "exercises/browse/contribution.html",
        {
            "exercise": exercise,
            "c": item,
            "label": label,
            "phase": phase(exercise.status),
            "show_response": phase(exercise.status).shows_results,
            "open_now": open_now,
            "threads": [
                (reply, below.get(reply.pk, []), ReplyForm(auto_id=f"r{reply.pk}-%s"))
                for reply in threads
            ],
            "page": threads,
            "form": form,
            "share_url": request.build_absolute_uri(path),
            "og_description": Truncator(item.masked_text or item.choice).chars(200),
            **_participant_marks(request, [item]),
        },
        status=status,
    )


def _reply(
    request: HttpRequest, exercise: Exercise, item: Contribution, open_now: bool
) -> tuple[ReplyForm, int, str | None]:
    """The reply form posted: (the form with its errors, the status, or where to go)."""
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return form, 400, None
    data = form.cleaned_data
    if not open_now:
        form.add_error(
            None, _("La participación en este ejercicio no está abierta: no se reciben respuestas.")
        )
        return form, 409, None
    if data["sitio_web"]:
        form.add_error(
            None, _("No pudimos procesar su respuesta. Revise el formulario e inténtelo de nuevo.")
        )
        return form, 400, None
    parent = item
    if data["responde_a"]:
        parent = selectors_browse.contribution_public(exercise=exercise, pk=data["responde_a"])
        if parent is None or item.pk not in (parent.parent_id, parent.pk):
            raise Http404
    if not request.session.session_key:
        request.session["urna_participant"] = True
        request.session.save()
    try:
        result = reply_submit(parent=parent, text=data["text"], user=request.user, request=request)
    except DomainError as exc:
        add_domain_error(form, exc)
        return form, exc.status, None
    reply = result.contribution
    if reply.moderation == Contribution.Moderation.VISIBLE:
        note = _("Gracias: su respuesta quedó publicada. Su recibo es %(receipt)s.")
    else:
        note = _(
            "Gracias: su respuesta se publicará cuando el equipo de moderación la revise. "
            "Su recibo es %(receipt)s."
        )
    messages.success(request, note % {"receipt": reply.receipt})
    anchor = f"#respuesta-{reply.pk}" if reply.moderation == "visible" else "#respuestas"
    return form, 302, request.path + anchor
