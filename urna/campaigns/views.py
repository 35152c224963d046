"""Staff pages of campaigns: the list, the segment editor with its live counts, the campaign
editor with its preview, and the campaign's page with its actions, test send and metrics.

Every page works without JavaScript; htmx only refreshes the counts, the preview and the metrics
in place (each partial is also a page of its own). Staff see their entities' segments and
campaigns only (another entity's are a 404); platform administrators see all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urna.accounts.permissions import can, staff_required
from urna.accounts.staff_tools import tool_required
from urna.campaigns import selectors, services, workflow
from urna.campaigns.content import html_clean, preview
from urna.campaigns.filters import filters_clean, filters_from_query
from urna.campaigns.forms import (
    CampaignForm,
    ReturnForm,
    ScheduleForm,
    SegmentFiltersForm,
    SegmentForm,
    TestSendForm,
    campaign_initial,
)
from urna.campaigns.models import Campaign, Segment
from urna.core.errors import DomainError, InvalidInput, NotFound
from urna.core.errors import PermissionDenied as DomainPermissionDenied
from urna.core.web import run_action

# Filters shown as a multiple choice (the others are typed as text).
LISTED = {"channels", "languages", "departments", "in_departments"}


def _staff(view):
    return login_required(staff_required(view))


def _try(form: Any, call: Callable[[], Any]) -> Any:
    """Run a service for a form: a domain error goes on the field it names (``channels`` on the
    first channel), a permission error is a 403. Returns None on error."""
    try:
        return call()
    except DomainPermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        if hasattr(form, "add_error_for"):
            form.add_error_for(exc.field, exc.message)
        else:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def _campaign(request: HttpRequest, pk: int, action: str = "campaign.view") -> Campaign:
    try:
        return selectors.campaign_get(user=request.user, pk=pk, action=action)
    except NotFound as exc:
        raise Http404 from exc


def _segment(request: HttpRequest, pk: int, action: str = "campaign.view") -> Segment:
    try:
        return selectors.segment_get(user=request.user, pk=pk, action=action)
    except NotFound as exc:
        raise Http404 from exc


# --- lists ---------------------------------------------------------------------------------------


@_staff
@tool_required("campaigns:list")
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaigns_for(request.user).order_by("-created_at", "-id")[:200]
    return render(
        request,
        "campaigns/list.html",
        {
            "campaigns": campaigns,
            "segments": selectors.segments_for(request.user).order_by("name")[:200],
            # A segment's page is its editor: linked only where the user may change it.
            "editable_segments": set(
                selectors.segments_for(request.user, "campaign.send").values_list("pk", flat=True)
            ),
            "may_write": can(request.user, "campaign.send"),
        },
    )


# --- segments ------------------------------------------------------------------------------------


def _counts(filters: dict[str, Any]) -> selectors.SegmentCounts:
    return selectors.segment_counts(filters)


@_staff
def segment_count(request: HttpRequest) -> HttpResponse:
    """The contacts a set of filters selects, per channel: a GET page of its own, and the
    partial the segment editor's form fetches with htmx on every change."""
    if not can(request.user, "campaign.view"):
        raise Http404
    form = SegmentFiltersForm(request.GET or None)
    counts, error = None, ""
    if request.GET:
        try:
            counts = _counts(filters_clean(filters_from_query(request.GET)))
        except InvalidInput as exc:
            error = exc.message
            if exc.field in form.fields:
                form.is_valid()
                form.add_error(exc.field, exc.message)
    context = {"form": form, "counts": counts, "count_error": error}
    if request.headers.get("HX-Request"):
        return render(request, "campaigns/_counts.html", context)
    return render(request, "campaigns/segment_count.html", context)


def _segment_editor(request: HttpRequest, segment: Segment | None) -> HttpResponse:
    entities = selectors.entities_for(request.user)
    if not entities:
        raise Http404
    initial = {"purpose": "campaigns", "entity": entities[0].pk}
    if segment is not None:
        filters = segment.filters
        initial = {
            "entity": segment.entity_id,
            "name": segment.name,
            "description": segment.description,
            **{
                key: value if key in LISTED else " ".join(value)
                for key, value in filters.items()
                if isinstance(value, list)
            },
            "purpose": filters.get("purpose", "campaigns"),
            "active_days": filters.get("active_days"),
        }
    data = request.POST if request.method == "POST" else None
    form = SegmentForm(data, initial=initial, entities=entities)
    counts = None
    if request.method == "POST" and form.is_valid():
        filters = filters_from_query(request.POST)
        data = form.cleaned_data
        entity = next(e for e in entities if e.pk == data["entity"])
        if "contar" in request.POST:
            counts = _try(form, lambda: _counts(filters_clean(filters)))
        else:

            def save() -> Segment:
                if segment is None:
                    return services.segment_create(
                        entity=entity,
                        name=data["name"],
                        description=data["description"],
                        filters=filters,
                        by=request.user,
                    )
                return services.segment_update(
                    segment=segment,
                    name=data["name"],
                    description=data["description"],
                    filters=filters,
                    by=request.user,
                )

            saved = _try(form, save)
            if saved is not None:
                messages.success(request, _("Segmento guardado."))
                return redirect("campaigns:segment_edit", saved.pk)
    elif segment is not None:
        counts = _counts(segment.filters)
    return render(
        request,
        "campaigns/segment_form.html",
        {"form": form, "segment": segment, "counts": counts},
        status=400 if form.errors else 200,
    )


@_staff
def segment_create(request: HttpRequest) -> HttpResponse:
    return _segment_editor(request, None)


@_staff
def segment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _segment_editor(request, _segment(request, pk, "campaign.send"))


# --- campaign editor -----------------------------------------------------------------------------


def _preview(request: HttpRequest, form: CampaignForm, segments: list[Segment]) -> list:
    """The preview of the form's content (no save), for a contact of the chosen segment."""
    data = form.cleaned_data
    content = form.content()
    content["email_html"] = html_clean(content["email_html"])
    segment = next((s for s in segments if s.pk == data.get("segment")), None)
    contact = selectors.sample_contact(segment.filters) if segment is not None else None
    return preview(content, contact=contact, purpose=data.get("purpose") or "campaigns")


def _campaign_editor(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    segments = list(selectors.segments_for(request.user, "campaign.send").order_by("name"))
    if not segments:
        messages.info(request, _("Cree primero un segmento: a quién va la campaña."))
        return redirect("campaigns:segment_create")
    source = request.POST if request.method == "POST" else (request.GET or None)
    initial = campaign_initial(campaign) if campaign is not None else {"purpose": "campaigns"}
    form = CampaignForm(source, initial=initial, segments=segments)
    previews = None
    if source is not None and form.is_valid():
        if request.method == "GET" or "vista_previa" in request.POST:
            previews = _preview(request, form, segments)
            if request.headers.get("HX-Request"):
                return render(request, "campaigns/_preview.html", {"previews": previews})
        else:
            segment = next(s for s in segments if s.pk == form.cleaned_data["segment"])

            def save() -> Campaign:
                if campaign is None:
                    return services.campaign_create(
                        entity=segment.entity, segment=segment, by=request.user, **form.content()
                    )
                return services.campaign_update(
                    campaign=campaign, segment=segment, by=request.user, **form.content()
                )

            saved = _try(form, save)
            if saved is not None:
                messages.success(request, _("Campaña guardada como borrador."))
                return redirect("campaigns:detail", saved.pk)
    elif source is not None and request.headers.get("HX-Request"):
        return render(request, "campaigns/_preview.html", {"previews": None, "form": form})
    elif campaign is not None:
        previews = _stored_preview(campaign)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "campaign": campaign, "previews": previews},
        status=400 if form.errors and request.method == "POST" else 200,
    )


def _stored_preview(campaign: Campaign) -> list:
    content = {f: getattr(campaign, f) for f in services.CONTENT_FIELDS}
    return preview(content, contact=selectors.sample_contact(campaign), purpose=campaign.purpose)


@_staff
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "campaign.send"):
        raise Http404
    return _campaign_editor(request, None)


@_staff
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, "campaign.send")
    if campaign.status not in workflow.EDITABLE:
        messages.error(request, _("La campaña ya salió: no se puede cambiar."))
        return redirect("campaigns:detail", campaign.pk)
    return _campaign_editor(request, campaign)


# --- the campaign's page -------------------------------------------------------------------------


def _detail_context(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    metrics = selectors.campaign_metrics(campaign) if campaign.status in workflow.STARTED else []
    user = request.user
    actions = [
        (name, workflow.TRANSITIONS[name])
        for name in workflow.actions_for(campaign.status)
        if can(user, workflow.TRANSITIONS[name].permission, campaign)
    ]
    authors = {campaign.created_by_id, campaign.edited_by_id}
    return {
        "campaign": campaign,
        "metrics": metrics,
        "totals": selectors.metrics_total(metrics) if metrics else None,
        "actions": actions,
        "own": user.pk in authors,
        "reach": (
            selectors.campaign_reach(campaign)
            if campaign.status in workflow.EDITABLE and "alcance" in request.GET
            else None
        ),
        "previews": _stored_preview(campaign) if campaign.status in workflow.EDITABLE else None,
        "test_form": TestSendForm(initial={"channel": (campaign.channels or [""])[0]}),
        "schedule_form": ScheduleForm(),
        "return_form": ReturnForm(),
        "editable": campaign.status in workflow.EDITABLE and can(user, "campaign.send", campaign),
        "testable": campaign.status in workflow.TESTABLE and can(user, "campaign.send", campaign),
        "segment_editable": selectors.segments_for(user, "campaign.send")
        .filter(pk=campaign.segment_id)
        .exists(),
        "polling": campaign.status == Campaign.Status.SENDING,
    }


@_staff
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    context = _detail_context(request, campaign)
    return render(request, "campaigns/detail.html", context)


@_staff
def campaign_metrics(request: HttpRequest, pk: int) -> HttpResponse:
    """The metrics table (polled by htmx while sending; a page of its own without)."""
    campaign = _campaign(request, pk)
    metrics = selectors.campaign_metrics(campaign)
    context = {
        "campaign": campaign,
        "metrics": metrics,
        "totals": selectors.metrics_total(metrics) if metrics else None,
        "polling": campaign.status == Campaign.Status.SENDING,
    }
    if request.headers.get("HX-Request"):
        return render(request, "campaigns/_metrics.html", context)
    return render(request, "campaigns/metrics.html", context)


@_staff
@require_POST
def campaign_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    campaign = _campaign(request, pk)
    transition = workflow.TRANSITIONS.get(action)
    if transition is None or transition.permission is None:
        raise Http404
    run_at = None
    reason = ""
    if action == "schedule":
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Escriba una fecha y hora válidas."))
            return redirect("campaigns:detail", campaign.pk)
        run_at = form.cleaned_data["run_at"]
        if run_at is not None and timezone.is_naive(run_at):
            run_at = timezone.make_aware(run_at)
    if action == "return":
        reason = request.POST.get("reason", "")
    run_action(
        request,
        lambda: services.campaign_transition(
            campaign=campaign, action=action, by=request.user, run_at=run_at, reason=reason
        ),
        str(transition.done),
    )
    return redirect("campaigns:detail", campaign.pk)


@_staff
@require_POST
def campaign_test_send(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    form = TestSendForm(request.POST)
    if form.is_valid():
        addresses = form.cleaned_data["addresses"].replace(",", "\n").splitlines()
        sent = run_action(
            request,
            lambda: services.campaign_test_send(
                campaign=campaign,
                channel=form.cleaned_data["channel"],
                addresses=addresses,
                by=request.user,
            ),
        )
        if sent is not None:
            messages.success(request, _("Prueba enviada a %(n)s direcciones.") % {"n": len(sent)})
    else:
        messages.error(request, _("Elija el canal y escriba las direcciones de prueba."))
    return redirect("campaigns:detail", campaign.pk)
