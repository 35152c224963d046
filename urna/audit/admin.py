from django.contrib import admin

from urna.accounts.permissions import entity_ids_for
from urna.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "object_type", "object_id", "actor_label", "entity", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "action", "actor_label")
    date_hierarchy = "at"

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("entity")
        ids = entity_ids_for(request.user, "audit.view")
        return qs if ids is None else qs.filter(entity_id__in=ids)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
