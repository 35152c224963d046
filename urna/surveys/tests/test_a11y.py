"""Browser-free accessibility checks of the surveys' public and staff pages: labelled fields,
unique ids, the skip link."""

import pytest
from django.urls import reverse

from urna.core.tests.a11y import duplicate_ids, skip_link_target, unlabelled_fields
from urna.surveys.models import Response
from urna.surveys.results import results_compute

pytestmark = pytest.mark.django_db


def _pages(survey):
    return {
        "public": [
            reverse("surveys:list"),
            reverse("surveys:start", args=[survey.slug]),
            reverse("surveys:results", args=[survey.slug]),
        ],
        "staff": [
            reverse("surveys:staff_list"),
            reverse("surveys:staff_import"),
            reverse("surveys:staff_detail", args=[survey.pk]),
            reverse("surveys:staff_labels", args=[survey.pk]) + "?idioma=en",
            reverse("surveys:staff_margins", args=[survey.pk]),
            reverse("surveys:staff_quotas", args=[survey.pk]),
            reverse("surveys:staff_invite", args=[survey.pk]),
        ],
    }


def _check(client, path):
    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200, path
    assert skip_link_target(html) == "contenido", path
    assert unlabelled_fields(html) == [], path
    assert duplicate_ids(html) == [], path


def test_every_page_is_labelled_with_unique_ids(client, survey, manager):
    results_compute(survey_id=survey.pk)
    survey.published = True
    survey.save(update_fields=["published"])
    pages = _pages(survey)
    for path in pages["public"]:
        _check(client, path)
    client.post(reverse("surveys:start", args=[survey.slug]))
    _check(client, reverse("surveys:answer", args=[Response.objects.get().token]))
    client.force_login(manager)
    for path in pages["staff"]:
        _check(client, path)
    client.post(reverse("surveys:interview_start", args=[survey.pk]))
    token = Response.objects.get(channel="phone").token
    _check(client, reverse("surveys:interview", args=[token]))
    client.post(reverse("surveys:interview", args=[token]), {"departamento": "05"})
    _check(client, reverse("surveys:interview", args=[token]))
