"""The perception survey's headline results, for the indicators: of the people the survey
represents, the share who know the platform, the share who used it in the last year, and among
those, the share satisfied (4 or 5 of 5) — each a weighted estimate with its 95 % margin of error,
design effect and unweighted n.

A survey counts as a perception survey when it has the template's questions (``HEADLINES``:
``urna/surveys/data/percepcion.py``); only published ones are read, so a figure reaches the
indicators when staff publish it. Shares are of every weighted complete response: someone the
skip logic never asked about use (they do not know Urna) does not use it. The indicators read
``perception_headlines``; nothing here imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from urna.surveys.form import form_of
from urna.surveys.models import Response, Survey
from urna.surveys.weighting import Estimate, proportion


@dataclass(frozen=True)
class Headline:
    key: str  # the indicator's key
    question: str  # the template's question
    hit: Callable[[Any], bool]  # an answer that counts
    among: Callable[[dict], bool]  # the responses in the denominator


HEADLINES = (
    Headline("perception_knowledge", "conoce_urna", lambda a: a == "si", lambda r: True),
    Headline("perception_use", "usa_urna", lambda a: a == "si", lambda r: True),
    Headline(
        "perception_satisfaction",
        "satisfaccion_general",
        lambda a: a is not None and float(a) >= 4,
        lambda r: r.get("usa_urna") == "si" and r.get("satisfaccion_general") is not None,
    ),
)


def _estimate(e: Estimate) -> dict[str, Any]:
    def clean(x: float) -> float | None:
        return None if np.isnan(x) else round(float(x), 4)

    return {"value": clean(e.value), "moe": clean(e.moe), "deff": clean(e.deff), "n": e.n}


def _is_perception(survey: Survey) -> bool:
    names = form_of(survey).questions
    return all(h.question in names for h in HEADLINES)


def survey_headlines(survey: Survey) -> dict[str, dict[str, Any]]:
    """The headline estimates of one survey, by indicator key (shares 0–1)."""
    rows = list(
        Response.objects.filter(survey=survey, status=Response.Status.COMPLETE).values_list(
            "weight", "answers"
        )
    )
    weighted = any(w is not None for w, _a in rows)
    out = {}
    for headline in HEADLINES:
        kept = [(w, a) for w, a in rows if headline.among(a)]
        weights = np.array(
            [np.nan if w is None else w for w, _a in kept] if weighted else [1.0] * len(kept),
            dtype=float,
        )
        hits = np.array([headline.hit(a.get(headline.question)) for _w, a in kept], dtype=bool)
        out[headline.key] = _estimate(proportion(weights, hits))
    return out


def perception_headlines(*, entity_id: int | None = None) -> list[dict[str, Any]]:
    """One row per published perception survey, oldest first: its slug, entity, the year and
    month it opened (the wave) and its headline estimates by indicator key."""
    surveys = Survey.objects.filter(published=True).exclude(opened_at=None).order_by("opened_at")
    if entity_id is not None:
        surveys = surveys.filter(entity_id=entity_id)
    return [
        {
            "survey": s.slug,
            "entity_id": s.entity_id,
            "year": s.opened_at.year,
            "month": s.opened_at.month,
            "weighted": s.margin_set_id is not None,
            "estimates": survey_headlines(s),
        }
        for s in surveys
        if _is_perception(s)
    ]
