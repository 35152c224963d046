"""Reads of the surveys app: lists scoped to the staff member's entities, the published
surveys, a survey's stored results."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from urna.core.errors import NotFound
from urna.surveys.models import Response, Survey, SurveyResult
from urna.surveys.permissions import VIEW, surveys_for


def survey_list_staff(user: Any) -> Any:
    return surveys_for(user, VIEW).select_related("entity", "result").order_by("-created_at")


def survey_get_staff(*, user: Any, pk: int, action: str = VIEW) -> Survey:
    survey = surveys_for(user, action).select_related("entity").filter(pk=pk).first()
    if survey is None:
        raise NotFound("not found")
    return survey


def surveys_open(channel: str = "web") -> list[Survey]:
    return [
        s
        for s in Survey.objects.filter(status=Survey.Status.OPEN).order_by("-opened_at", "-id")
        if channel in s.channels
    ]


def surveys_public_list() -> Any:
    """Open surveys and those whose results are published, newest first."""
    return (
        Survey.objects.exclude(status=Survey.Status.DRAFT)
        .filter(Q(status=Survey.Status.OPEN) | Q(published=True))
        .select_related("entity")
        .order_by("-opened_at", "-id")
    )


def survey_public(slug: str) -> Survey:
    survey = Survey.objects.select_related("entity").filter(slug=slug).first()
    if survey is None or survey.status == Survey.Status.DRAFT:
        raise NotFound(_("La encuesta no existe."))
    return survey


def survey_result(survey: Survey) -> SurveyResult | None:
    return SurveyResult.objects.filter(survey=survey).first()


def response_counts(survey: Survey) -> dict[str, int]:
    """Responses of a survey by status (partial, complete, stopped) and their total."""
    counts = dict(
        Response.objects.filter(survey=survey)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    counts["total"] = sum(counts.values())
    return counts
