"""The task registry and the one way to enqueue work: ``@task`` and ``enqueue``."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from urna.jobs.catalog import autodiscover as autodiscover
from urna.jobs.catalog import get_task, task_add
from urna.jobs.services import job_enqueue


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
        task_add(registered)
        return registered

    return decorator


def enqueue(name: str, **options: Any):
    """Enqueue the registered task ``name`` with its own attempts and priority: how a services
    module queues a task of its app's ``tasks`` module, which imports the services (so the
    services cannot import it). ``options`` are those of ``Task.enqueue``."""
    registered = get_task(name)
    if registered is None:
        raise LookupError(f"unknown task {name!r}")
    return registered.enqueue(**options)
