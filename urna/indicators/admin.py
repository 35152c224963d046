from django.contrib import admin

from urna.accounts.permissions import is_platform_admin
from urna.indicators.models import IndicatorGoal


@admin.register(IndicatorGoal)
class IndicatorGoalAdmin(admin.ModelAdmin):
    list_display = ("year", "key", "target", "note")
    list_filter = ("year",)

    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user)

    def has_add_permission(self, request):
        return is_platform_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_platform_admin(request.user)
