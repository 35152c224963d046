"""The admin pages of audit and entities scope their rows by entity through the staff scope
that accounts registers in ``AccountsConfig.ready()`` (they stand below accounts)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from urna.accounts.models import Role
from urna.accounts.permissions import entity_ids_for
from urna.audit.models import AuditEntry
from urna.audit.services import audit_record
from urna.core import admin as core_admin
from urna.entities.models import Entity

pytestmark = pytest.mark.django_db


def _rows(model, user):
    request = RequestFactory().get("/staff/admin/")
    request.user = user
    return admin.site._registry[model].get_queryset(request)


@pytest.fixture
def entries(agriculture, education):
    return (
        audit_record(action="test.one", obj=agriculture, entity=agriculture),
        audit_record(action="test.two", obj=education, entity=education),
    )


def test_accounts_registers_its_permissions_as_the_staff_scope():
    assert core_admin._scope is entity_ids_for


def test_a_manager_sees_the_audit_entries_of_their_entity_only(entries, make_staff, agriculture):
    own, _other = entries
    manager = make_staff(agriculture, Role.MANAGER)

    assert list(_rows(AuditEntry, manager).filter(action__startswith="test.")) == [own]


def test_a_platform_admin_sees_every_audit_entry(entries, make_staff):
    platform_admin = make_staff(Entity.objects.get(acronym="URNA"), Role.ADMIN)

    rows = _rows(AuditEntry, platform_admin).filter(action__startswith="test.")
    assert set(rows) == set(entries)


def test_a_role_without_the_action_sees_no_audit_entry(entries, make_staff, agriculture):
    analyst = make_staff(agriculture, Role.ANALYST)

    assert not _rows(AuditEntry, analyst).filter(action__startswith="test.").exists()


def test_an_entity_administrator_sees_only_their_entity(make_staff, agriculture):
    entity_admin = make_staff(agriculture, Role.ADMIN)
    manager = make_staff(agriculture, Role.MANAGER)

    assert list(_rows(Entity, entity_admin)) == [agriculture]
    assert not _rows(Entity, manager).exists()


def test_without_a_registered_scope_nobody_sees_any_row(entries, make_staff, monkeypatch):
    platform_admin = make_staff(Entity.objects.get(acronym="URNA"), Role.ADMIN)
    monkeypatch.setattr(core_admin, "_scope", None)

    assert core_admin.staff_scope(platform_admin, "audit.view") == set()
    assert not _rows(AuditEntry, platform_admin).exists()
