"""The channels' one door into the core: exercises, contributions, queries and receipts.

Every channel (USSD, SMS, WhatsApp, Meta, email, the operator console) submits through the same
service functions as the web — ``contribution_submit`` and ``query_submit`` — through this module,
which also turns exercises into the small, cacheable cards a phone screen needs.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _

from urna.contacts.services import ContactDetails
from urna.core.l10n import date_text
from urna.core.receipts import receipt_is_valid, receipt_normalise
from urna.core.text import code_normalise
from urna.exercises.models import ClosedQuestion, Exercise
from urna.exercises.selectors import contribution_by_receipt
from urna.exercises.services import contribution_submit
from urna.queries.selectors import query_by_receipt
from urna.queries.services import query_submit

OPEN_CACHE_KEY = "channels:open-exercises:v1"
OPEN_CACHE_SECONDS = 30


@dataclass(frozen=True)
class Question:
    id: int
    number: int
    text: str
    options: tuple[str, ...]  # labels; option n is typed as "n"


@dataclass(frozen=True)
class Card:
    """What a phone screen shows of an open exercise."""

    id: int
    code: str
    title: str
    summary: str
    questions: tuple[Question, ...] = field(default_factory=tuple)


def idempotency_key(provider: str, message_id: str) -> str:
    """A short, stable key for the services: provider + the provider's message id."""
    digest = hashlib.sha256(f"{provider}\x00{message_id}".encode()).hexdigest()[:40]
    return f"ch:{provider[:12]}:{digest}"


def _options(question) -> tuple[str, ...]:
    kind = question.kind
    if kind == "yes_no":
        return (_("Sí"), _("No"))
    if kind == "scale":
        return ("1", "2", "3", "4", "5")
    return tuple(option.label for option in question.options.all())


def _card(exercise) -> Card:
    return Card(
        id=exercise.pk,
        code=exercise.code or "",
        title=exercise.title,
        summary=exercise.summary,
        questions=tuple(
            Question(id=q.pk, number=q.number, text=q.text, options=_options(q))
            for q in exercise.questions.all()
        ),
    )


def open_exercises() -> list[Card]:
    """Open exercises, newest first, cached briefly: USSD menus are read hundreds of times a
    second and a new exercise may take half a minute to appear on phones."""
    cards = cache.get(OPEN_CACHE_KEY)
    if cards is None:
        queryset = (
            Exercise.objects.open_now()
            .order_by("-opens_at", "-id")
            .prefetch_related("questions__options")
        )
        cards = [_card(exercise) for exercise in queryset[:60]]
        cache.set(OPEN_CACHE_KEY, cards, OPEN_CACHE_SECONDS)
    return cards


def card_by_id(exercise_id: int) -> Card | None:
    return next((card for card in open_exercises() if card.id == exercise_id), None)


def card_by_code(code: str) -> Card | None:
    """The open exercise with this short code (any case), or None."""
    code = code_normalise(code)
    if not code:
        return None
    return next((card for card in open_exercises() if card.code == code), None)


def contribute(
    *,
    exercise_id: int,
    kind: str,
    text: str,
    channel: str,
    key: str,
    contact: ContactDetails | None = None,
    question_id: int | None = None,
    choice: str | None = None,
    municipality_code: str | None = None,
    entered_by=None,
    request=None,
):
    """Submit a contribution through the web's service; returns its SubmitResult."""
    exercise = Exercise.objects.get(pk=exercise_id)
    question = ClosedQuestion.objects.get(pk=question_id) if question_id else None
    return contribution_submit(
        exercise=exercise,
        kind=kind,
        text=text,
        channel=channel,
        question=question,
        choice=choice,
        municipality_code=municipality_code,
        contact=contact,
        idempotency_key=key,
        entered_by=entered_by,
        request=request,
    )


def ask(
    *,
    text: str,
    channel: str,
    key: str,
    contact: ContactDetails | None = None,
    reply_provider: str = "",
    exercise_id: int | None = None,
    municipality_code: str | None = None,
    entered_by=None,
):
    """Put a question (a petition) to the government; returns its QuerySubmitResult."""
    exercise = Exercise.objects.get(pk=exercise_id) if exercise_id else None
    return query_submit(
        type="peticion",
        text=text,
        channel=channel,
        exercise=exercise,
        municipality_code=municipality_code,
        contact=contact,
        idempotency_key=key,
        entered_by=entered_by,
        reply_provider=reply_provider,
    )


def receipt_status(code: str) -> str | None:
    """A one-line, plain status for a receipt (UC-… or PQ-…), or None when unknown."""
    code = receipt_normalise(code)
    if not receipt_is_valid(code):
        return None
    if code.startswith("UC-"):
        contribution = contribution_by_receipt(code)
        if contribution is None:
            return None
        response = getattr(contribution, "response", None)
        if response is not None:
            state = _("respondido: %(decision)s") % {"decision": response.get_decision_display()}
        elif contribution.moderation == "hidden":
            state = _("no publicado: %(reason)s") % {"reason": contribution.hidden_reason}
        elif contribution.moderation == "pending":
            state = _("en revision")
        else:
            state = _("recibido y publicado")
        return _("%(code)s (%(title)s): %(state)s.") % {
            "code": code,
            "title": contribution.exercise.title,
            "state": state,
        }
    if code.startswith("PQ-"):
        query = query_by_receipt(code)
        if query is None:
            return None
        line = _("%(code)s: %(state)s.") % {"code": code, "state": query.get_state_display()}
        due = getattr(query, "due_date", None)
        if due and query.state not in ("answered", "closed", "transferred"):
            line += " " + _("Plazo: %(date)s.") % {"date": date_text(due)}
        return line
    return None
