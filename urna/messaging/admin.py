from django.contrib import admin

from urna.accounts.permissions import is_platform_admin
from urna.messaging.models import Dispatch, OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "channel", "kind", "status", "backend", "attempts", "created_at")
    list_filter = ("channel", "kind", "status", "backend")
    exclude = ("to", "body")

    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user)

    def has_add_permission(self, request):
        return False


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    list_display = ("id", "channel", "purpose", "status", "recipients", "created_at")
    list_filter = ("channel", "purpose", "status")
    readonly_fields = [f.name for f in Dispatch._meta.fields]

    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
