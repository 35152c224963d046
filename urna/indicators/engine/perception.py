"""The perception surveys' headline results (``urna.surveys.headlines``): the share of the people
a published perception survey represents who know the platform, who used it in the last year,
and of those, who are satisfied — as percentages in the month the wave opened, and as the
year's value the year's latest wave (three waves a year; a share is not summed), overall and for
the entity that ran the survey.
"""

from collections import defaultdict

from urna.indicators.engine.facts import Facts
from urna.indicators.engine.periods import Month, label, month_of
from urna.surveys.headlines import perception_headlines
from urna.surveys.models import Survey

KEYS = ("perception_knowledge", "perception_use", "perception_satisfaction")


def perception_facts(year: int) -> Facts:
    facts = Facts()
    latest: dict[tuple[str, str, str], float] = {}
    for wave in perception_headlines():  # oldest first: the year's latest wave wins
        if wave["year"] != year:
            continue
        for key, estimate in wave["estimates"].items():
            if key not in KEYS or estimate.get("value") is None:
                continue
            share = round(100 * estimate["value"], 1)
            for scope_kind, scope in (("all", ""), ("entity", str(wave["entity_id"]))):
                facts.put(key, year, wave["month"], share, scope_kind=scope_kind, scope=scope)
                latest[(key, scope_kind, scope)] = share
    for (key, scope_kind, scope), share in latest.items():
        facts.put(key, year, 0, share, scope_kind=scope_kind, scope=scope)
    return facts


def perception_signature() -> dict[str, str]:
    """Per month (label), what its published waves' figures depend on: a survey published,
    unpublished or recomputed changes its month's entry."""
    signature: dict[str, list[str]] = defaultdict(list)
    surveys = (
        Survey.objects.filter(published=True)
        .exclude(opened_at=None)
        .select_related("result")
        .order_by("pk")
    )
    for survey in surveys:
        month: Month | None = month_of(survey.opened_at)
        result = getattr(survey, "result", None)
        computed = result.computed_at.isoformat() if result else ""
        signature[label(month)].append(f"{survey.pk}:{survey.updated_at.isoformat()}:{computed}")
    return {month: "|".join(entries) for month, entries in signature.items()}
