from django.urls import path

from urna.opendata import views

app_name = "opendata"

urlpatterns = [
    path("datos/", views.index, name="index"),
    path("datos/gestion/", views.staff_settings, name="staff_settings"),
    path("datos/pqrsd/", views.queries_page, name="queries_page"),
    path("datos/ejercicios/<slug:slug>/", views.exercise_page, name="exercise_page"),
    path("opendata/catalog.json", views.catalog_json, name="catalog"),
    path("opendata/pqrsd.zip", views.queries_zip, name="queries_zip"),
    path("opendata/pqrsd/datapackage.json", views.queries_package, name="queries_package"),
    path("opendata/pqrsd/<slug:name>.<slug:fmt>", views.queries_resource, name="queries_resource"),
    path("opendata/ejercicios/<slug:slug>.zip", views.exercise_zip, name="exercise_zip"),
    path(
        "opendata/ejercicios/<slug:slug>/datapackage.json",
        views.exercise_package,
        name="exercise_package",
    ),
    path(
        "opendata/ejercicios/<slug:slug>/<slug:name>.<slug:fmt>",
        views.exercise_resource,
        name="exercise_resource",
    ),
]
