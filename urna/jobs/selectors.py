from django.db.models import Count
from django.utils import timezone

from urna.jobs.models import Job


def queue_health() -> dict:
    counts = dict(
        Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.FAILED])
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    oldest = (
        Job.objects.filter(status=Job.Status.QUEUED, run_at__lte=timezone.now())
        .order_by("run_at")
        .values_list("run_at", flat=True)
        .first()
    )
    return {
        "backend": "database",
        "queued": counts.get(Job.Status.QUEUED, 0),
        "running": counts.get(Job.Status.RUNNING, 0),
        "failed": counts.get(Job.Status.FAILED, 0),
        "oldest_due_seconds": round((timezone.now() - oldest).total_seconds()) if oldest else 0,
    }
