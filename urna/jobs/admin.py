from django.contrib import admin, messages

from urna.core.admin import EntityScopedAdmin
from urna.jobs.models import Job
from urna.jobs.services import job_retry


@admin.register(Job)
class JobAdmin(EntityScopedAdmin):
    list_display = ("id", "name", "status", "attempts", "max_attempts", "run_at", "last_error")
    list_filter = ("status", "name")
    readonly_fields = [f.name for f in Job._meta.fields]
    actions = ["retry"]
    scope_action = "jobs.view"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Reintentar las tareas fallidas seleccionadas")
    def retry(self, request, queryset):
        retried = 0
        for job in queryset.filter(status=Job.Status.FAILED):
            job_retry(job=job, by=request.user)
            retried += 1
        messages.success(request, f"{retried} tareas puestas de nuevo en cola.")
