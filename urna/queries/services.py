"""Citizen queries (PQRSD). Issue 4 builds the workflow here."""

from typing import Any


def query_from_contribution(*, contribution: Any) -> Any:
    """Hand a question to the government left inside an exercise to the queries workflow.

    Called by ``urna.exercises.services.contribution_submit`` inside its transaction for
    contributions of kind ``question``. Returns the Query (or None until issue 4 lands).
    """
    return None
