"""Supports: a participant backs a visible proposal, once, while the exercise is open."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from urna.core.errors import Conflict, InvalidInput
from urna.exercises.models import Contribution, Support
from urna.exercises.participants import participant_key
from urna.exercises.phases import phase


def support_add(
    *, contribution: Contribution, user: Any = None, session_key: str | None = None
) -> bool:
    """A participant supports a proposal, once. Returns False when they already had."""
    if contribution.kind != Contribution.Kind.PROPOSAL:
        raise InvalidInput(_("Sólo se pueden apoyar propuestas."))
    if contribution.moderation != Contribution.Moderation.VISIBLE:
        raise Conflict(_("Esta propuesta no está disponible."))
    exercise = contribution.exercise
    if not (phase(exercise.status).accepts_supports and exercise.is_open):
        raise Conflict(_("Este ejercicio no está recibiendo apoyos en este momento."))
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    # Only a keyed hash of the identity is kept: supports never point back at a session.
    supporter = participant_key(user=user, session_key=session_key)
    if supporter is None:
        raise InvalidInput(_("No pudimos identificar su navegador; active las cookies."))
    try:
        with transaction.atomic():
            Support.objects.create(contribution=contribution, supporter=supporter, user=user)
            Contribution.objects.filter(pk=contribution.pk).update(
                support_count=F("support_count") + 1
            )
    except IntegrityError:
        return False
    return True
