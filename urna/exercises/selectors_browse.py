"""Reads of the public browsing of an exercise's contributions: search, filters and orders of
its list, one contribution's page with its replies, and the latest comments of each article.

Like ``selectors``, nothing here loads a contribution's contact, user, demographics, receipt or
original text: what these functions return may be shown to anyone.

Speed on a consultation of 100,000 contributions: the list walks an index in its order
(``contrib_public_idx`` for the newest; the partial ``contrib_support_count_idx`` and
``contrib_reply_count_idx`` for the most supported and most commented, followed by the rest
newest first), a count comes once per page (the unfiltered one from the cached counts), and a
row's replies are its ``reply_count``, never a COUNT per row.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from urna.core.text import search_normalise
from urna.exercises.models import Article, Contribution, Exercise
from urna.exercises.phases import phase
from urna.exercises.selectors import COUNTS_SECONDS, PRIVATE_CONTRIBUTION_FIELDS, exercise_counts

SORTS = {
    "recientes": _("Más recientes"),
    "apoyos": _("Más apoyados"),
    "comentarios": _("Más comentados"),
}
# Words of a search that are looked up (each must appear); more are ignored.
SEARCH_WORDS = 8
ARTICLE_LATEST = 3


@dataclass(frozen=True)
class BrowseFilters:
    """What a citizen asked of an exercise's list, already checked (``forms_browse``)."""

    q: str = ""
    kind: str = ""
    article: int | None = None
    question: int | None = None
    department: str = ""
    channel: str = ""
    answered: bool | None = None
    sort: str = "recientes"

    def params(self) -> dict[str, str]:
        """The GET parameters that give this list again (the page's links keep them)."""
        values = {
            "q": self.q,
            "tipo": self.kind,
            "articulo": self.article,
            "pregunta": self.question,
            "departamento": self.department,
            "canal": self.channel,
            "respuesta": {True: "si", False: "no"}.get(self.answered, ""),
            "orden": "" if self.sort == "recientes" else self.sort,
        }
        return {name: str(value) for name, value in values.items() if value not in ("", None)}

    def urlencode(self) -> str:
        return urlencode(self.params())

    @property
    def filtered(self) -> bool:
        """Whether a filter (not the search words nor the order) narrows the list."""
        return any(name not in ("q", "orden") for name in self.params())

    @property
    def narrowed(self) -> bool:
        """Whether anything but the order narrows the list."""
        return any(name != "orden" for name in self.params())


class KnownCount:
    """A queryset whose length is known already (the cached counts), for ``Paginator``: it
    reads ``count()``, which would otherwise COUNT every published row of the exercise."""

    def __init__(self, qs: QuerySet, total: int) -> None:
        self.qs, self.total = qs, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> Any:
        return self.qs[index]


class OrderedChain:
    """Two querysets read one after the other as one list, for ``Paginator``: the rows an
    order's partial index holds (a support, a reply), then the others, newest first. Each part
    is read through its own index; a page spanning both reads both."""

    def __init__(self, first: QuerySet, rest: QuerySet, *, total: int | None = None) -> None:
        self.first, self.rest, self._total = first, rest, total
        self._first_count: int | None = None

    def _head(self) -> int:
        if self._first_count is None:
            self._first_count = self.first.count()
        return self._first_count

    def count(self) -> int:
        if self._total is None:
            self._total = self._head() + self.rest.count()
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Contribution]:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        head = self._head()
        rows: list[Contribution] = []
        if start < head:
            rows += list(self.first[start : min(stop, head)])
        if stop > head:
            rows += list(self.rest[max(start - head, 0) : stop - head])
        return rows


def _public_rows(exercise: Exercise) -> QuerySet[Contribution]:
    qs = Contribution.objects.filter(
        exercise=exercise, moderation=Contribution.Moderation.VISIBLE
    ).defer(*PRIVATE_CONTRIBUTION_FIELDS)
    qs = qs.select_related("article", "department", "question")
    if phase(exercise.status).shows_results:
        qs = qs.select_related("response", "response__group")
    return qs


def _narrow(qs: QuerySet[Contribution], exercise: Exercise, f: BrowseFilters) -> QuerySet:
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.article is not None:
        # By the article's id: the partial contrib_article_idx finds its comments.
        qs = qs.filter(
            article_id__in=Article.objects.filter(exercise=exercise, number=f.article).values("id")
        )
    if f.question is not None:
        qs = qs.filter(question__exercise=exercise, question__number=f.question)
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.answered is True:
        qs = qs.filter(response__isnull=False)
    elif f.answered is False:
        qs = qs.filter(response__isnull=True)
    for word in search_normalise(f.q).split()[:SEARCH_WORDS]:
        # A row stored without the folded copy (a bulk load) is matched on its masked text.
        qs = qs.filter(
            Q(search_text__contains=word) | Q(search_text="", public_text__icontains=word)
        )
    return qs


def top_level_count(exercise: Exercise) -> int:
    """Published contributions that answer none (the list's length unfiltered), from the
    cached counts less the published replies (an index-only count of contrib_parent_idx)."""
    key = f"exercise-reply-count:{exercise.pk}:{exercise.updated_at.timestamp()}"
    replies = cache.get(key)
    if replies is None:
        replies = Contribution.objects.filter(
            parent__isnull=False, exercise=exercise, moderation=Contribution.Moderation.VISIBLE
        ).count()
        cache.set(key, replies, COUNTS_SECONDS)
    return max(exercise_counts(exercise)["visible"] - replies, 0)


def contribution_browse(
    *, exercise: Exercise, filters: BrowseFilters
) -> QuerySet[Contribution] | KnownCount | OrderedChain:
    """The published contributions of an exercise (not the replies) that match ``filters``,
    in its order, ready for ``Paginator``."""
    qs = _narrow(_public_rows(exercise).filter(parent__isnull=True), exercise, filters)
    total = None if filters.narrowed else top_level_count(exercise)
    column = {"apoyos": "support_count", "comentarios": "reply_count"}.get(filters.sort)
    if column is None:
        qs = qs.order_by("-id")
        return qs if total is None else KnownCount(qs, total)
    return OrderedChain(
        qs.filter(**{f"{column}__gt": 0}).order_by(f"-{column}", "-id"),
        qs.filter(**{column: 0}).order_by("-id"),
        total=total,
    )


def contribution_public(*, exercise: Exercise, pk: int) -> Contribution | None:
    """One published contribution (or reply) of the exercise; None when it is not public
    (pending, hidden, another exercise's, or no such contribution)."""
    return _public_rows(exercise).filter(pk=pk).first()


def reply_threads(contribution: Contribution) -> QuerySet[Contribution]:
    """The published direct replies of a contribution, oldest first (a conversation reads
    down); ``replies_below`` gives each one's own replies."""
    return (
        Contribution.objects.filter(
            parent=contribution,
            exercise_id=contribution.exercise_id,
            moderation=Contribution.Moderation.VISIBLE,
        )
        .defer(*PRIVATE_CONTRIBUTION_FIELDS)
        .select_related("department")
        .order_by("id")
    )


def replies_below(replies: list[Contribution], *, exercise_id: int) -> dict[int, list]:
    """The published replies to each of ``replies`` (the second level of a thread), by the
    id of the reply they answer: one query for a page of threads."""
    below: dict[int, list] = {}
    if not replies:
        return below
    for row in (
        Contribution.objects.filter(
            parent_id__in=[r.pk for r in replies],
            exercise_id=exercise_id,
            moderation=Contribution.Moderation.VISIBLE,
        )
        .defer(*PRIVATE_CONTRIBUTION_FIELDS)
        .select_related("department")
        .order_by("id")
    ):
        below.setdefault(row.parent_id, []).append(row)
    return below


def article_comments_latest(exercise: Exercise) -> dict[int, list[dict[str, Any]]]:
    """The latest published comments of each article (by article id; a few each, for the
    exercise's page), cached like the counts. One indexed read per article."""
    key = f"exercise-article-latest:{exercise.pk}:{exercise.updated_at.timestamp()}"
    latest = cache.get(key)
    if latest is None:
        latest = {}
        for article_id in Article.objects.filter(exercise=exercise).values_list("id", flat=True):
            rows = (
                Contribution.objects.filter(
                    article_id=article_id,
                    exercise=exercise,
                    moderation=Contribution.Moderation.VISIBLE,
                )
                .defer(*PRIVATE_CONTRIBUTION_FIELDS)
                .order_by("-id")[:ARTICLE_LATEST]
            )
            latest[article_id] = [
                {
                    "id": c.pk,
                    "text": c.masked_text,
                    "created_at": c.created_at,
                    "reply_count": c.reply_count,
                }
                for c in rows
            ]
        cache.set(key, latest, COUNTS_SECONDS)
    return latest
