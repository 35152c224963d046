"""The public API's POSTs and the session cookie: a logged-in person's browser may not be made to
post on their behalf from another site (CSRF), while machines, which carry no session cookie,
post without any token."""

import json

import pytest
from django.test import Client

from urna.exercises.models import Contribution
from urna.queries.models import Query

pytestmark = pytest.mark.django_db

CONTRIBUTION = {"kind": "opinion", "text": "Una opinión enviada por la API pública."}
QUERY = {"type": "peticion", "text": "Solicito información del programa de vivienda rural."}


@pytest.fixture
def exercise(make_exercise):
    return make_exercise(status="open")


@pytest.fixture
def endpoints(exercise):
    """(url, body, model) of each public POST that stores something."""
    return [
        (f"/api/v1/exercises/{exercise.slug}/contributions", CONTRIBUTION, Contribution),
        ("/api/v1/queries", QUERY, Query),
    ]


@pytest.fixture
def browser(django_user_model):
    """A citizen logged in with an account, in a browser that enforces CSRF like production."""
    citizen = django_user_model.objects.create_user(
        "ciudadana", "ciudadana@example.org", "una-clave-larga-2026"
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    return client


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_session_post_without_the_csrf_token_is_refused(browser, endpoints, content_type):
    for url, body, model in endpoints:
        # When another site makes the logged-in citizen's browser post (a form can send
        # text/plain, which needs no CORS preflight)
        response = browser.post(url, json.dumps(body), content_type=content_type)

        # Then it is refused in Spanish and nothing is stored
        assert response.status_code == 403, url
        assert response.json()["code"] == "csrf"
        assert model.objects.count() == 0


def test_a_session_post_with_the_csrf_token_is_accepted(browser, endpoints):
    browser.get("/")  # the page sets the CSRF cookie, as a page of the site would
    token = browser.cookies["csrftoken"].value
    for url, body, model in endpoints:
        response = browser.post(
            url, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token
        )

        assert response.status_code == 201, url
        assert model.objects.count() == 1


def test_machines_without_a_session_cookie_need_no_token(endpoints):
    machine = Client(enforce_csrf_checks=True)
    for url, body, model in endpoints:
        response = machine.post(url, json.dumps(body), content_type="application/json")

        assert response.status_code == 201, url
        assert model.objects.count() == 1


def test_an_anonymous_session_needs_no_token(endpoints):
    # A visitor with a session but no account (e.g. after the personal-data pages) is no one
    # another site could act as.
    visitor = Client(enforce_csrf_checks=True)
    session = visitor.session
    session["visto"] = True
    session.save()
    for url, body, model in endpoints:
        response = visitor.post(url, json.dumps(body), content_type="application/json")

        assert response.status_code == 201, url
        assert model.objects.count() == 1
