"""Public pages of participation exercises: list, exercise page, participation form, receipt
confirmation and status, supports and results. No account is needed for any of them."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urna.contacts.services import ContactDetails
from urna.core.errors import DomainError
from urna.core.web import add_domain_error
from urna.entities.models import Entity
from urna.exercises import selectors, selectors_browse, selectors_participant
from urna.exercises.api import phase_dates, receipt_status_dict
from urna.exercises.forms import AnswerForm, ContributionForm, FollowForm, UnfollowForm
from urna.exercises.models import Contribution, Exercise, Topic
from urna.exercises.participants import request_participant_key
from urna.exercises.phases import phase
from urna.exercises.sections import results_sections
from urna.exercises.services import contribution_submit, support_add
from urna.exercises.timeline import exercise_timeline
from urna.territory.models import Department

PAGE_SIZE = 20
# The confirmation of a support, shown once beside the proposal (not at the top of the page).
SUPPORT_NOTICE = "urna_support_notice"


def _public_or_404(slug: str) -> Exercise:
    exercise = selectors.exercise_detail(slug)
    if exercise is None:
        raise Http404
    return exercise


def _ensure_session(request: HttpRequest, *, key_now: bool = False) -> None:
    """Give the browser a session, the identity its rate limits and supports count against.

    The session middleware stores a new session once, with the response. ``key_now`` stores it
    at once, for a view that needs the key during the request (a second write follows then).
    """
    if not request.session.session_key:
        request.session["urna_participant"] = True
        if key_now:
            request.session.save()


def exercise_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("estado") or None
    if status not in {None, "open", "closed", "results", "upcoming"}:
        status = None
    filters = {
        "status": status,
        "entity": request.GET.get("entidad") or None,
        "topic": request.GET.get("tema") or None,
        "department": request.GET.get("departamento") or None,
    }
    page = Paginator(selectors.exercise_list_public(**filters), 12).get_page(
        request.GET.get("pagina")
    )
    owners = Entity.objects.filter(exercises_owned__status__in=Exercise.Status.values).exclude(
        exercises_owned__status=Exercise.Status.DRAFT
    )
    return render(
        request,
        "exercises/list.html",
        {
            "page": page,
            "filters": filters,
            "entities": owners.distinct().order_by("name"),
            "topics": Topic.objects.filter(exercises__isnull=False).distinct(),
            "departments": Department.objects.order_by("display_name"),
            "status_choices": [
                ("open", _("Abiertos")),
                ("upcoming", _("Próximos")),
                ("closed", _("En análisis")),
                ("results", _("Con resultados")),
            ],
            "query": request.GET.copy(),
        },
    )


def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _public_or_404(slug)
    kind = request.GET.get("tipo") or None
    if kind not in Contribution.Kind.values:
        kind = None
    article = request.GET.get("articulo")
    article = int(article) if article and article.isdigit() else None
    contributions = selectors.contribution_list_public(
        exercise=exercise, kind=kind, article=article
    )
    counts = selectors.exercise_counts(exercise)
    paginator = Paginator(contributions, PAGE_SIZE)
    if kind is None and article is None:
        # The cached count spares a COUNT over every contribution on each page view.
        paginator.count = selectors_browse.top_level_count(exercise)
    page = paginator.get_page(request.GET.get("pagina"))
    open_now = phase(exercise.status).accepts_contributions and exercise.is_open
    comments = selectors.article_comment_counts(exercise) if exercise.articles.all() else {}
    key = request_participant_key(request)
    answered = selectors_participant.answered_question_ids(key, exercise)
    results = (
        {r["question"].pk: r for r in selectors.question_results(exercise)} if answered else {}
    )
    questions = [
        {"question": q, "form": AnswerForm(question=q), "results": results.get(q.pk)}
        for q in exercise.questions.all()
    ]
    if open_now and questions:
        _ensure_session(request)
    return render(
        request,
        "exercises/detail.html",
        {
            "exercise": exercise,
            "phase": phase(exercise.status),
            "phases": phase_dates(exercise),
            "open_now": open_now,
            "counts": counts,
            "page": page,
            "kind": kind,
            "article_filter": article,
            "articles": [(a, comments.get(a.pk, 0)) for a in exercise.articles.all()],
            "questions": questions,
            "kinds": Contribution.Kind.choices,
            "extra": urlencode({k: v for k, v in {"tipo": kind, "articulo": article}.items() if v}),
            # What happened after: phases, results, the entity's updates; and following it.
            "timeline": exercise_timeline(exercise),
            "follow_form": FollowForm(),
            "unfollow_form": UnfollowForm(),
            **_participant_marks(request, key, page.object_list),
            "participation_map": selectors_participant.participation_map(exercise),
            "account_follows": selectors_participant.account_follows(request.user, exercise),
        },
    )


def _participant_marks(request: HttpRequest, key: str | None, contributions) -> dict:
    """What this participant did to the listed contributions: the proposals they supported,
    and the confirmation of the support they just gave (shown once, beside it)."""
    proposals = [c.pk for c in contributions if c.kind == Contribution.Kind.PROPOSAL]
    notice = (
        request.session.pop(SUPPORT_NOTICE, None) if SUPPORT_NOTICE in request.session else None
    )
    return {
        "supported": selectors_participant.supported_ids(key, proposals),
        "support_notice": notice,
    }


def participate(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _public_or_404(slug)
    open_now = phase(exercise.status).accepts_contributions and exercise.is_open
    if not open_now:
        return render(request, "exercises/closed.html", {"exercise": exercise}, status=409)
    initial = {}
    number = request.GET.get("articulo")
    if number and number.isdigit():
        initial = {"kind": Contribution.Kind.ARTICLE_COMMENT, "article": int(number)}
    form = ContributionForm(request.POST or None, exercise=exercise, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.cleaned_data["sitio_web"]:
            form.add_error(
                None, _("No pudimos procesar su aporte. Revise el formulario e inténtelo de nuevo.")
            )
        if form.is_valid():
            data = form.cleaned_data
            _ensure_session(request, key_now=True)
            contact = None
            if data["phone"] or data["email"]:
                contact = ContactDetails(
                    phone=data["phone"],
                    email=data["email"],
                    consent=data["consent"],
                    campaigns=data["consent"] and data["campaigns"],
                )
            try:
                result = contribution_submit(
                    exercise=exercise,
                    kind=data["kind"],
                    text=data["text"],
                    channel=Contribution.Channel.WEB,
                    article=data.get("article"),
                    municipality_code=data["municipality"] or None,
                    contact=contact,
                    user=request.user,
                    demographics={
                        "age_range": data["age_range"],
                        "gender": data["gender"],
                        "ethnic_group": data["ethnic_group"],
                    },
                    request=request,
                )
            except DomainError as exc:
                # The page answers with the error's own status (422, 409, 429…).
                add_domain_error(form, exc)
                status = exc.status
            else:
                return redirect(
                    "exercises:thanks", slug=exercise.slug, receipt=result.contribution.receipt
                )
        else:
            status = 400
    else:
        _ensure_session(request)
    return render(
        request,
        "exercises/participate.html",
        {"exercise": exercise, "form": form},
        status=status,
    )


@require_POST
def answer_question(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    exercise = _public_or_404(slug)
    question = next((q for q in exercise.questions.all() if q.number == number), None)
    if question is None:
        raise Http404
    form = AnswerForm(request.POST, question=question)
    status = 400
    refused = False
    if form.is_valid():
        # The browser's session is who answers (once per question) when no account is.
        _ensure_session(request, key_now=True)
        try:
            result = contribution_submit(
                exercise=exercise,
                kind=Contribution.Kind.ANSWER,
                text="",
                channel=Contribution.Channel.WEB,
                question=question.number,
                choice=form.cleaned_data["choice"],
                user=request.user,
                request=request,
            )
        except DomainError as exc:
            # The page answers with the error's own status (422, 409, 429…).
            add_domain_error(form, exc)
            status = exc.status
            refused = exc.code == "already_answered"
        else:
            return redirect(
                "exercises:thanks", slug=exercise.slug, receipt=result.contribution.receipt
            )
    return render(
        request,
        "exercises/answer.html",
        {
            "exercise": exercise,
            "question": question,
            "form": form,
            "refused": refused,
            "result": _question_result(exercise, question.pk) if refused else None,
        },
        status=status,
    )


def _question_result(exercise: Exercise, question_id: int) -> dict | None:
    return next(
        (r for r in selectors.question_results(exercise) if r["question"].pk == question_id),
        None,
    )


def thanks(request: HttpRequest, slug: str, receipt: str) -> HttpResponse:
    contribution = selectors.contribution_by_receipt(receipt)
    if contribution is None or contribution.exercise.slug != slug:
        raise Http404
    result = None
    if contribution.kind == Contribution.Kind.ANSWER and contribution.question_id:
        # What everyone answered so far, right after the participant's own answer.
        result = _question_result(contribution.exercise, contribution.question_id)
    return render(
        request,
        "exercises/thanks.html",
        {"contribution": contribution, "exercise": contribution.exercise, "result": result},
    )


def contribution_status(request: HttpRequest, receipt: str) -> HttpResponse:
    """/r/UC-… (dispatched by core): the state of a contribution and the government's answer."""
    contribution = selectors.contribution_by_receipt(receipt)
    if contribution is None:
        raise Http404
    return render(
        request,
        "exercises/status.html",
        {
            "status": receipt_status_dict(contribution),
            "contribution": contribution,
            "exercise": contribution.exercise,
        },
    )


@require_POST
def support(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Support a proposal. Without JavaScript the page comes back at the proposal, with the
    confirmation beside it; with htmx only the proposal's support area is swapped."""
    exercise = _public_or_404(slug)
    contribution = (
        Contribution.objects.select_related("exercise").filter(exercise=exercise, pk=pk).first()
    )
    if contribution is None:
        raise Http404
    _ensure_session(request, key_now=True)
    try:
        created = support_add(
            contribution=contribution,
            user=request.user,
            session_key=request.session.session_key,
        )
    except DomainError as exc:
        notice = {"pk": contribution.pk, "level": "error", "text": exc.message}
    else:
        text = (
            _("Gracias: su apoyo quedó registrado.")
            if created
            else _("Usted ya había apoyado esta propuesta.")
        )
        notice = {"pk": contribution.pk, "level": "success" if created else "info", "text": text}
    back = _back_to(request, exercise)
    if request.headers.get("HX-Request"):
        contribution.refresh_from_db(fields=["support_count"])
        key = request_participant_key(request)
        return render(
            request,
            "exercises/_support.html",
            {
                "c": contribution,
                "exercise": exercise,
                "open_now": exercise.is_open,
                "supported": selectors_participant.supported_ids(key, [contribution.pk]),
                "support_notice": notice,
                "back": back,
            },
        )
    request.session[SUPPORT_NOTICE] = notice
    return redirect(f"{back}#aporte-{contribution.pk}")


def _back_to(request: HttpRequest, exercise: Exercise) -> str:
    """The page the support was given on (its filters and page number), if it is ours."""
    back = (request.POST.get("volver") or "").split("#")[0]
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return exercise.get_absolute_url()


def results(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _public_or_404(slug)
    if not phase(exercise.status).shows_results:
        return render(request, "exercises/closed.html", {"exercise": exercise}, status=404)
    decision = request.GET.get("decision") or None
    qs = selectors.contribution_list_public(exercise=exercise).exclude(
        kind=Contribution.Kind.ANSWER
    )
    if decision:
        qs = qs.filter(response__decision=decision)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "exercises/results.html",
        {
            # What the apps above add (the analysts' findings: ``findings``, from insights).
            **results_sections(exercise),
            "exercise": exercise,
            "page": page,
            "decision": decision,
            "decisions": selectors.decision_counts(exercise),
            "counts": selectors.exercise_counts(exercise),
            "questions": selectors.question_results(exercise),
        },
    )
