from django.contrib import admin, messages

from urna.accounts.permissions import entity_ids_for
from urna.jobs.models import Job
from urna.jobs.services import job_retry


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "status", "attempts", "max_attempts", "run_at", "last_error")
    list_filter = ("status", "name")
    readonly_fields = [f.name for f in Job._meta.fields]
    actions = ["retry"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = entity_ids_for(request.user, "jobs.view")
        return qs if ids is None else qs.filter(entity_id__in=ids)

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
