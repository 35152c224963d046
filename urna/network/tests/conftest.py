"""Fixtures of the network pages' tests: a platform administrator, an administrator and a
manager of the Ministry of Agriculture, an administrator of Education (another entity)."""

from datetime import datetime

import pytest
from django.utils import timezone

from urna.accounts.models import Role
from urna.entities.services import platform_entity
from urna.queries.terms import BOGOTA


@pytest.fixture
def platform_admin(make_staff, national_entities):
    return make_staff(platform_entity(), Role.ADMIN, username="equipo.urna")


@pytest.fixture
def agri_admin(make_staff, agriculture):
    return make_staff(agriculture, Role.ADMIN, username="admin.agro")


@pytest.fixture
def agri_manager(make_staff, agriculture):
    return make_staff(agriculture, Role.MANAGER, username="gestor.agro")


@pytest.fixture
def edu_admin(make_staff, education):
    return make_staff(education, Role.ADMIN, username="admin.educacion")


@pytest.fixture
def login(client):
    def as_(user):
        client.force_login(user)
        return client

    return as_


@pytest.fixture
def monday(monkeypatch):
    """Now is Monday 2 March 2026, 10:00 in Bogotá (a business day)."""
    now = datetime(2026, 3, 2, 10, 0, tzinfo=BOGOTA)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now
