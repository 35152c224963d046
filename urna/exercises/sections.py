"""Sections that apps above exercises add to an exercise's published results page.

The exercises app sits below insights (and the other apps that build on an exercise), so its
pages never import them. An app that has something to show on the results page registers a
section in its ``AppConfig.ready()``: a name the results template reads, and a callable that
returns the section's content for an exercise. The insights app registers ``findings`` (the
themes its analysts marked as findings, with their conclusions).
"""

from collections.abc import Callable
from typing import Any

from urna.exercises.models import Exercise

ResultsSection = Callable[[Exercise], Any]

_results_sections: dict[str, ResultsSection] = {}


def results_section_register(name: str, section: ResultsSection) -> None:
    """Show ``section(exercise)`` on the results page as ``name`` (registering a name again
    replaces its section)."""
    _results_sections[name] = section


def results_sections(exercise: Exercise) -> dict[str, Any]:
    """The registered sections' content for one exercise, by name, in registration order."""
    return {name: section(exercise) for name, section in _results_sections.items()}
