from django.contrib import admin

from urna.audit.models import AuditEntry
from urna.core.admin import EntityScopedAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(EntityScopedAdmin):
    list_display = ("at", "action", "object_type", "object_id", "actor_label", "entity", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "action", "actor_label")
    date_hierarchy = "at"
    scope_action = "audit.view"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entity")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
