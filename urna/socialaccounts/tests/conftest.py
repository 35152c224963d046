"""Fixtures of the social-accounts tests: a governorate (territorial, with its department),
accounts made directly in the database and their figures."""

from datetime import date

import pytest
from django.utils import translation

from urna.accounts.models import Role
from urna.entities.services import entity_for_department, platform_entity
from urna.socialaccounts.models import SocialAccount, SocialFigure
from urna.socialaccounts.services import account_search_text
from urna.territory.models import Department


@pytest.fixture(autouse=True)
def _default_language():
    """A page asked in English leaves English active in the thread (the language middleware
    activates a request's language and never resets it): back to the default after each test,
    for the messages checked outside requests here and in the tests that follow."""
    yield
    translation.deactivate()


@pytest.fixture
def caldas(divipola):
    """The Governorate of Caldas (territorial, department 17)."""
    return entity_for_department(department=Department.objects.get(code="17"))


@pytest.fixture
def make_account(db):
    def make(entity, network, handle, **fields):
        fields.setdefault("profile_url", f"https://example.org/{handle}")
        fields.setdefault("listed_on", date(2024, 1, 1))
        account = SocialAccount(
            entity=entity, network=network, handle=handle, level=entity.level, **fields
        )
        account.search_text = account_search_text(account)
        account.save()
        return account

    return make


@pytest.fixture
def make_figure(db):
    def make(account, day, followers, posts=None, source=SocialFigure.Source.CSV):
        return SocialFigure.objects.create(
            account=account, date=day, followers=followers, posts=posts, source=source
        )

    return make


@pytest.fixture
def platform_admin(make_staff):
    return make_staff(platform_entity(), Role.ADMIN, username="equipo.urna")


@pytest.fixture
def agri_admin(make_staff, agriculture):
    """An administrator of the Ministry of Agriculture: manages its accounts, no other's."""
    return make_staff(agriculture, Role.ADMIN, username="admin.agro")


@pytest.fixture
def edu_admin(make_staff, education):
    return make_staff(education, Role.ADMIN, username="admin.educacion")
