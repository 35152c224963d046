"""Which of the platform's actions (``urna.accounts.permissions``) a survey page needs: building
and opening a survey is editing an exercise's questions, reading its staff results is an
exercise's results, and typing a phone interview is entering a contribution for a citizen."""

from typing import Any

from urna.accounts.permissions import can, require, scope_queryset
from urna.surveys.models import Survey

VIEW = "exercise.view_staff"
EDIT = "exercise.edit"
RESULTS = "exercise.results"
INTERVIEW = "contribution.enter"


def surveys_for(user: Any, action: str = VIEW) -> Any:
    return scope_queryset(Survey.objects.all(), user, action)


__all__ = ["EDIT", "INTERVIEW", "RESULTS", "VIEW", "can", "require", "surveys_for"]
