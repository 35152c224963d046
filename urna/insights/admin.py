from django.contrib import admin

from urna.accounts.permissions import entity_ids_for
from urna.exercises.models import Exercise
from urna.insights.models import Analysis


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    """Read-only overview of the runs: analyses are started and edited in the workspace, which
    runs the services (permissions, audit log)."""

    list_display = ("exercise", "status", "progress", "k", "run_by", "created_at", "finished_at")
    list_filter = ("status",)
    search_fields = ("exercise__title",)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("exercise", "run_by")
        ids = entity_ids_for(request.user, "insights.view")
        return qs.filter(exercise__in=Exercise.objects.for_entities(ids))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
