"""The staff forms of the official accounts (add, edit, a monthly figure, import) re-render after
an invalid POST with the error summary at the top, each error a link to its field."""

import datetime

import pytest
from django.urls import reverse

from urna.core.tests.a11y import error_summary_links

pytestmark = pytest.mark.django_db


def test_the_account_forms_sent_empty_show_the_summary(
    client, agriculture, agri_admin, make_account
):
    account = make_account(agriculture, "facebook", "minagricultura")
    client.force_login(agri_admin)

    create = client.post(reverse("socialaccounts:staff_create"), {"handle": ""})
    edit = client.post(reverse("socialaccounts:staff_edit", args=[account.pk]), {"handle": ""})
    figure = client.post(
        reverse("socialaccounts:staff_figure", args=[account.pk]),
        {"day": datetime.date(2026, 1, 31).isoformat(), "followers": ""},
    )
    imported = client.post(reverse("socialaccounts:staff_import"), {"file": ""})

    for response, first in (
        (create, "id_entity"),
        (edit, "id_entity"),
        (figure, "id_followers"),
        (imported, "id_kind"),
    ):
        assert "Hay un problema" in response.content.decode()
        assert error_summary_links(response.content.decode())[0] == first
