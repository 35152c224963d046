"""Background jobs. Use ``from urna.jobs.registry import task`` and ``my_task.enqueue(...)``."""
