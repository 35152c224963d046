"""What the insights services share: their limits, writing in chunks, recounting themes, and
telling the rest of the platform that an exercise's analysis changed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from urna.exercises.signals import results_changed
from urna.insights.models import Analysis, Assignment, Theme
from urna.insights.selectors import STAMPS_CACHE_KEY

CHUNK = 2000  # rows per write transaction
IN_CHUNK = 900  # ids per ``__in`` lookup (SQLite's variable limit on older builds)
MAX_PINNED = 5
K_MIN, K_MAX = 2, 30
LABEL_MAX = 200
CONCLUSION_MIN = 10


def chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def touch(analysis: Analysis) -> None:
    """Stamp the analysis as changed now (open data's and the report's stamps follow)."""
    analysis.updated_at = timezone.now()
    Analysis.objects.filter(pk=analysis.pk).update(updated_at=analysis.updated_at)
    stamps_changed()


def stamps_changed() -> None:
    # Now for this process's next read, and again after commit in case a read in between
    # cached the old value.
    cache.delete(STAMPS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(STAMPS_CACHE_KEY))


def report_changed(exercise: Any) -> None:
    """Tell whoever listens (the reports app) that the exercise's published results changed."""
    results_changed.send(sender=type(exercise), exercise=exercise)


def recount(theme_ids: Iterable[int]) -> None:
    """Recompute the sizes of themes: all contributions, and one per duplicate group."""
    theme_ids = [pk for pk in theme_ids if pk is not None]
    counts = {
        row["theme_id"]: row
        for row in Assignment.objects.filter(theme_id__in=theme_ids)
        .values("theme_id")
        .annotate(
            n=Count("id"),
            groups=Count("group_id", distinct=True),
            singles=Count("id", filter=Q(group__isnull=True)),
        )
        .order_by()
    }
    for pk in theme_ids:
        row = counts.get(pk)
        size = row["n"] if row else 0
        distinct = (row["groups"] + row["singles"]) if row else 0
        Theme.objects.filter(pk=pk).update(size=size, distinct_size=distinct)
