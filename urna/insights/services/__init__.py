"""Writes of the insights app: running an analysis, the analysts' edits, moderation flags.

Split by subdomain:

- ``runs``: ``analysis_start`` queues a run, ``analysis_run`` (the ``insights.analyse`` task's
  body) runs the pipeline and stores its result;
- ``carry``: a new run takes over the analysts' edits of the previous one;
- ``edits``: the analysts' edits (rename, finding, merge, split, move, pin);
- ``flags``: flagging likely insults, threats and personal data for the moderators;
- ``common``: the limits and helpers they share.

Reads (``analysis_current``, ``analysed_contributions``) are in ``urna.insights.selectors``.
The public functions are re-exported here, so ``from urna.insights import services`` and
``services.theme_rename(...)`` keep working.
"""

from urna.insights.selectors import analysed_contributions, analysis_current
from urna.insights.services.carry import MATCH_THRESHOLD
from urna.insights.services.common import (
    CHUNK,
    CONCLUSION_MIN,
    IN_CHUNK,
    K_MAX,
    K_MIN,
    LABEL_MAX,
    MAX_PINNED,
)
from urna.insights.services.edits import (
    contributions_move,
    quote_pin,
    theme_finding,
    theme_merge,
    theme_rename,
    theme_split,
)
from urna.insights.services.flags import flag_resolve, flags_scan
from urna.insights.services.runs import (
    ANALYSE_TASK,
    PIPELINE_SHARE,
    STAGE_NOTES,
    analysis_run,
    analysis_start,
)

__all__ = [
    "ANALYSE_TASK",
    "CHUNK",
    "CONCLUSION_MIN",
    "IN_CHUNK",
    "K_MAX",
    "K_MIN",
    "LABEL_MAX",
    "MATCH_THRESHOLD",
    "MAX_PINNED",
    "PIPELINE_SHARE",
    "STAGE_NOTES",
    "analysed_contributions",
    "analysis_current",
    "analysis_run",
    "analysis_start",
    "contributions_move",
    "flag_resolve",
    "flags_scan",
    "quote_pin",
    "theme_finding",
    "theme_merge",
    "theme_rename",
    "theme_split",
]
