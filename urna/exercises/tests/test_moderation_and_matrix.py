import pytest

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.core.errors import InvalidInput, PermissionDenied
from urna.entities.models import Entity
from urna.exercises import services
from urna.exercises.models import Contribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise(make_exercise):
    return make_exercise(status="open")


@pytest.fixture
def opinion(exercise):
    return services.contribution_submit(
        exercise=exercise, kind="opinion", text="Texto con un insulto", channel="web"
    ).contribution


@pytest.fixture
def moderator(agriculture, make_staff):
    return make_staff(agriculture, Role.MODERATOR, username="moderador")


def test_hiding_needs_a_public_reason_and_is_audited(opinion, moderator):
    with pytest.raises(InvalidInput):
        services.contribution_moderate(contribution=opinion, to="hidden", by=moderator)
    opinion.refresh_from_db()
    assert opinion.moderation == "visible"

    services.contribution_moderate(
        contribution=opinion, to="hidden", reason="Lenguaje ofensivo", by=moderator
    )

    opinion.refresh_from_db()
    assert (opinion.moderation, opinion.hidden_reason) == ("hidden", "Lenguaje ofensivo")
    assert opinion.moderated_by == moderator
    entry = AuditEntry.objects.get(action="contribution.moderate")
    assert entry.before == {"moderation": "visible", "hidden_reason": ""}
    assert entry.after == {"moderation": "hidden", "hidden_reason": "Lenguaje ofensivo"}
    # Nothing is deleted: the text is kept.
    assert Contribution.objects.get(pk=opinion.pk).text == "Texto con un insulto"


def test_hidden_contribution_leaves_public_output_but_its_author_sees_the_reason(
    client, exercise, opinion, moderator
):
    services.contribution_moderate(
        contribution=opinion, to="hidden", reason="Lenguaje ofensivo", by=moderator
    )

    listing = client.get(f"/api/v1/exercises/{exercise.slug}/contributions").json()
    page = client.get(exercise.get_absolute_url()).content.decode()
    status = client.get(f"/r/{opinion.receipt}").content.decode()
    api_status = client.get(f"/api/v1/contributions/{opinion.receipt}").json()

    assert listing["count"] == 0 and listing["items"] == []
    assert "Texto con un insulto" not in page
    assert "1 oculto por moderación" in page
    assert "Lenguaje ofensivo" in status and "Texto con un insulto" not in status
    assert api_status["moderation"] == "hidden"
    assert api_status["hidden_reason"] == "Lenguaje ofensivo"
    assert api_status["text"] is None


def test_moderators_of_another_entity_cannot_moderate(opinion, education, make_staff):
    outsider = make_staff(education, Role.MODERATOR, username="otra")

    with pytest.raises(PermissionDenied):
        services.contribution_moderate(
            contribution=opinion, to="hidden", reason="Sin permiso", by=outsider
        )

    opinion.refresh_from_db()
    assert opinion.moderation == "visible"
    assert not AuditEntry.objects.filter(action="contribution.moderate").exists()


def test_platform_moderator_moderates_every_entity(opinion, make_staff):
    platform = make_staff(Entity.objects.get(acronym="URNA"), Role.MODERATOR, username="plat")

    services.contribution_moderate(contribution=opinion, to="pending", by=platform)

    opinion.refresh_from_db()
    assert opinion.moderation == "pending"
