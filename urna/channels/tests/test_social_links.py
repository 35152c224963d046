"""Linking a social post to an exercise: a service with its audit entry, a conflict shown on
the form."""

import pytest

from urna.audit.models import AuditEntry
from urna.channels.models import SocialPostLink
from urna.channels.services import social_link_create
from urna.core.errors import Conflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(entity, make_staff):
    return make_staff(entity, "admin", username="redes")


def test_a_link_is_created_and_audited(world, manager, entity):
    link = social_link_create(
        platform="facebook", post_id="12345_67890", exercise=world["AGRO"], by=manager
    )

    assert (link.platform, link.post_id, link.created_by) == ("facebook", "12345_67890", manager)
    entry = AuditEntry.objects.get(action="channels.social_link")
    assert (entry.actor, entry.entity, entry.after) == (
        manager,
        entity,
        {"platform": "facebook", "post_id": "12345_67890"},
    )


def test_a_post_is_linked_once(world, manager):
    social_link_create(platform="instagram", post_id="178901", exercise=world["AGRO"], by=manager)

    with pytest.raises(Conflict) as conflict:
        social_link_create(
            platform="instagram", post_id="178901", exercise=world["AGUA"], by=manager
        )

    assert conflict.value.field == "post_id"
    assert SocialPostLink.objects.get().exercise == world["AGRO"]
    assert AuditEntry.objects.filter(action="channels.social_link").count() == 1


def test_the_page_links_a_post_and_shows_a_conflict_on_the_field(client, world, manager):
    client.force_login(manager)
    data = {"platform": "facebook", "post_id": "12345_67890", "exercise": world["AGRO"].pk}

    created = client.post("/channels/gestion/publicaciones/", data)
    again = client.post("/channels/gestion/publicaciones/", data)

    assert created.status_code == 302 and created.url == "/channels/gestion/publicaciones/"
    assert again.status_code == 200
    assert "Esa publicación ya está enlazada a un ejercicio." in again.content.decode()
    assert SocialPostLink.objects.count() == 1
