"""The response manager's page of a query: it offers the extension only when the service would
grant it, and its history names people and channels, not the stored actor codes."""

import pytest
from django.conf import settings

from urna.core.errors import Conflict
from urna.queries import services, workflow

pytestmark = pytest.mark.django_db


def test_an_overdue_query_is_not_offered_an_extension(client, submit, agri, manager, clock):
    query = submit(agri)
    clock.set(2026, 6, 1, 10, 0)  # months after its due date
    query.refresh_from_db()
    client.force_login(manager)

    page = client.get(f"/consultas/gestion/{query.pk}/").content.decode()
    with pytest.raises(Conflict) as refused:
        services.query_extend(
            query=query,
            new_due_date=services.extension_limit(query),
            reason="Requiere concepto jurídico.",
            by=manager,
        )

    assert refused.value.code == "expired"
    assert workflow.offered(workflow.EXTEND, manager, query) is False
    assert "Prorrogar el plazo" not in page
    assert f"/consultas/gestion/{query.pk}/prorrogar/" not in page
    assert "Vencida" in page


def test_a_query_due_today_is_still_offered_its_extension(client, submit, agri, manager, clock):
    query = submit(agri)
    due = query.due_date
    clock.set(due.year, due.month, due.day, 16, 0)
    client.force_login(manager)

    page = client.get(f"/consultas/gestion/{query.pk}/").content.decode()

    assert f"/consultas/gestion/{query.pk}/prorrogar/" in page


def test_the_history_names_the_citizen_channel_the_system_and_the_manager(
    client, submit, agri, manager
):
    query = submit(agri, channel="web")
    manager.first_name, manager.last_name = "Gloria", "Gestora"
    manager.save(update_fields=["first_name", "last_name"])
    services.query_note_add(query=query, text="Llamó de nuevo.", by=manager)
    client.force_login(manager)

    page = client.get(f"/consultas/gestion/{query.pk}/").content.decode()
    history = page.split('id="historial"', 1)[1]

    assert "citizen:web" not in history and "· system" not in history
    assert "Ciudadano (Web)" in history
    assert "Sistema" in history
    assert "Gloria Gestora" in history and "· gestora" not in history

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/consultas/gestion/{query.pk}/").content.decode()
    assert "Citizen (Web)" in english and "System" in english
