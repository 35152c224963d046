from django.contrib import admin

from urna.core.admin import staff_scope
from urna.entities.models import Entity


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ("name", "acronym", "level", "kind", "sector", "active")
    list_filter = ("level", "kind", "active")
    search_fields = ("name", "acronym")
    autocomplete_fields = ("parent",)
    raw_id_fields = ("department", "municipality")

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("parent")
        ids = staff_scope(request.user, "entity.manage")
        if ids is None:
            return qs
        return qs.filter(pk__in=staff_scope(request.user, "entity.members") or set())
