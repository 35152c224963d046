"""The tasks workers know by name: filled by ``@task`` (``registry.py``), read by ``job_run``.

Kept apart from ``registry.py`` so that the job services read it while the registry enqueues
through them, with every import at the top of its module.
"""

import importlib
from typing import Any

from django.apps import apps

_TASKS: dict[str, Any] = {}  # name → registry.Task


def task_add(task: Any) -> None:
    _TASKS[task.name] = task


def autodiscover() -> None:
    """Import every installed app's ``tasks`` module so its tasks are registered."""
    for config in apps.get_app_configs():
        if config.name.startswith("urna."):
            try:
                importlib.import_module(f"{config.name}.tasks")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.tasks":
                    raise


def get_task(name: str) -> Any:
    """The registered task ``name`` (a ``registry.Task``), or None."""
    if name not in _TASKS:
        autodiscover()
    return _TASKS.get(name)
