"""The forms of manual figures, manual indicators and goals re-render after an invalid POST with
the error summary at the top, each error a link to its field."""

import pytest
from django.urls import reverse

from urna.core.tests.a11y import error_summary_links
from urna.indicators import services

pytestmark = pytest.mark.django_db


def test_the_manual_and_goal_forms_sent_empty_show_the_summary(client, platform_staff, make_manual):
    indicator = make_manual("confianza", unit="percent", aggregation="last", group="perception")
    row = services.manual_value_create(
        by=platform_staff, indicator=indicator, period="2025-05", value="40"
    )
    client.force_login(platform_staff)

    pages = [
        client.post(reverse("indicators:manual_list"), {"value": ""}),
        client.post(reverse("indicators:manual_indicator_new"), {"key": ""}),
        client.post(reverse("indicators:manual_value_edit", args=[row.pk]), {"value": ""}),
        client.post(reverse("indicators:goals"), {"target": ""}),
    ]

    firsts = [error_summary_links(page.content.decode())[0] for page in pages]
    assert all("Hay un problema" in page.content.decode() for page in pages)
    assert firsts == ["id_indicator", "id_key", "id_value", "id_key"]
