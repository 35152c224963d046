"""Reads for participation exercises: public lists and pages, counts, the results matrix.

Public selectors never load a contribution's contact, user or demographics: what they return
may be shown to anyone.
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.permissions import entity_ids_for
from urna.core.errors import NotFound
from urna.core.receipts import receipt_normalise
from urna.core.text import code_normalise
from urna.entities.models import Entity
from urna.exercises.models import (
    Article,
    ClosedQuestion,
    Contribution,
    ContributionResponse,
    Exercise,
    QuestionOption,
)
from urna.exercises.phases import phase
from urna.territory.models import Municipality

# Never loaded for public output: who wrote it, how to reach them, their demographics, and the
# original text (the public reads ``public_text``: personal data masked at intake).
PRIVATE_CONTRIBUTION_FIELDS = (
    "text",
    "contact",
    "user",
    "entered_by",
    "moderated_by",
    "age_range",
    "gender",
    "ethnic_group",
    "receipt",
    "idempotency_key",
    "municipality",
)


def _public_base() -> QuerySet[Exercise]:
    return (
        Exercise.objects.public()
        .select_related("owner", "department", "municipality")
        .prefetch_related("topics")
    )


def exercise_list_open() -> QuerySet[Exercise]:
    """Exercises taking contributions now, closing soonest first."""
    return _public_base().open_now().order_by("closes_at", "id")


def exercise_list_public(
    *,
    status: str | None = None,
    entity: str | None = None,
    topic: str | None = None,
    department: str | None = None,
) -> QuerySet[Exercise]:
    """Public exercises. ``status``: ``open``, ``closed`` (analysis) or ``results``; ``entity``
    an acronym or slug (owner or partner); ``topic`` a topic slug; ``department`` a DANE code
    (exercises of that department or of one of its municipalities)."""
    qs = _public_base()
    now = timezone.now()
    if status == "open":
        qs = qs.open_now()
    elif status == "closed":
        qs = qs.filter(
            Q(status=Exercise.Status.ANALYSIS) | Q(status=Exercise.Status.OPEN, closes_at__lte=now)
        )
    elif status == "results":
        qs = qs.filter(status=Exercise.Status.RESULTS)
    elif status == "upcoming":
        qs = qs.filter(
            Q(status=Exercise.Status.INFORMATION) | Q(status=Exercise.Status.OPEN, opens_at__gt=now)
        )
    if entity:
        match = Q(acronym__iexact=entity) | Q(slug=entity)
        ids = set(Entity.objects.filter(match).values_list("pk", flat=True))
        qs = qs.for_entities(ids)
    if topic:
        qs = qs.filter(topics__slug=topic)
    if department:
        qs = qs.filter(Q(department_id=department) | Q(municipality__department_id=department))
    return qs.order_by("-opens_at", "-id").distinct()


def exercise_get(slug: str) -> Exercise | None:
    """The exercise with this slug, whatever its status (pages check ``phase(...).public``)."""
    return (
        Exercise.objects.select_related("owner", "department", "municipality")
        .filter(slug=slug)
        .first()
    )


def exercise_by_code(code: str) -> Exercise | None:
    """The exercise with this SMS/USSD short code ('agro', 'Agró ' → AGRO), if public."""
    normalised = code_normalise(code)
    if not normalised:
        return None
    return Exercise.objects.public().select_related("owner").filter(code=normalised).first()


def exercise_detail(slug: str) -> Exercise | None:
    """A public exercise with its documents, articles, questions, partners and topics."""
    return (
        _public_base()
        .filter(slug=slug)
        .prefetch_related(
            "partners",
            "documents",
            "articles",
            Prefetch("questions", queryset=ClosedQuestion.objects.prefetch_related("options")),
        )
        .first()
    )


# --- the submission hot path: an in-process snapshot for a couple of seconds ----------------

SUBMISSION_CACHE_SECONDS = 2.0
_submission_cache: dict[str, tuple[float, Exercise | None]] = {}
_submission_lock = threading.Lock()


def exercise_for_submission(slug: str) -> Exercise | None:
    """The exercise a POST targets, from a per-process snapshot refreshed every 2 seconds.

    At a thousand submissions per second this saves a query per request; a change of status is
    seen by every process within the same two seconds (and at once by the process that made it).
    """
    now = time.monotonic()
    hit = _submission_cache.get(slug)
    if hit is not None and hit[0] > now:
        return hit[1]
    exercise = (
        Exercise.objects.select_related("owner")
        .only(
            "id",
            "slug",
            "status",
            "kind",
            "opens_at",
            "closes_at",
            "premoderation",
            "updated_at",
            "owner",
        )
        .filter(slug=slug)
        .first()
    )
    with _submission_lock:
        if len(_submission_cache) > 1000:
            _submission_cache.clear()
        _submission_cache[slug] = (now + SUBMISSION_CACHE_SECONDS, exercise)
    return exercise


def submission_cache_clear() -> None:
    with _submission_lock:
        _submission_cache.clear()


@dataclass(frozen=True)
class QuestionRules:
    """What a submission needs to know of a closed question to check an answer."""

    id: int
    number: int
    kind: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class SubmissionRules:
    """The articles and closed questions of an exercise, by the numbers citizens see."""

    article_ids_by_number: dict[int, int] = field(default_factory=dict)
    questions_by_number: dict[int, QuestionRules] = field(default_factory=dict)


_rules_cache: dict[tuple[int, Any], SubmissionRules] = {}
_rules_lock = threading.Lock()


def submission_rules(exercise: Exercise) -> SubmissionRules:
    """Articles and closed questions of an exercise, cached in-process by its id and last
    change (every change of them touches ``updated_at``)."""
    key = (exercise.pk, exercise.updated_at)
    rules = _rules_cache.get(key)
    if rules is None:
        articles = dict(Article.objects.filter(exercise_id=exercise.pk).values_list("number", "id"))
        options: dict[int, list[str]] = {}
        for question_id, option_key in QuestionOption.objects.filter(
            question__exercise_id=exercise.pk
        ).values_list("question_id", "key"):
            options.setdefault(question_id, []).append(option_key)
        questions = {
            number: QuestionRules(pk, number, kind, tuple(options.get(pk, ())))
            for pk, number, kind in ClosedQuestion.objects.filter(
                exercise_id=exercise.pk
            ).values_list("id", "number", "kind")
        }
        rules = SubmissionRules(articles, questions)
        with _rules_lock:
            if len(_rules_cache) > 500:
                _rules_cache.clear()
            _rules_cache[key] = rules
    return rules


_municipality_codes: set[str] = set()


def municipality_exists(code: str) -> bool:
    """Whether a DANE municipality code exists (the codes are loaded once per process)."""
    if not _municipality_codes:
        _municipality_codes.update(Municipality.objects.values_list("code", flat=True))
    if code in _municipality_codes:
        return True
    if Municipality.objects.filter(code=code).exists():
        _municipality_codes.add(code)
        return True
    return False


# --- contributions --------------------------------------------------------------------------


def contribution_by_receipt(receipt: str) -> Contribution | None:
    code = receipt_normalise(receipt or "")
    return (
        Contribution.objects.select_related("exercise", "exercise__owner", "article", "question")
        .select_related("response", "response__group")
        .filter(receipt=code)
        .first()
    )


def contribution_list_public(
    *, exercise: Exercise, kind: str | None = None, article: int | None = None
) -> QuerySet[Contribution]:
    """Visible contributions (not the replies to them: each one's page shows those), newest
    first, without any personal field loaded."""
    qs = Contribution.objects.filter(
        exercise=exercise, moderation=Contribution.Moderation.VISIBLE, parent__isnull=True
    ).defer(*PRIVATE_CONTRIBUTION_FIELDS)
    if kind:
        qs = qs.filter(kind=kind)
    if article:
        qs = qs.filter(article__number=article)
    qs = qs.select_related("article", "department", "question")
    if phase(exercise.status).shows_results:
        qs = qs.select_related("response", "response__group")
    return qs.order_by("-id")


def contribution_public_dict(contribution: Contribution, *, with_response: bool) -> dict:
    """The public face of a contribution (for the API and open pages): no personal data."""
    response = None
    if with_response:
        answer = getattr(contribution, "response", None)
        if answer is not None:
            response = {
                "decision": answer.decision,
                "decision_label": answer.get_decision_display(),
                "reason": answer.reason,
                "group": answer.group.title if answer.group_id else None,
            }
    return {
        "id": contribution.id,
        "kind": contribution.kind,
        "text": contribution.masked_text,
        "article": contribution.article.number if contribution.article_id else None,
        "question": contribution.question.number if contribution.question_id else None,
        "choice": contribution.choice or None,
        "channel": contribution.channel,
        "department": contribution.department.display_name if contribution.department_id else None,
        "created_at": contribution.created_at,
        "support_count": contribution.support_count,
        "response": response,
    }


COUNTS_SECONDS = 10


def exercise_counts(exercise: Exercise) -> dict[str, Any]:
    """Contribution counts (visible by kind, pending, hidden, by channel), cached 10 seconds."""
    key = f"exercise-counts:{exercise.pk}:{exercise.updated_at.timestamp()}"
    counts = cache.get(key)
    if counts is None:
        by_kind: Counter = Counter()
        by_moderation: Counter = Counter()
        for kind, moderation, n in (
            Contribution.objects.filter(exercise=exercise)
            .values_list("kind", "moderation")
            .annotate(n=Count("*"))  # not COUNT(id): PostgreSQL then reads only the index
            .order_by()
        ):
            by_moderation[moderation] += n
            if moderation == Contribution.Moderation.VISIBLE:
                by_kind[kind] += n
        counts = {
            "total": sum(by_moderation.values()),
            "visible": by_moderation[Contribution.Moderation.VISIBLE],
            "pending": by_moderation[Contribution.Moderation.PENDING],
            "hidden": by_moderation[Contribution.Moderation.HIDDEN],
            "by_kind": dict(by_kind),
        }
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


def article_comment_counts(exercise: Exercise) -> dict[int, int]:
    """Visible comments per article id, cached 10 seconds like the other counts."""
    key = f"exercise-article-counts:{exercise.pk}:{exercise.updated_at.timestamp()}"
    counts = cache.get(key)
    if counts is None:
        # By the article ids (a few): an index-only read of contrib_article_idx; by exercise
        # alone SQLite would read every visible contribution.
        article_ids = list(Article.objects.filter(exercise=exercise).values_list("id", flat=True))
        counts = dict(
            Contribution.objects.filter(
                article_id__in=article_ids,
                exercise=exercise,
                moderation=Contribution.Moderation.VISIBLE,
            )
            .values_list("article_id")
            .annotate(n=Count("*"))
            .order_by()
        )
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


def question_results(exercise: Exercise) -> list[dict[str, Any]]:
    """Per closed question: each option's label, count and share (visible answers)."""
    questions = list(
        ClosedQuestion.objects.filter(exercise=exercise).prefetch_related(
            Prefetch("options", queryset=QuestionOption.objects.order_by("position", "id"))
        )
    )
    tallies: dict[int, Counter] = {q.pk: Counter() for q in questions}
    respondents: Counter = Counter()
    for question_id, choice, n in (
        Contribution.objects.filter(
            question_id__in=list(tallies),  # index-only: contrib_question_idx
            exercise=exercise,
            kind=Contribution.Kind.ANSWER,
            moderation=Contribution.Moderation.VISIBLE,
        )
        .values_list("question_id", "choice")
        .annotate(n=Count("*"))
        .order_by()
    ):
        respondents[question_id] += n
        for key in choice.split(","):
            tallies[question_id][key] += n
    results = []
    for question in questions:
        total = respondents[question.pk]
        results.append(
            {
                "question": question,
                "respondents": total,
                "options": [
                    {
                        "key": option.key,
                        "label": option.label,
                        "count": tallies[question.pk][option.key],
                        "percent": round(100 * tallies[question.pk][option.key] / total)
                        if total
                        else 0,
                    }
                    for option in question.options.all()
                ],
            }
        )
    return results


def decision_counts(exercise: Exercise) -> dict[str, int]:
    return dict(
        ContributionResponse.objects.filter(contribution__exercise=exercise)
        .values_list("decision")
        .annotate(n=Count("id"))
        .order_by()
    )


# --- staff ----------------------------------------------------------------------------------


def exercise_list_staff(*, user: Any) -> QuerySet[Exercise]:
    """Exercises of the entities where the user may see staff pages (owner or partner)."""
    ids = entity_ids_for(user, "exercise.view_staff")
    return (
        Exercise.objects.for_entities(ids)
        .select_related("owner")
        .annotate(n_contributions=Count("contributions"))
        .order_by("-created_at", "-id")
    )


def staff_exercise_get(*, user: Any, slug: str, action: str = "exercise.view_staff") -> Exercise:
    """An exercise the user may act on; raises NotFound (never reveals others' exercises)."""
    exercise = Exercise.objects.for_entities(entity_ids_for(user, action)).filter(slug=slug)
    found = exercise.select_related("owner").first()
    if found is None:
        raise NotFound(_("No encontramos ese ejercicio entre los de su entidad."))
    return found


def contribution_list_staff(
    *,
    exercise: Exercise,
    moderation: str | None = None,
    kind: str | None = None,
    answered: bool | None = None,
    personal_data: bool | None = None,
) -> QuerySet[Contribution]:
    qs = Contribution.objects.filter(exercise=exercise).select_related(
        "article",
        "question",
        "department",
        "municipality",
        "contact",
        "response",
        "response__group",
    )
    if moderation:
        qs = qs.filter(moderation=moderation)
    if kind:
        qs = qs.filter(kind=kind)
    if personal_data is True:
        qs = qs.exclude(personal_data="")
    elif personal_data is False:
        qs = qs.filter(personal_data="")
    if answered is True:
        qs = qs.filter(response__isnull=False)
    elif answered is False:
        qs = qs.filter(response__isnull=True).exclude(kind=Contribution.Kind.ANSWER)
    return qs.order_by("-id")


def articles_of(exercise: Exercise) -> QuerySet[Article]:
    return Article.objects.filter(exercise=exercise).order_by("number")
