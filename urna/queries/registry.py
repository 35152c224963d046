"""What apps above queries lend it, registered in their ``AppConfig.ready()``.

A query may be filed about a participation exercise (``exercise`` in ``POST /api/v1/queries``).
Exercises sit above queries (a question left inside an exercise becomes a query), so queries
never imports them: the exercises app registers how to find an exercise by its code.
"""

from collections.abc import Callable
from typing import Any

_exercise_lookup: Callable[[str], Any | None] | None = None


def register_exercise_lookup(lookup: Callable[[str], Any | None]) -> None:
    """``lookup(code)`` returns the exercise with that code (its owner loaded) or None."""
    global _exercise_lookup
    _exercise_lookup = lookup


def exercise_by_code(code: str) -> Any | None:
    """The exercise with this code, or None (also when no app registered a lookup)."""
    if _exercise_lookup is None:
        return None
    return _exercise_lookup(code)
