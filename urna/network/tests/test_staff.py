"""An entity's administrator runs its staff: invites by email (the person sets a password from
a link; nobody else sees or sets it), gives and takes roles, marks the lead, deactivates."""

import re

import pytest
from django.urls import reverse

from urna.accounts.models import Membership, Role, User
from urna.accounts.selectors import entity_leads
from urna.audit.models import AuditEntry
from urna.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _invite(client, entity, **data):
    defaults = {
        "first_name": "Lina",
        "last_name": "Rojas",
        "email": "lina@agro.gov.co",
        "role": "manager",
    }
    return client.post(reverse("network:staff", args=[entity.pk]), {**defaults, **data})


def test_invite_then_set_password_from_the_link(login, settings, agriculture, agri_admin, client):
    settings.URNA_SITE_URL = "https://urna.example.gov.co"
    response = _invite(login(agri_admin), agriculture)
    assert response.status_code == 302
    user = User.objects.get(email="lina@agro.gov.co")
    assert (user.username, user.is_staff, user.has_usable_password()) == ("lina.rojas", True, False)
    assert Membership.objects.get(user=user).role == Role.MANAGER
    message = OutboundMessage.objects.get(to="lina@agro.gov.co")
    # On the site's public address, whatever host the request came in on.
    link = re.search(r"https://urna\.example\.gov\.co(/cuenta/clave/\S+/)", message.body).group(1)
    # The audit log names the username and the role, never the email.
    entries = AuditEntry.objects.filter(entity=agriculture, actor=agri_admin)
    assert set(entries.values_list("action", flat=True)) == {
        "membership.create",
        "staff.password_link",
    }
    assert entries.count() == 2
    assert all("lina@" not in str(e.after) + e.object_repr for e in entries)
    # The person sets the password through Django's reset flow.
    client.logout()
    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": "un-buen-secreto-2026", "new_password2": "un-buen-secreto-2026"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("un-buen-secreto-2026")
    # The link works once.
    again = client.get(link, follow=True)
    assert "Este enlace ya no sirve" in again.content.decode()


def test_page_never_shows_a_password_field(login, agriculture, agri_admin):
    page = login(agri_admin).get(reverse("network:staff", args=[agriculture.pk]))
    assert 'type="password"' not in page.content.decode()


def test_invite_errors(login, agriculture, agri_admin, agri_manager):
    client = login(agri_admin)
    response = _invite(client, agriculture, email="no-es-correo")
    assert response.status_code == 422
    assert "dirección de correo electrónico válida" in response.content.decode()
    agri_manager.email = "gestor@agro.gov.co"
    agri_manager.save()
    response = _invite(client, agriculture, email="gestor@agro.gov.co", role="manager")
    assert response.status_code == 422
    assert "ya tiene el rol Gestor de respuesta" in response.content.decode()


def test_existing_staff_gets_a_second_role_without_a_link(
    login, agriculture, agri_admin, agri_manager
):
    agri_manager.email = "gestor@agro.gov.co"
    agri_manager.save()
    _invite(login(agri_admin), agriculture, email="gestor@agro.gov.co", role="analyst")
    assert set(agri_manager.memberships.values_list("role", flat=True)) == {"manager", "analyst"}
    assert not OutboundMessage.objects.exists()


def test_lead_role_removal_and_deactivation(login, agriculture, agri_admin, agri_manager):
    client = login(agri_admin)
    membership = Membership.objects.get(user=agri_manager)
    client.post(reverse("network:lead", args=[agriculture.pk, membership.pk]), {"is_lead": "1"})
    assert list(entity_leads(entity_id=agriculture.pk)) == [agri_manager]
    client.post(
        reverse("network:role_add", args=[agriculture.pk, agri_manager.pk]), {"role": "analyst"}
    )
    analyst = Membership.objects.get(user=agri_manager, role="analyst")
    client.post(reverse("network:role_remove", args=[agriculture.pk, analyst.pk]))
    assert not Membership.objects.filter(pk=analyst.pk).exists()
    client.post(reverse("network:deactivate", args=[agriculture.pk, agri_manager.pk]))
    agri_manager.refresh_from_db()
    assert agri_manager.is_active is False
    assert not agri_manager.memberships.exists()
    actions = list(AuditEntry.objects.filter(entity=agriculture).values_list("action", flat=True))
    for action in ("membership.lead", "membership.create", "membership.delete", "staff.deactivate"):
        assert action in actions


def test_the_last_admin_stays(login, agriculture, agri_admin):
    client = login(agri_admin)
    membership = Membership.objects.get(user=agri_admin)
    response = client.post(
        reverse("network:role_remove", args=[agriculture.pk, membership.pk]), follow=True
    )
    assert "al menos un administrador" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_another_entitys_member_is_404(login, agriculture, education, agri_admin, edu_admin):
    membership = Membership.objects.get(user=edu_admin)
    client = login(agri_admin)
    assert (
        client.post(
            reverse("network:role_remove", args=[agriculture.pk, membership.pk])
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("network:deactivate", args=[agriculture.pk, edu_admin.pk])).status_code
        == 404
    )
    edu_admin.refresh_from_db()
    assert edu_admin.is_active


def test_a_deactivated_member_comes_back_with_a_new_password(
    login, agriculture, agri_admin, agri_manager
):
    agri_manager.email = "gestor@agro.gov.co"
    agri_manager.save()
    client = login(agri_admin)
    client.post(reverse("network:deactivate", args=[agriculture.pk, agri_manager.pk]))
    _invite(client, agriculture, email="gestor@agro.gov.co", role="manager")
    agri_manager.refresh_from_db()
    assert agri_manager.is_active
    assert not agri_manager.has_usable_password()  # the old one no longer opens the account
    assert OutboundMessage.objects.filter(to="gestor@agro.gov.co").count() == 1
