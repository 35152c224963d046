"""The analyst workspace: run an analysis, read its themes and campaign groups, edit them.

Every page works without JavaScript; htmx only refreshes the progress bar of a running analysis.
Access is per exercise: ``insights.view`` to read, ``insights.run`` to run and ``insights.edit``
to edit (checked again by each service). Staff of other entities get 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urna.accounts.permissions import can, staff_required
from urna.accounts.staff_tools import tool_required
from urna.core.web import run_action
from urna.exercises.models import Exercise
from urna.insights import selectors, selectors_charts, services
from urna.insights.forms import (
    UNCLASSIFIED,
    FindingForm,
    PinForm,
    RenameForm,
    RunForm,
    ThemeChoiceForm,
)
from urna.insights.models import DuplicateGroup, ModerationFlag, Theme

GROUPS_PER_PAGE = 20
MEMBERS_PER_PAGE = 50
FLAGS_PER_PAGE = 25


def _staff(view):
    return login_required(staff_required(view))


def _exercise(request: HttpRequest, slug: str, action: str = "insights.view") -> Exercise:
    exercise = get_object_or_404(Exercise.objects.select_related("owner"), slug=slug)
    if not can(request.user, action, exercise):
        raise DjangoPermissionDenied
    return exercise


def _current(exercise: Exercise) -> Any:
    analysis = selectors.analysis_current(exercise)
    if analysis is None:
        raise Http404
    return analysis


def _theme(exercise: Exercise, pk: int) -> Theme:
    return get_object_or_404(
        Theme.objects.select_related("analysis", "analysis__exercise", "merged_into"),
        pk=pk,
        analysis__exercise=exercise,
    )


@_staff
@tool_required("insights:list")
def exercise_list(request: HttpRequest) -> HttpResponse:
    exercises = Paginator(selectors.exercises_for_analysis(user=request.user), 25).get_page(
        request.GET.get("pagina")
    )
    return render(request, "insights/list.html", {"page": exercises})


@_staff
def workspace(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _exercise(request, slug)
    analysis = selectors.analysis_current(exercise)
    latest = selectors.analysis_latest(exercise)
    context: dict[str, Any] = {
        "exercise": exercise,
        "analysis": analysis,
        "latest": latest,
        "run_form": RunForm(),
        "can_run": can(request.user, "insights.run", exercise),
        "can_edit": can(request.user, "insights.edit", exercise),
        "open_flags": selectors.open_flag_count(exercise),
    }
    if analysis is not None:
        dimension = request.GET.get("dimension") or "canal"
        if dimension not in selectors.DIMENSIONS:
            dimension = "canal"
        context.update(
            themes=selectors.themes_with_quotes(analysis),
            unclassified=selectors.unclassified_count(analysis),
            stats=analysis.statistics,
            groups=Paginator(selectors.duplicate_groups(analysis), GROUPS_PER_PAGE).get_page(
                request.GET.get("grupos")
            ),
            dimension=dimension,
            dimensions=[(key, label) for key, (label, _f) in selectors.DIMENSIONS.items()],
            table=selectors.breakdown(analysis, dimension=dimension, public=False),
            min_cell=selectors.MIN_CELL,
        )
    return render(request, "insights/workspace.html", context)


@_staff
def progress(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _exercise(request, slug)
    latest = selectors.analysis_latest(exercise)
    response = render(request, "insights/_progress.html", {"exercise": exercise, "latest": latest})
    watched = request.GET.get("analisis")
    if watched and latest is not None and str(latest.pk) == watched and not latest.is_active:
        # The run being watched has finished: reload the page to show its results.
        response["HX-Refresh"] = "true"
    return response


@_staff
@require_POST
def run(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _exercise(request, slug)
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Revise el número de temas."))
    else:
        run_action(
            request,
            lambda: services.analysis_start(
                exercise=exercise, by=request.user, k=form.cleaned_data["k"], request=request
            ),
            _("Análisis en cola: la barra de progreso muestra su avance."),
        )
    return redirect("insights:workspace", slug=exercise.slug)


def _theme_context(request: HttpRequest, exercise: Exercise, analysis: Any, theme: Any) -> dict:
    others = [t for t in selectors.live_themes(analysis) if theme is None or t.pk != theme.pk]
    members = Paginator(selectors.theme_members(analysis, theme), MEMBERS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    return {
        "exercise": exercise,
        "analysis": analysis,
        "theme": theme,
        "members": members,
        "others": others,
        "move_form": ThemeChoiceForm(themes=others, allow_unclassified=theme is not None),
        "can_edit": can(request.user, "insights.edit", exercise),
    }


@_staff
def theme_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    exercise = _exercise(request, slug)
    theme = _theme(exercise, pk)
    analysis = theme.analysis
    context = _theme_context(request, exercise, analysis, theme)
    texts = selectors._quote_texts({*theme.pinned_ids, *theme.quote_ids}, public=False)
    context.update(
        quotes=selectors._quotes_of(theme, texts, selectors.QUOTES_SHOWN),
        pinned=set(theme.pinned_ids),
        rename_form=RenameForm(initial={"label": theme.analyst_label}),
        finding_form=FindingForm(
            initial={"is_finding": theme.is_finding, "conclusion": theme.conclusion}
        ),
        merge_form=ThemeChoiceForm(themes=context["others"]),
        is_current=selectors.analysis_current(exercise) == analysis,
    )
    return render(request, "insights/theme.html", context)


@_staff
def unclassified(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _exercise(request, slug)
    analysis = _current(exercise)
    context = _theme_context(request, exercise, analysis, None)
    context.update(is_current=True, pinned=set())
    return render(request, "insights/theme.html", context)


def _theme_url(theme: Theme) -> str:
    return reverse("insights:theme", kwargs={"slug": theme.analysis.exercise.slug, "pk": theme.pk})


@_staff
@require_POST
def theme_rename(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    exercise = _exercise(request, slug, "insights.edit")
    theme = _theme(exercise, pk)
    form = RenameForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.theme_rename(
                theme=theme, label=form.cleaned_data["label"], by=request.user, request=request
            ),
            _("Nombre guardado."),
        )
    else:
        messages.error(request, _("El nombre es demasiado largo."))
    return redirect(_theme_url(theme))


@_staff
@require_POST
def theme_finding(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    exercise = _exercise(request, slug, "insights.edit")
    theme = _theme(exercise, pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.theme_finding(
                theme=theme,
                is_finding=form.cleaned_data["is_finding"],
                conclusion=form.cleaned_data["conclusion"],
                by=request.user,
                request=request,
            ),
            _("Hallazgo guardado."),
        )
    else:
        messages.error(request, _("Revise la conclusión."))
    return redirect(_theme_url(theme))


@_staff
@require_POST
def theme_merge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    exercise = _exercise(request, slug, "insights.edit")
    source = _theme(exercise, pk)
    target_id = request.POST.get("target") or ""
    target = Theme.objects.filter(
        pk=int(target_id) if target_id.isdigit() else 0, analysis=source.analysis
    ).first()
    if target is None:
        messages.error(request, _("Elija el tema con el que se fusiona."))
        return redirect(_theme_url(source))
    merged = run_action(
        request,
        lambda: services.theme_merge(
            source=source, target=target, by=request.user, request=request
        ),
        _("Temas fusionados."),
    )
    return redirect(_theme_url(target if merged else source))


@_staff
@require_POST
def theme_split(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    exercise = _exercise(request, slug, "insights.edit")
    theme = _theme(exercise, pk)
    halves = run_action(
        request,
        lambda: services.theme_split(theme=theme, by=request.user, request=request),
        _("Tema dividido en dos."),
    )
    if halves:
        return redirect(_theme_url(halves[0]))
    return redirect(_theme_url(theme))


@_staff
@require_POST
def theme_pin(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    exercise = _exercise(request, slug, "insights.edit")
    theme = _theme(exercise, pk)
    form = PinForm(request.POST)
    if form.is_valid():
        pinned = form.cleaned_data["pinned"]
        run_action(
            request,
            lambda: services.quote_pin(
                theme=theme,
                contribution_id=form.cleaned_data["contribution"],
                pinned=pinned,
                by=request.user,
                request=request,
            ),
            _("Cita fijada.") if pinned else _("Cita liberada."),
        )
    else:
        messages.error(request, _("Elija un aporte."))
    page = request.POST.get("pagina", "")
    return redirect(_theme_url(theme) + (f"?pagina={int(page)}" if page.isdigit() else ""))


@_staff
@require_POST
def move(request: HttpRequest, slug: str) -> HttpResponse:
    """Move the checked contributions (of a theme, the unclassified or a group) elsewhere."""
    exercise = _exercise(request, slug, "insights.edit")
    analysis = _current(exercise)
    back = request.POST.get("back", "")
    home = reverse("insights:workspace", kwargs={"slug": exercise.slug})
    back = back if back.startswith(home) and "//" not in back else None
    raw_target = request.POST.get("target") or ""
    if raw_target == UNCLASSIFIED:
        target = None
    else:
        target = Theme.objects.filter(
            pk=int(raw_target) if raw_target.isdigit() else 0, analysis=analysis
        ).first()
        if target is None:
            messages.error(request, _("Elija el tema de destino."))
            return redirect(back or home)
    ids = [int(v) for v in request.POST.getlist("contributions") if v.isdigit()]
    group_id = request.POST.get("group") or ""
    if group_id.isdigit():
        ids += list(
            DuplicateGroup.objects.filter(pk=int(group_id), analysis=analysis).values_list(
                "assignments__contribution_id", flat=True
            )
        )
    moved = run_action(
        request,
        lambda: services.contributions_move(
            analysis=analysis, contribution_ids=ids, to=target, by=request.user, request=request
        ),
        _("Aportes movidos."),
    )
    if moved and group_id.isdigit():
        DuplicateGroup.objects.filter(pk=int(group_id), analysis=analysis).update(theme=target)
    return redirect(back or home)


@_staff
def group_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    exercise = _exercise(request, slug)
    group = get_object_or_404(
        DuplicateGroup.objects.select_related("representative", "theme", "analysis"),
        pk=pk,
        analysis__exercise=exercise,
    )
    members = Paginator(selectors.group_members(group), MEMBERS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    themes = list(selectors.live_themes(group.analysis))
    return render(
        request,
        "insights/group.html",
        {
            "exercise": exercise,
            "group": group,
            "members": members,
            "move_form": ThemeChoiceForm(themes=themes, allow_unclassified=True),
            "can_edit": can(request.user, "insights.edit", exercise)
            and selectors.analysis_current(exercise) == group.analysis,
        },
    )


@_staff
def flags(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(Exercise.objects.select_related("owner"), slug=slug)
    may_moderate = can(request.user, "contribution.moderate", exercise)
    if not (may_moderate or can(request.user, "insights.view", exercise)):
        raise DjangoPermissionDenied
    if request.method == "POST":
        flag = get_object_or_404(
            ModerationFlag.objects.select_related("exercise", "exercise__owner"),
            pk=request.POST.get("flag") or 0,
            exercise=exercise,
        )
        run_action(
            request,
            lambda: services.flag_resolve(flag=flag, by=request.user, request=request),
            _("Alerta marcada como revisada."),
        )
        return redirect(request.get_full_path())
    page = Paginator(selectors.open_flags(exercise), FLAGS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "insights/flags.html",
        {"exercise": exercise, "page": page, "may_moderate": may_moderate},
    )


@_staff
def charts(request: HttpRequest, slug: str) -> HttpResponse:
    """The analysis at a glance: themes over time, by department (heat table and map) and the
    largest campaign groups, each chart with its table alternative."""
    exercise = _exercise(request, slug)
    analysis = _current(exercise)
    groups, groups_svg = selectors_charts.largest_groups(analysis, slug=exercise.slug)
    return render(
        request,
        "insights/charts.html",
        {
            "exercise": exercise,
            "analysis": analysis,
            "over_time": selectors_charts.themes_over_time(analysis),
            "by_department": selectors_charts.themes_by_department(analysis),
            "groups": groups,
            "groups_svg": groups_svg,
        },
    )
