from django.contrib import admin

from urna.accounts.permissions import entity_ids_for
from urna.exercises.models import Exercise, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    """Read-only overview: exercises change through the staff pages, which run the services
    (state machine, audit log)."""

    list_display = ("title", "owner", "kind", "status", "opens_at", "closes_at", "is_example")
    list_filter = ("status", "kind", "is_example")
    search_fields = ("title", "code")

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("owner")
        return qs.for_entities(entity_ids_for(request.user, "exercise.view_staff"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
