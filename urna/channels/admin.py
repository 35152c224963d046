from django.contrib import admin

from urna.accounts.permissions import is_platform_admin
from urna.channels.models import InboundMessage, SocialPostLink


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "provider", "status", "result", "result_receipt", "received_at")
    list_filter = ("provider", "status", "result")
    # Personal data and raw payloads stay out of the admin; staff use the channels pages.
    exclude = ("sender", "payload", "headers")

    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SocialPostLink)
class SocialPostLinkAdmin(admin.ModelAdmin):
    list_display = ("platform", "post_id", "exercise", "created_at")
    list_filter = ("platform",)
    raw_id_fields = ("exercise",)
    exclude = ("created_by",)

    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user)
