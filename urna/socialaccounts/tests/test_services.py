"""Accounts added, edited, closed and their figures recorded: normalised, scoped by entity and
audit-logged."""

from datetime import date

import pytest

from urna.audit.models import AuditEntry
from urna.core.errors import Conflict, InvalidInput, PermissionDenied
from urna.socialaccounts import services
from urna.socialaccounts.models import SocialAccount, SocialFigure


def test_an_account_is_stored_normalised_with_its_entitys_level_and_audited(
    agriculture, agri_admin
):
    account = services.account_create(
        by=agri_admin,
        entity=agriculture,
        network="x",
        handle="",
        profile_url="https://twitter.com/MinAgricultura?lang=es",
        name="Ministerio de Agricultura",
    )

    account.refresh_from_db()
    assert (account.network, account.handle, account.level) == ("x", "minagricultura", "national")
    assert account.profile_url == "https://twitter.com/MinAgricultura?lang=es"
    assert account.status == SocialAccount.Status.ACTIVE
    assert account.listed_on is not None and account.closed_on is None
    assert "agricultura" in account.search_text and "minagricultura" in account.search_text
    entry = AuditEntry.objects.for_object(account).get()
    assert entry.action == "socialaccount.create"
    assert entry.actor == agri_admin and entry.entity == agriculture
    assert entry.after["handle"] == "minagricultura"


def test_the_usual_address_is_built_from_the_handle(agriculture, agri_admin):
    account = services.account_create(
        by=agri_admin, entity=agriculture, network="youtube", handle="@MinAgricultura"
    )
    assert account.profile_url == "https://www.youtube.com/@minagricultura"


def test_one_account_per_network_and_handle(agriculture, education, platform_admin):
    services.account_create(by=platform_admin, entity=agriculture, network="x", handle="agro")

    with pytest.raises(Conflict, match="ya está en el registro"):
        services.account_create(by=platform_admin, entity=education, network="x", handle="@AGRO")
    assert SocialAccount.objects.count() == 1


def test_a_url_of_another_network_or_account_is_refused(agriculture, agri_admin):
    with pytest.raises(InvalidInput, match="no es de X"):
        services.account_create(
            by=agri_admin,
            entity=agriculture,
            network="x",
            handle="agro",
            profile_url="https://facebook.com/agro",
        )
    with pytest.raises(InvalidInput, match="no corresponde"):
        services.account_create(
            by=agri_admin,
            entity=agriculture,
            network="x",
            handle="agro",
            profile_url="https://x.com/otra",
        )
    assert not SocialAccount.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="socialaccount").exists()


def test_entity_staff_cannot_add_or_edit_another_entitys_accounts(
    agriculture, education, agri_admin, edu_admin
):
    theirs = services.account_create(by=edu_admin, entity=education, network="x", handle="edu")

    with pytest.raises(PermissionDenied):
        services.account_create(by=agri_admin, entity=education, network="x", handle="edu2")
    with pytest.raises(PermissionDenied):
        services.account_update(account=theirs, by=agri_admin, name="Tomada")
    ours = services.account_create(by=agri_admin, entity=agriculture, network="x", handle="agro")
    with pytest.raises(PermissionDenied):  # moving one's own account to another entity
        services.account_update(account=ours, by=agri_admin, entity=education)

    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert theirs.name == "" and ours.entity == agriculture
    assert SocialAccount.objects.count() == 2


def test_closing_an_account_keeps_the_day_and_reopening_clears_it(agriculture, agri_admin):
    account = services.account_create(by=agri_admin, entity=agriculture, network="x", handle="a1")

    services.account_status_set(account=account, by=agri_admin, status="closed")
    account.refresh_from_db()
    assert account.status == "closed" and account.closed_on is not None
    services.account_status_set(account=account, by=agri_admin, status="active")
    account.refresh_from_db()
    assert account.status == "active" and account.closed_on is None

    actions = list(
        AuditEntry.objects.for_object(account).order_by("id").values_list("action", "after")
    )
    assert actions == [
        ("socialaccount.create", actions[0][1]),
        ("socialaccount.update", {"status": "closed"}),
        ("socialaccount.update", {"status": "active"}),
    ]


def test_an_edit_that_changes_nothing_writes_nothing(agriculture, agri_admin):
    account = services.account_create(by=agri_admin, entity=agriculture, network="x", handle="a1")

    services.account_update(account=account, by=agri_admin, name="", handle="@A1")

    assert AuditEntry.objects.for_object(account).count() == 1


def test_figures_one_per_day_replaced_when_they_change_and_audited(agriculture, agri_admin):
    account = services.account_create(by=agri_admin, entity=agriculture, network="x", handle="a1")

    _f, created = services.figure_record(
        account=account, by=agri_admin, day=date(2025, 1, 31), followers=100, posts=4
    )
    _f, again = services.figure_record(
        account=account, by=agri_admin, day=date(2025, 1, 31), followers=100, posts=4
    )
    _f, changed = services.figure_record(
        account=account, by=agri_admin, day=date(2025, 1, 31), followers=120, posts=4
    )

    assert (created, again, changed) == (True, False, True)
    figure = SocialFigure.objects.get()
    assert (figure.followers, figure.posts, figure.source) == (120, 4, "manual")
    entries = AuditEntry.objects.filter(action="socialfigure.record").order_by("id")
    assert [e.before for e in entries] == [None, {"followers": 100, "posts": 4}]


def test_negative_or_future_figures_are_refused(agriculture, agri_admin, edu_admin):
    account = services.account_create(by=agri_admin, entity=agriculture, network="x", handle="a1")

    with pytest.raises(InvalidInput, match="negativos"):
        services.figure_record(account=account, by=agri_admin, day=date(2025, 1, 1), followers=-1)
    with pytest.raises(InvalidInput, match="futura"):
        services.figure_record(account=account, by=agri_admin, day=date(2999, 1, 1), followers=1)
    with pytest.raises(PermissionDenied):
        services.figure_record(account=account, by=edu_admin, day=date(2025, 1, 1), followers=1)
    assert not SocialFigure.objects.exists()
