from django.contrib import admin

from urna.accounts.permissions import is_platform_admin
from urna.contacts.models import Contact


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("id", "consent_channel", "consent_at", "consents", "erased_at")
    list_filter = ("consent_channel",)
    readonly_fields = ("consent_at", "consent_version", "erased_at", "created_at")

    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user)
