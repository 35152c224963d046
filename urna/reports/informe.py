"""Reads of the informe global de observaciones: the entity's formal answer to every observation.

Decreto 1081 de 2015 (art. 2.1.2.1.14, as amended by Decreto 270 de 2017) asks an entity that
published a draft regulation for comments to publish an "informe global" with every observation
received, whether it was accepted and why. Urna's informe has:

- a summary: the entity, the period of publication, observations received, participants, and
  how many were accepted, partially accepted, not accepted (and, in a staff draft, unanswered);
- the common answers (``ResponseGroup``): each answer once, with the receipts of the
  observations it answers, the articles they refer to and a few of their texts. A mail-merge
  campaign of 20,000 letters is one answer, not 20,000 copies of it;
- the observations answered one by one, by article then receipt: receipt, channel, date, the
  public (masked) text, the decision and its reason.

Nobody is named: an observation is its receipt, channel and date, and its text is the public
text (names, documents, phones, emails masked at intake). The CSV has one row per observation,
grouped or not. Only visible observations count (moderation hides some; answers to closed
questions are counts, not observations).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, F, Max, Q, TextField, Value, When
from django.utils.translation import gettext as _

from urna.core.privacy import mask_personal_data
from urna.exercises.models import Article, Contribution, Decision, Exercise, ResponseGroup
from urna.reports.selectors import reportable_exercises

GROUP_EXAMPLES = 3
UNANSWERED = "unanswered"


def informe_observations(exercise: Any):
    """The observations of the informe: visible contributions, closed-question answers aside."""
    return (
        Contribution.objects.filter(exercise=exercise, moderation=Contribution.Moderation.VISIBLE)
        .exclude(kind=Contribution.Kind.ANSWER)
        .order_by()
    )


def informe_public_exercise(slug: str) -> Exercise | None:
    """The exercise whose informe is public: its results are published (which requires every
    observation answered, see exercises' transition to results)."""
    return reportable_exercises().filter(slug=slug).first()


def is_final(exercise: Any) -> bool:
    return reportable_exercises().filter(pk=exercise.pk).exists()


def decision_labels() -> dict[str, str]:
    labels = {key: str(label) for key, label in Decision.choices}
    labels[UNANSWERED] = _("Sin respuesta")
    return labels


def informe_stamp(exercise: Any) -> str:
    """What the informe depends on, as one string: the exercise's own changes, and the count
    and latest change of observations, moderation and answers. A stored PDF with another stamp
    is stale."""
    found = Contribution.objects.filter(exercise=exercise).aggregate(
        n=Count("id"),
        answered=Count("response"),
        created=Max("created_at"),
        moderated=Max("moderated_at"),
        responded=Max("response__responded_at"),
    )
    stamps = [exercise.updated_at, found["created"], found["moderated"], found["responded"]]
    parts = [str(found["n"]), str(found["answered"]), exercise.status]
    parts += [str(int(s.timestamp() * 1000)) if s else "-" for s in stamps]
    return ":".join(parts)


def informe_summary(exercise: Any) -> dict[str, Any]:
    """The informe's first page: entity, period, counts by decision and by channel, and the
    participants (each contact once, each account without a contact once, each anonymous
    observation once). One pass over the observations, one for channels."""
    observations = informe_observations(exercise)
    found = observations.aggregate(
        total=Count("id"),
        grouped=Count("id", filter=Q(response__group__isnull=False)),
        **{key: Count("id", filter=Q(response__decision=key)) for key in Decision.values},
        unanswered=Count("id", filter=Q(response__isnull=True)),
        contacts=Count("contact_id", distinct=True),
        users=Count("user_id", filter=Q(contact__isnull=True), distinct=True),
        anonymous=Count("id", filter=Q(contact__isnull=True, user__isnull=True)),
    )
    labels = decision_labels()
    keys = [*Decision.values] + ([UNANSWERED] if found["unanswered"] else [])
    channel_labels = dict(Contribution.Channel.choices)
    by_channel = (
        observations.values_list("channel").annotate(n=Count("id")).order_by("-n", "channel")
    )
    return {
        "exercise": exercise,
        "entity": exercise.owner,
        "final": is_final(exercise),
        "total": found["total"],
        "participants": found["contacts"] + found["users"] + found["anonymous"],
        "decisions": [{"key": k, "label": labels[k], "count": found[k]} for k in keys],
        "unanswered": found["unanswered"],
        "grouped": found["grouped"],
        "individual": found["total"] - found["grouped"],
        "by_channel": [(str(channel_labels.get(c, c)), n) for c, n in by_channel],
        "hidden": Contribution.objects.filter(
            exercise=exercise, moderation=Contribution.Moderation.HIDDEN
        )
        .exclude(kind=Contribution.Kind.ANSWER)
        .count(),
    }


def article_labels(exercise: Any) -> dict[int, str]:
    return {a.pk: str(a) for a in Article.objects.filter(exercise=exercise).order_by("number")}


def informe_groups(exercise: Any, *, receipts: int = 0) -> list[dict[str, Any]]:
    """The common answers, largest first: title, decision, reason, how many observations, the
    articles they refer to, a few of their (distinct, masked) texts and, with ``receipts``, the
    first receipts they answer."""
    articles = article_labels(exercise)
    by_group: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for group_id, article_id, n in (
        informe_observations(exercise)
        .filter(response__group__isnull=False)
        .values_list("response__group_id", "article_id")
        .annotate(n=Count("id"))
        .order_by("response__group_id", F("article__number").asc(nulls_first=True))
    ):
        by_group[group_id].append((articles.get(article_id, _("General")), n))
    counts = {pk: sum(n for _label, n in rows) for pk, rows in by_group.items()}
    groups = sorted(
        ResponseGroup.objects.filter(pk__in=counts), key=lambda g: (-counts[g.pk], g.pk)
    )
    labels = decision_labels()
    result = []
    for i, g in enumerate(groups, start=1):
        first = _first_members(exercise, g.pk, max(receipts, 50))
        result.append(
            {
                "id": g.pk,
                "number": i,
                "title": mask_personal_data(g.title),
                "decision": g.decision,
                "decision_label": labels.get(g.decision, g.decision),
                "reason": mask_personal_data(g.reason),
                "count": counts[g.pk],
                "articles": by_group[g.pk],
                "examples": _examples(first),
                "receipts": [receipt for receipt, _text in first[:receipts]],
            }
        )
    return result


def _public_text():
    """The stored public text, and the original only where none was stored (masked in Python),
    so a query never loads originals it does not need."""
    return Case(When(public_text="", then=F("text")), default=Value(""), output_field=TextField())


def _masked(public_text: str, fallback: str) -> str:
    return public_text or (mask_personal_data(fallback) if fallback else "")


def _first_members(exercise: Any, group_id: int, limit: int) -> list[tuple[str, str]]:
    """(receipt, masked text) of the group's first observations by receipt."""
    rows = (
        informe_observations(exercise)
        .filter(response__group_id=group_id)
        .annotate(fallback=_public_text())
        .order_by("receipt")
        .values_list("receipt", "public_text", "fallback")[:limit]
    )
    return [(receipt, _masked(text, fallback)) for receipt, text, fallback in rows]


def _examples(members: list[tuple[str, str]]) -> list[str]:
    seen: list[str] = []
    for _receipt, text in members:
        if text and text not in seen:
            seen.append(text)
        if len(seen) == GROUP_EXAMPLES:
            break
    return seen


def group_receipts(exercise: Any, group_id: int) -> Iterator[str]:
    """The receipts of a common answer's observations, in order (streamed)."""
    return (
        informe_observations(exercise)
        .filter(response__group_id=group_id)
        .order_by("receipt")
        .values_list("receipt", flat=True)
        .iterator(chunk_size=5000)
    )


@dataclass(frozen=True, slots=True)
class Observation:
    receipt: str
    created_at: datetime
    channel: str
    article: str
    text: str
    decision: str  # a Decision value or UNANSWERED
    reason: str
    group: str  # the title of its common answer, if any


def _ordered_values(queryset):
    return (
        queryset.annotate(fallback=_public_text())
        .order_by(F("article__number").asc(nulls_first=True), "receipt")
        .values_list(
            "receipt",
            "created_at",
            "channel",
            "article_id",
            "public_text",
            "fallback",
            "response__decision",
            "response__reason",
            "response__group_id",
        )
    )


def _rows(values, articles: dict[int, str], groups: dict[int, str]) -> Iterator[Observation]:
    general = _("General")
    for receipt, created, channel, article_id, text, fallback, decision, reason, group in values:
        yield Observation(
            receipt=receipt,
            created_at=created,
            channel=channel,
            article=articles.get(article_id, general),
            text=_masked(text, fallback),
            decision=decision or UNANSWERED,
            reason=mask_personal_data(reason) if reason else "",
            group=groups.get(group, "") if group else "",
        )


def individual_observations(exercise: Any):
    """The observations answered one by one, and (in a staff draft) those not answered yet."""
    return informe_observations(exercise).filter(
        Q(response__isnull=True) | Q(response__group__isnull=True)
    )


def informe_rows(
    exercise: Any, *, grouped: bool = False, start: int = 0, stop: int | None = None
) -> Iterator[Observation]:
    """Observations by article (general ones first) then receipt, streamed: those answered one
    by one (and unanswered ones), or every observation with ``grouped`` (the CSV)."""
    queryset = informe_observations(exercise) if grouped else individual_observations(exercise)
    groups = {}
    if grouped:
        groups = {
            pk: mask_personal_data(title)
            for pk, title in ResponseGroup.objects.filter(exercise=exercise).values_list(
                "pk", "title"
            )
        }
    values = _ordered_values(queryset)
    if start or stop is not None:
        values = values[start:stop]
    return _rows(values.iterator(chunk_size=5000), article_labels(exercise), groups)
