"""Small steps the exercise services share: marking an exercise changed, audit values."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from urna.exercises.models import Exercise
from urna.exercises.selectors import submission_cache_clear


def exercise_touch(exercise: Exercise) -> None:
    """Mark the exercise changed, so cached rules and snapshots are rebuilt."""
    exercise.updated_at = timezone.now()
    Exercise.objects.filter(pk=exercise.pk).update(updated_at=exercise.updated_at)
    submission_cache_clear()


def jsonable(value: Any) -> Any:
    """A field's value as the audit log stores it (dates as ISO text, objects by key)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value
