"""The task registry and the one way to enqueue work: ``@task`` and ``enqueue``."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps

_TASKS: dict[str, "Task"] = {}


@dataclass(frozen=True)
class Task:
    name: str
    func: Callable[..., Any]
    max_attempts: int
    priority: int

    def __call__(self, **kwargs: Any) -> Any:
        return self.func(**kwargs)

    def enqueue(
        self,
        *,
        run_at: datetime | None = None,
        unique_key: str | None = None,
        entity_id: int | None = None,
        priority: int | None = None,
        **kwargs: Any,
    ):
        from urna.jobs.services import job_enqueue

        return job_enqueue(
            name=self.name,
            kwargs=kwargs,
            run_at=run_at,
            unique_key=unique_key,
            entity_id=entity_id,
            priority=self.priority if priority is None else priority,
            max_attempts=self.max_attempts,
        )


def task(name: str, *, max_attempts: int = 5, priority: int = 100) -> Callable[[Callable], Task]:
    """Register a function as a background task. Its kwargs must be JSON-serialisable."""

    def decorator(func: Callable) -> Task:
        registered = Task(name=name, func=func, max_attempts=max_attempts, priority=priority)
        _TASKS[name] = registered
        return registered

    return decorator


def autodiscover() -> None:
    """Import every installed app's ``tasks`` module so its tasks are registered."""
    for config in apps.get_app_configs():
        if config.name.startswith("urna."):
            try:
                importlib.import_module(f"{config.name}.tasks")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.tasks":
                    raise


def get_task(name: str) -> Task | None:
    if name not in _TASKS:
        autodiscover()
    return _TASKS.get(name)
