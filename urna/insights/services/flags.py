"""Moderation aid: flag likely insults, threats and personal data for the moderators, who
decide (``contribution_moderate``); nothing is hidden here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.insights import moderation
from urna.insights.models import ModerationFlag
from urna.insights.selectors import analysed_contributions
from urna.insights.services.common import CHUNK


def flags_scan(*, exercise: Any, items: Iterable[tuple[int, str]] | None = None) -> int:
    """Flag likely insults, threats and personal data; returns the number of new flags.

    Only flags: a moderator decides (``contribution_moderate``); nothing is hidden here. A flag
    already raised (resolved or not) for the same contribution and reason is not raised again.
    """
    if items is None:
        items = analysed_contributions(exercise).values_list("id", "text").iterator(5000)
    before = ModerationFlag.objects.filter(exercise=exercise).count()
    pending: list[ModerationFlag] = []

    def flush() -> None:
        with transaction.atomic():
            ModerationFlag.objects.bulk_create(pending, ignore_conflicts=True)
        pending.clear()

    for contribution_id, text in items:
        for code, reason in moderation.flag(text):
            pending.append(
                ModerationFlag(
                    contribution_id=contribution_id,
                    exercise_id=exercise.pk,
                    code=code,
                    reason=reason[:200],
                )
            )
        if len(pending) >= CHUNK:
            flush()
    if pending:
        flush()
    return ModerationFlag.objects.filter(exercise=exercise).count() - before


def flag_resolve(*, flag: ModerationFlag, by: Any, request: Any = None) -> ModerationFlag:
    """A moderator has looked at a flag (whatever they decided on the contribution)."""
    require(by, "contribution.moderate", flag.exercise)
    if flag.resolved_at is not None:
        return flag
    with transaction.atomic():
        flag.resolved_at = timezone.now()
        flag.resolved_by = by
        flag.save(update_fields=["resolved_at", "resolved_by"])
        audit_record(
            action="insights.flag_resolve",
            obj=flag,
            actor=by,
            entity=flag.exercise.owner,
            after={"code": flag.code},
            ip=client_ip(request),
        )
    return flag
