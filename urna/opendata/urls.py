from django.urls import path
from django.views.generic import RedirectView

from urna.opendata import views
from urna.opendata.datasets import EXERCISE, SURVEY

app_name = "opendata"


def per_slug(kind: str, folder: str) -> list:
    """A dataset kind found by slug: its page under ``datos/<folder>/`` and its downloads under
    ``opendata/<folder>/``, named "<kind>_page", "<kind>_zip", "<kind>_package" and
    "<kind>_resource" (``Dataset._path``)."""
    kind_of = {"kind": kind}
    return [
        path(f"datos/{folder}/<slug:slug>/", views.slug_page, kind_of, name=f"{kind}_page"),
        path(f"opendata/{folder}/<slug:slug>.zip", views.slug_zip, kind_of, name=f"{kind}_zip"),
        path(
            f"opendata/{folder}/<slug:slug>/datapackage.json",
            views.slug_package,
            kind_of,
            name=f"{kind}_package",
        ),
        path(
            f"opendata/{folder}/<slug:slug>/<slug:name>.<slug:fmt>",
            views.slug_resource,
            kind_of,
            name=f"{kind}_resource",
        ),
    ]


urlpatterns = [
    path("datos/", views.index, name="index"),
    # The downloads live under /opendata/: someone who trims a download's address lands on the
    # open-data page, not on a 404.
    path("opendata/", RedirectView.as_view(pattern_name="opendata:index", permanent=True)),
    path("datos/gestion/", views.staff_settings, name="staff_settings"),
    path("datos/pqrsd/", views.queries_page, name="queries_page"),
    path("opendata/catalog.json", views.catalog_json, name="catalog"),
    path("opendata/pqrsd.zip", views.queries_zip, name="queries_zip"),
    path("opendata/pqrsd/datapackage.json", views.queries_package, name="queries_package"),
    path("opendata/pqrsd/<slug:name>.<slug:fmt>", views.queries_resource, name="queries_resource"),
    *per_slug(EXERCISE, "ejercicios"),
    *per_slug(SURVEY, "encuestas"),
]
