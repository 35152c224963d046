from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "urna.accounts"
    label = "accounts"

    def ready(self) -> None:
        from urna.accounts.permissions import entity_ids_for
        from urna.core.admin import register_staff_scope

        # Admin pages of the apps below accounts (audit, entities) scope their rows by entity.
        register_staff_scope(entity_ids_for)


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Urna's site: the one staff login, and TOTP when required.
    ``INSTALLED_APPS`` lists it instead of ``django.contrib.admin``."""

    default = False  # not the config of ``urna.accounts`` itself
    default_site = "urna.accounts.admin_site.StaffAdminSite"
