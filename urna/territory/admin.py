from django.contrib import admin

from urna.territory.models import Department, Municipality


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "display_name")
    search_fields = ("code", "name")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "display_name", "department", "kind")
    list_filter = ("department", "kind")
    search_fields = ("code", "name")
