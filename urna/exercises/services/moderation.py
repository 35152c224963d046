"""What the public sees of a contribution: moderation (show, hold, hide with a public reason)
and the masked copy of its text."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core.errors import InvalidInput
from urna.core.privacy import personal_data_scan
from urna.core.text import search_normalise, text_normalise
from urna.exercises.models import Contribution
from urna.exercises.services.replies import reply_counts_adjust, reply_published_tell


def contribution_moderate(
    *, contribution: Contribution, to: str, by: Any, reason: str = "", request: Any = None
) -> Contribution:
    """Show, hold or hide a contribution. Hiding needs a public reason; nothing is deleted."""
    require(by, "contribution.moderate", contribution)
    if to not in Contribution.Moderation.values:
        raise InvalidInput(_("Estado de moderación no válido."), field="to")
    reason = text_normalise(reason)
    if to == Contribution.Moderation.HIDDEN and len(reason) < 5:
        raise InvalidInput(_("Explique públicamente por qué se oculta el aporte."), field="reason")
    with transaction.atomic():
        before = {
            "moderation": contribution.moderation,
            "hidden_reason": contribution.hidden_reason,
        }
        contribution.moderation = to
        contribution.hidden_reason = reason[:300] if to == Contribution.Moderation.HIDDEN else ""
        contribution.moderated_at = timezone.now()
        contribution.moderated_by = by
        contribution.save(
            update_fields=["moderation", "hidden_reason", "moderated_at", "moderated_by"]
        )
        shown = Contribution.Moderation.VISIBLE
        if contribution.parent_id is not None and (before["moderation"] == shown) != (to == shown):
            # A reply shown or withdrawn: the thread above it counts its published replies.
            reply_counts_adjust(reply=contribution, delta=1 if to == shown else -1)
            if to == shown:
                reply_published_tell(reply=contribution)
        audit_record(
            action="contribution.moderate",
            obj=contribution,
            actor=by,
            entity=contribution.exercise.owner,
            before=before,
            after={"moderation": to, "hidden_reason": contribution.hidden_reason},
            ip=client_ip(request),
        )
    return contribution


def contributions_mask(*, every: bool = False, chunk: int = 2000) -> int:
    """Fill the masked text (with its folded copy for the search) and the personal-data kinds of
    stored contributions: those without them (rows loaded in bulk), or ``every`` one (after the
    detector changed). Returns how many rows were written; short transactions of ``chunk`` rows."""
    qs = Contribution.objects.exclude(text="")
    if not every:
        qs = qs.filter(public_text="")
    written, last = 0, 0
    while rows := list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", "text")[:chunk]):
        with transaction.atomic():
            for pk, text in rows:
                public_text, kinds = personal_data_scan(text)
                Contribution.objects.filter(pk=pk).update(
                    public_text=public_text,
                    personal_data=kinds,
                    search_text=search_normalise(public_text),
                )
        written += len(rows)
        last = rows[-1][0]
    return written
