"""Writing facts: a period's stored facts are made equal to the computed ones, writing only
the rows that differ (a refresh that finds nothing new writes nothing)."""

from collections.abc import Iterable

from urna.indicators.engine.facts import FactKey
from urna.indicators.models import IndicatorFact

BATCH = 2000


def _new(key: FactKey, value: float) -> IndicatorFact:
    name, year, month, scope_kind, scope, dim = key
    return IndicatorFact(
        key=name, year=year, month=month, scope_kind=scope_kind, scope=scope, dim=dim, value=value
    )


def facts_insert(facts: dict[FactKey, float]) -> int:
    """Insert facts known to be absent (a rebuild, after deleting)."""
    IndicatorFact.objects.bulk_create(
        (_new(key, value) for key, value in facts.items()), batch_size=BATCH
    )
    return len(facts)


def facts_replace(
    facts: dict[FactKey, float], *, periods: Iterable[tuple[int, int]], keys: Iterable[str]
) -> int:
    """Make the stored facts of ``keys`` in ``periods`` ((year, month), month 0 the year) equal
    to ``facts``: changed values are updated, new ones inserted, vanished ones deleted. Returns
    the number of rows written."""
    periods, keys = set(periods), set(keys)
    wanted = {k: v for k, v in facts.items() if (k[1], k[2]) in periods and k[0] in keys}
    stored: dict[FactKey, IndicatorFact] = {}
    for year, month in sorted(periods):
        rows = IndicatorFact.objects.filter(year=year, month=month, key__in=keys)
        for fact in rows:
            stored[(fact.key, year, month, fact.scope_kind, fact.scope, fact.dim)] = fact
    changed = []
    for key, value in wanted.items():
        fact = stored.get(key)
        if fact is not None and fact.value != value:
            fact.value = value
            changed.append(fact)
    IndicatorFact.objects.bulk_update(changed, ["value"], batch_size=BATCH)
    added = facts_insert({k: v for k, v in wanted.items() if k not in stored})
    gone = [fact.pk for key, fact in stored.items() if key not in wanted]
    for start in range(0, len(gone), 900):
        IndicatorFact.objects.filter(pk__in=gone[start : start + 900]).delete()
    return len(changed) + added + len(gone)
