"""Periodic jobs queue their successor before they work, so a run that fails for good does not
end the chain (before, the successor was queued only after a successful run: one permanent
failure stopped the daily retention, reminders, sweeps and closings until someone reseeded)."""

import importlib

import pytest
from django.utils import timezone

from urna.jobs.models import Job
from urna.jobs.services import run_pending

pytestmark = pytest.mark.django_db(transaction=True)

# (job name, module of its task, the function that seeds it, (module, function) of its work)
CHAINS = [
    (
        "contacts.retention",
        "urna.contacts.tasks",
        "retention_schedule",
        ("urna.contacts.services", "personal_data_expire"),
    ),
    (
        "queries.reminders",
        "urna.queries.tasks",
        "reminders_schedule",
        ("urna.queries.reminders", "reminders_send"),
    ),
    (
        "channels.sweep",
        "urna.channels.tasks",
        None,
        ("urna.channels.tasks", "inbound_process_pending"),
    ),
    (
        "exercises.close_due",
        "urna.exercises.tasks",
        "close_due_schedule",
        ("urna.exercises.services", "exercises_close_due"),
    ),
]


def _broken(*args, **kwargs):
    raise RuntimeError("boom")


@pytest.mark.parametrize(("name", "module", "seed", "work"), CHAINS)
def test_a_periodic_job_that_fails_for_good_still_queues_its_successor(
    name, module, seed, work, monkeypatch
):
    tasks = importlib.import_module(module)
    work_module, work_name = work
    monkeypatch.setattr(importlib.import_module(work_module), work_name, _broken)
    if seed:
        getattr(tasks, seed)()
    else:
        tasks.sweep.enqueue()
    first = Job.objects.get(name=name)

    # Every attempt of the first run fails.
    for _ in range(first.max_attempts):
        Job.objects.filter(pk=first.pk, status="queued").update(run_at=timezone.now())
        run_pending(max_jobs=1)

    first.refresh_from_db()
    assert first.status == "failed"
    successors = Job.objects.filter(name=name, status="queued").exclude(pk=first.pk)
    assert successors.count() == 1
    assert successors.get().run_at > timezone.now()
