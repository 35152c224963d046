import pytest

from urna.accounts.models import Role
from urna.accounts.permissions import ROLE_ACTIONS, can, entity_ids_for, require
from urna.core.errors import PermissionDenied
from urna.entities.models import Entity
from urna.jobs.models import Job


@pytest.fixture
def ministries(national_entities):
    return Entity.objects.get(acronym="MINAGRICULTURA"), Entity.objects.get(acronym="MINSALUD")


def test_manager_acts_only_in_own_entity(ministries, make_staff):
    agriculture, health = ministries
    manager = make_staff(agriculture, Role.MANAGER)
    own = Job(name="x", entity=agriculture)
    other = Job(name="x", entity=health)

    assert can(manager, "query.answer", own) is True
    assert can(manager, "query.answer", other) is False
    assert entity_ids_for(manager, "query.answer") == {agriculture.pk}
    with pytest.raises(PermissionDenied):
        require(manager, "query.answer", other)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.MODERATOR, Role.ANALYST, Role.CAMPAIGN])
@pytest.mark.parametrize(
    "action",
    sorted({a for actions in ROLE_ACTIONS.values() for a in actions} | {"query.triage"}),
)
def test_role_action_matrix(ministries, make_staff, role, action):
    agriculture, health = ministries
    user = make_staff(agriculture, role)

    expected = action in ROLE_ACTIONS[role]
    assert can(user, action, Job(name="x", entity=agriculture)) is expected
    # Never in another entity, whatever the role.
    assert can(user, action, Job(name="x", entity=health)) is False


def test_platform_admin_acts_everywhere(ministries, make_staff):
    agriculture, health = ministries
    admin = make_staff(Entity.objects.get(acronym="URNA"), Role.ADMIN)

    assert entity_ids_for(admin, "query.answer") is None
    assert can(admin, "query.triage") is True
    assert can(admin, "exercise.publish", Job(name="x", entity=health)) is True


def test_platform_moderator_moderates_everywhere_but_cannot_answer(ministries, make_staff):
    agriculture, _ = ministries
    moderator = make_staff(Entity.objects.get(acronym="URNA"), Role.MODERATOR)

    assert can(moderator, "contribution.moderate", Job(name="x", entity=agriculture)) is True
    assert can(moderator, "query.answer", Job(name="x", entity=agriculture)) is False
    assert can(moderator, "query.triage") is False


def test_anonymous_and_inactive_users_can_do_nothing(ministries, make_staff, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    agriculture, _ = ministries
    manager = make_staff(agriculture, Role.MANAGER)
    manager.is_active = False

    assert can(AnonymousUser(), "query.view") is False
    assert can(manager, "query.view", Job(name="x", entity=agriculture)) is False


def test_entity_admin_is_scoped_to_its_entity(ministries, make_staff):
    agriculture, health = ministries
    entity_admin = make_staff(agriculture, Role.ADMIN)

    assert can(entity_admin, "exercise.publish", Job(name="x", entity=agriculture)) is True
    assert can(entity_admin, "exercise.publish", Job(name="x", entity=health)) is False


def test_admin_lists_are_scoped_by_entity(client, ministries, make_staff):
    agriculture, health = ministries
    Job.objects.create(name="ours", entity=agriculture, run_at="2026-01-01T00:00:00Z")
    Job.objects.create(name="theirs", entity=health, run_at="2026-01-01T00:00:00Z")
    entity_admin = make_staff(agriculture, Role.ADMIN)
    entity_admin.is_superuser = False
    entity_admin.save()
    from django.contrib.auth.models import Permission

    entity_admin.user_permissions.add(Permission.objects.get(codename="view_job"))
    client.force_login(entity_admin)

    response = client.get("/staff/admin/jobs/job/")

    assert response.status_code == 200
    assert b"ours" in response.content
    assert b"theirs" not in response.content
