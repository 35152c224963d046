"""The dataset page's links to pages of apps above open data, registered in their ready()."""

import pytest

from urna.opendata.links import exercise_link_register, exercise_link_unregister, exercise_links


@pytest.fixture
def extra_link():
    exercise_link_register(
        key="tests.extra",
        label="Página de prueba",
        url_for=lambda exercise: f"/prueba/{exercise.slug}/" if exercise.slug != "sin" else None,
    )
    yield
    exercise_link_unregister("tests.extra")


class _Exercise:
    def __init__(self, slug):
        self.slug = slug
        self.status = "draft"  # no published report: only the test link answers


def test_a_registered_link_is_listed_with_its_url(extra_link):
    links = [(link.label, link.url) for link in exercise_links(_Exercise("agua"))]

    assert ("Página de prueba", "/prueba/agua/") in links


def test_a_link_without_url_is_left_out(extra_link):
    assert [link.url for link in exercise_links(_Exercise("sin"))] == []


def test_registering_the_same_key_again_replaces_it(extra_link):
    exercise_link_register(key="tests.extra", label="Otra", url_for=lambda exercise: "/otra/")

    links = [(link.label, link.url) for link in exercise_links(_Exercise("agua"))]

    assert links == [("Otra", "/otra/")]


@pytest.mark.django_db
def test_the_dataset_page_shows_the_registered_links(client, published, extra_link):
    page = client.get(f"/datos/ejercicios/{published.slug}/").content.decode()

    assert (
        f'<a class="button secondary" href="/prueba/{published.slug}/">Página de prueba</a>' in page
    )
