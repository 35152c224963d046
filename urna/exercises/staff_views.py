"""Staff pages of participation exercises, scoped to the user's entities: create, edit, publish
and close exercises, moderate, export CSV (the results matrix is ``urna.results``)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urna.accounts.permissions import can, entity_ids_for, staff_required
from urna.accounts.staff_tools import tool_required
from urna.core.errors import NotFound
from urna.core.personal_data import mask
from urna.core.spreadsheets import csv_download
from urna.core.web import run_action
from urna.entities.models import Entity
from urna.exercises import selectors, services
from urna.exercises.forms import (
    ArticleForm,
    DocumentForm,
    ExerciseForm,
    ModerationForm,
    QuestionForm,
    SupportThresholdForm,
    TransitionForm,
)
from urna.exercises.models import Contribution, Exercise
from urna.exercises.phases import next_statuses, phase


def _staff(view):
    return login_required(staff_required(view))


def _get(request: HttpRequest, slug: str, action: str = "exercise.view_staff") -> Exercise:
    try:
        return selectors.staff_exercise_get(user=request.user, slug=slug, action=action)
    except NotFound as exc:
        raise Http404 from exc


def _owners(user: Any) -> list[Entity]:
    ids = entity_ids_for(user, "exercise.create")
    qs = Entity.objects.active().order_by("name")
    return list(qs if ids is None else qs.filter(pk__in=ids))


@_staff
@tool_required("exercises:staff_list")
def exercise_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.exercise_list_staff(user=request.user), 30).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "exercises/staff/list.html",
        {"page": page, "can_create": can(request.user, "exercise.create")},
    )


def _exercise_form_values(data: dict) -> dict:
    return {
        "title": data["title"],
        "summary": data["summary"],
        "body": data["body"],
        "kind": data["kind"],
        "code": data["code"] or None,
        "scope": data["scope"],
        "department_code": data["department_code"] or None,
        "municipality_code": data["municipality_code"] or None,
        "opens_at": data["opens_at"],
        "closes_at": data["closes_at"],
        "results_due_at": data["results_due_at"],
        "premoderation": data["premoderation"],
        "support_threshold": data.get("support_threshold"),
    }


@_staff
def exercise_create(request: HttpRequest) -> HttpResponse:
    owners = _owners(request.user)
    if not owners:
        raise Http404
    form = ExerciseForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = next(e for e in owners if str(e.pk) == data["owner"])
        topics = [t.strip() for t in data["topics"].split(",") if t.strip()]
        exercise = run_action(
            request,
            lambda: services.exercise_create(
                by=request.user,
                owner=owner,
                topics=topics,
                request=request,
                **_exercise_form_values(data),
            ),
            _("Ejercicio creado como borrador."),
            form=form,
        )
        if exercise is not None:
            return redirect("exercises:staff_manage", slug=exercise.slug)
    return render(
        request,
        "exercises/staff/form.html",
        {"form": form, "status": 400 if form.errors else 200},
        status=400 if form.errors else 200,
    )


@_staff
def exercise_manage(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _get(request, slug)
    user = request.user
    editable = phase(exercise.status).editable and can(user, "exercise.edit", exercise)
    initial = {
        "owner": exercise.owner_id,
        "title": exercise.title,
        "summary": exercise.summary,
        "body": exercise.body,
        "kind": exercise.kind,
        "code": exercise.code or "",
        "topics": ", ".join(t.name for t in exercise.topics.all()),
        "scope": exercise.scope,
        "department_code": exercise.department_id or "",
        "municipality_code": exercise.municipality_id or "",
        "opens_at": exercise.opens_at,
        "closes_at": exercise.closes_at,
        "results_due_at": exercise.results_due_at,
        "premoderation": exercise.premoderation,
        "support_threshold": exercise.support_threshold,
    }
    form = ExerciseForm(
        request.POST if request.method == "POST" and editable else None,
        owners=[exercise.owner],
        initial=initial,
    )
    if request.method == "POST" and editable and form.is_valid():
        data = form.cleaned_data
        topics = [t.strip() for t in data["topics"].split(",") if t.strip()]
        saved = run_action(
            request,
            lambda: services.exercise_update(
                exercise=exercise,
                by=user,
                topics=topics,
                request=request,
                **_exercise_form_values(data),
            ),
            _("Cambios guardados."),
            form=form,
        )
        if saved is not None:
            return redirect("exercises:staff_manage", slug=exercise.slug)
    transitions = [
        {"to": to, "label": Exercise.Status(to).label, "form": TransitionForm(initial={"to": to})}
        for to in next_statuses(exercise.status)
    ]
    return render(
        request,
        "exercises/staff/manage.html",
        {
            "exercise": exercise,
            "form": form,
            "editable": editable,
            "transitions": transitions,
            "article_form": ArticleForm(),
            "question_form": QuestionForm(),
            "document_form": DocumentForm(),
            "counts": selectors.exercise_counts(exercise),
            "can_moderate": can(user, "contribution.moderate", exercise),
            "can_respond": can(user, "contribution.respond", exercise),
            "can_export": can(user, "exercise.export", exercise),
            "can_edit_texts": can(user, "exercise.edit", exercise),
            "min_days": services.draft_min_comment_days(),
        },
        status=400 if form.errors else 200,
    )


@_staff
@require_POST
def exercise_transition(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _get(request, slug)
    form = TransitionForm(request.POST)
    if form.is_valid():
        moved = run_action(
            request,
            lambda: services.exercise_transition(
                exercise=exercise,
                to=form.cleaned_data["to"],
                by=request.user,
                justification=form.cleaned_data["justification"],
                request=request,
            ),
        )
        if moved is not None:
            messages.success(
                request,
                _("El ejercicio pasó a «%(status)s».") % {"status": exercise.get_status_display()},
            )
    return redirect("exercises:staff_manage", slug=exercise.slug)


@_staff
@require_POST
def article_add(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _get(request, slug)
    form = ArticleForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.article_add(
                exercise=exercise, by=request.user, request=request, **form.cleaned_data
            ),
            _("Artículo agregado."),
        )
    else:
        messages.error(request, _("Escriba el texto del artículo."))
    return redirect("exercises:staff_manage", slug=exercise.slug)


@_staff
@require_POST
def question_add(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _get(request, slug)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        run_action(
            request,
            lambda: services.question_add(
                exercise=exercise,
                by=request.user,
                kind=data["kind"],
                text=data["text"],
                options=data["options"].splitlines(),
                request=request,
            ),
            _("Pregunta agregada."),
        )
    else:
        messages.error(request, _("Revise la pregunta."))
    return redirect("exercises:staff_manage", slug=exercise.slug)


@_staff
@require_POST
def document_add(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _get(request, slug)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        run_action(
            request,
            lambda: services.document_attach(
                exercise=exercise,
                by=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                request=request,
            ),
            _("Documento adjuntado."),
        )
    else:
        messages.error(request, _("Elija un archivo y escriba su título."))
    return redirect("exercises:staff_manage", slug=exercise.slug)


@_staff
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _get(request, slug, "contribution.moderate")
    state = request.GET.get("estado") or None
    if state not in Contribution.Moderation.values:
        state = None
    if request.method == "POST":
        form = ModerationForm(request.POST)
        contribution = Contribution.objects.filter(
            exercise=exercise, pk=request.POST.get("contribution") or 0
        ).first()
        if contribution is None:
            raise Http404
        if form.is_valid():
            run_action(
                request,
                lambda: services.contribution_moderate(
                    contribution=contribution,
                    to=form.cleaned_data["to"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    request=request,
                ),
                _("Moderación registrada."),
            )
        return redirect(request.get_full_path())
    flagged = request.GET.get("alertas") == "1"
    # Contributions in which the intake found personal data (``Contribution.personal_data``).
    personal = request.GET.get("datos") == "1"
    contributions = selectors.contribution_list_staff(
        exercise=exercise, moderation=state, personal_data=True if personal else None
    )
    if flagged:
        # The insights analysis flags likely insults, threats and personal data; it never hides
        # anything itself, the moderator decides here.
        contributions = contributions.filter(insight_flags__resolved_at__isnull=True).distinct()
    page = Paginator(contributions.prefetch_related("insight_flags"), 25).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "exercises/staff/moderation.html",
        {
            "exercise": exercise,
            "page": page,
            "state": state,
            "flagged": flagged,
            "personal": personal,
            "pagination_extra": urlencode(
                {
                    k: v
                    for k, v in (
                        ("estado", state),
                        ("alertas", "1" if flagged else ""),
                        ("datos", "1" if personal else ""),
                    )
                    if v
                }
            ),
            "states": Contribution.Moderation.choices,
            "rows": [(c, mask(_contact_address(c))) for c in page],
        },
    )


def _contact_address(contribution: Contribution) -> str:
    contact = contribution.contact
    if contact is None:
        return ""
    return contact.phone or contact.email or contact.handle or ""


@_staff
def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    """The results matrix moved to ``urna.results``: old links keep working."""
    exercise = _get(request, slug, "contribution.respond")
    url = reverse("results:matrix", args=[exercise.slug])
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url, permanent=True)


CSV_HEADER = [
    "recibo",
    "fecha",
    "tipo",
    "canal",
    "articulo",
    "pregunta",
    "opcion",
    "texto",
    "departamento",
    "municipio",
    "edad",
    "genero",
    "grupo_etnico",
    "moderacion",
    "razon_oculto",
    "apoyos",
    "decision",
    "razon_respuesta",
    "grupo",
    "contacto",
]


@_staff
def export_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every contribution of the exercise for the team (contacts masked), streamed."""
    exercise = _get(request, slug, "exercise.export")
    original = can(request.user, "contribution.view_personal_data", exercise)

    def rows():
        yield CSV_HEADER
        qs = selectors.contribution_list_staff(exercise=exercise).order_by("id")
        for c in qs.iterator(chunk_size=2000):
            response = getattr(c, "response", None)
            yield [
                c.receipt,
                c.created_at.isoformat(),
                c.kind,
                c.channel,
                c.article.number if c.article_id else "",
                c.question.number if c.question_id else "",
                c.choice,
                c.text if original else c.masked_text,
                c.department_id or "",
                c.municipality_id or "",
                c.age_range,
                c.gender,
                c.ethnic_group,
                c.moderation,
                c.hidden_reason,
                c.support_count,
                response.decision if response else "",
                response.reason if response else "",
                response.group.title if response and response.group_id else "",
                mask(_contact_address(c)),
            ]

    return csv_download(rows(), filename=f"aportes-{exercise.slug}.csv")


@_staff
@require_POST
def support_threshold(request: HttpRequest, slug: str) -> HttpResponse:
    """Set the supports a proposal needs to be studied, in any phase (the full form is for the
    phases before participation opens)."""
    exercise = _get(request, slug, "exercise.edit")
    form = SupportThresholdForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.exercise_update(
                exercise=exercise,
                by=request.user,
                support_threshold=form.cleaned_data["support_threshold"],
                request=request,
            ),
            _("Umbral de apoyos guardado."),
        )
    else:
        for error in form.errors.get("support_threshold", []):
            messages.error(request, error)
    return redirect(reverse("exercises:staff_manage", kwargs={"slug": exercise.slug}) + "#umbral")
