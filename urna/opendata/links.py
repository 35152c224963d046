"""Links an exercise's dataset page shows to pages of the apps that publish above open data.

Open data sits below the reports app, so it cannot ask it whether an exercise has a published
report. Instead an app above registers, in its ``AppConfig.ready()``, a function that gives the
URL of its page about an exercise (or None when there is none yet); the dataset page shows one
button per link found, in registration order::

    exercise_link_register(
        key="reports.report", label=gettext_lazy("Informe de participación"), url_for=report_url_for
    )
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExerciseLink:
    key: str
    label: Any  # a lazy translation: the page renders it in the visitor's language
    url_for: Callable[[Any], str | None]


@dataclass(frozen=True)
class Link:
    label: Any
    url: str


_EXERCISE_LINKS: dict[str, ExerciseLink] = {}


def exercise_link_register(*, key: str, label: Any, url_for: Callable[[Any], str | None]) -> None:
    """Add (or, with the same ``key``, replace) a link of exercise dataset pages."""
    _EXERCISE_LINKS[key] = ExerciseLink(key=key, label=label, url_for=url_for)


def exercise_link_unregister(key: str) -> None:
    _EXERCISE_LINKS.pop(key, None)


def exercise_links(exercise: Any) -> list[Link]:
    """The links for this exercise's dataset page, leaving out those without a URL."""
    links = []
    for registered in _EXERCISE_LINKS.values():
        url = registered.url_for(exercise)
        if url:
            links.append(Link(label=registered.label, url=url))
    return links
