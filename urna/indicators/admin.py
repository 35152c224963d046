"""Read-only views of the goals and manual figures for platform administrators: they are entered
on the staff pages (``/indicadores/gestion/``), whose services validate and audit-log them."""

from django.contrib import admin

from urna.accounts.permissions import is_platform_admin
from urna.indicators.models import IndicatorGoal, ManualIndicator, ManualValue


class _ReadOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IndicatorGoal)
class IndicatorGoalAdmin(_ReadOnly):
    list_display = ("year", "key", "entity", "target", "is_example", "note")
    list_filter = ("year", "is_example")


@admin.register(ManualIndicator)
class ManualIndicatorAdmin(_ReadOnly):
    list_display = ("key", "label", "group", "unit", "aggregation", "is_example")


@admin.register(ManualValue)
class ManualValueAdmin(_ReadOnly):
    list_display = ("indicator", "year", "month", "entity", "value", "source", "is_example")
    list_filter = ("year", "indicator")
