from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from urna.accounts.models import Membership, User
from urna.accounts.permissions import entity_ids_for, is_platform_admin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("entity",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "email", "is_staff", "is_active", "last_login")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Urna", {"fields": ("phone", "data_consent_at")}))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if is_platform_admin(request.user):
            return qs
        ids = entity_ids_for(request.user, "entity.members") or set()
        return qs.filter(memberships__entity_id__in=ids).distinct()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "entity", "role", "is_lead")
    list_filter = ("role",)
    autocomplete_fields = ("user", "entity")

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user", "entity")
        ids = entity_ids_for(request.user, "entity.members")
        return qs if ids is None else qs.filter(entity_id__in=ids)
