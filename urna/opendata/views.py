"""Open-data pages and downloads. Every download is streamed and carries ETag/Last-Modified.

An unknown dataset, an exercise without published results (and without a preliminary edition)
or an unknown table all answer the same 404, with no data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from urna.accounts.permissions import staff_required
from urna.accounts.staff_tools import tool_required
from urna.core.errors import NotFound
from urna.core.web import run_action
from urna.opendata import selectors
from urna.opendata.datasets import EXERCISE, FORMATS, SURVEY, Dataset, catalog, datapackage
from urna.opendata.links import Link, exercise_links
from urna.opendata.services import dataset_settings_update
from urna.opendata.tables import Table
from urna.opendata.writers import text_chunks, zip_chunks

# Bumped when the published columns or their encoding change, so caches drop old files
# (2: text cells that would start a spreadsheet formula get a leading apostrophe).
SCHEMA_VERSION = "2"
EXCEL_PARAMETER = "excel"
MAX_AGE = 300


def base_url(request: HttpRequest) -> str:
    return settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")


# The datasets found by a slug, by kind (the URL map passes the kind).
BY_SLUG = {EXERCISE: selectors.dataset_for_slug, SURVEY: selectors.survey_dataset_for_slug}


def _slug_dataset(kind: str, slug: str) -> Dataset:
    try:
        return BY_SLUG[kind](slug)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _queries_dataset() -> Dataset:
    try:
        return selectors.queries_dataset()
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _etag(*parts: Any) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def _conditional(request: HttpRequest, *, etag: str, modified: datetime) -> HttpResponseBase | None:
    """A 304 when the client's copy is current (If-None-Match / If-Modified-Since)."""
    return get_conditional_response(request, etag=etag, last_modified=int(modified.timestamp()))


def _finish(
    response: HttpResponseBase, *, etag: str, modified: datetime, filename: str | None = None
) -> HttpResponseBase:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified.timestamp())
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _download(
    request: HttpRequest,
    dataset: Dataset,
    *,
    what: str,
    chunks: Any,
    content_type: str,
    filename: str | None,
) -> HttpResponseBase:
    etag = _etag(
        dataset.identifier, what, dataset.modified.timestamp(), get_language(), SCHEMA_VERSION
    )
    not_modified = _conditional(request, etag=etag, modified=dataset.modified)
    if not_modified is not None:
        return not_modified
    response = StreamingHttpResponse(chunks(), content_type=content_type)
    return _finish(response, etag=etag, modified=dataset.modified, filename=filename)


def _table_chunks(dataset: Dataset, table: Table, fmt: str, *, excel: bool) -> Iterator[bytes]:
    if fmt == "csv":
        return table.csv(dataset.subject, bom=excel)
    return table.json(dataset.subject)


def _resource(request: HttpRequest, dataset: Dataset, name: str, fmt: str) -> HttpResponseBase:
    table = dataset.table(name)
    if table is None or fmt not in FORMATS:
        raise Http404(_("Ese recurso no existe."))
    media_type = FORMATS[fmt][0]
    # ?excel=1: the same CSV behind a byte-order mark, so Excel reads its accents as UTF-8.
    excel = fmt == "csv" and request.GET.get(EXCEL_PARAMETER) == "1"
    return _download(
        request,
        dataset,
        what=f"{name}.{fmt}" + (":excel" if excel else ""),
        chunks=lambda: _table_chunks(dataset, table, fmt, excel=excel),
        content_type=f"{media_type}; charset=utf-8",
        filename=f"{dataset.identifier}-{name}.{fmt}",
    )


def _package(request: HttpRequest, dataset: Dataset) -> HttpResponseBase:
    descriptor = datapackage(dataset, base_url=base_url(request))
    body = json.dumps(descriptor, ensure_ascii=False, indent=2)
    return _download(
        request,
        dataset,
        what=f"datapackage:{base_url(request)}",
        chunks=lambda: text_chunks(body),
        content_type="application/json; charset=utf-8",
        filename=None,
    )


def package_zip_chunks(dataset: Dataset, *, base: str) -> Iterator[bytes]:
    """The whole package as a ZIP: datapackage.json (relative paths) and data/<table>.csv."""
    descriptor = json.dumps(datapackage(dataset, base_url=base, local=True), ensure_ascii=False)
    local = dataset.modified.astimezone()
    stamp = (local.year, local.month, local.day, local.hour, local.minute, local.second)
    members: list[tuple[str, Any]] = [("datapackage.json", text_chunks(descriptor))]
    members += [(f"data/{t.name}.csv", t.csv(dataset.subject)) for t in dataset.tables]
    return zip_chunks(members, date_time=stamp)


def _zip(request: HttpRequest, dataset: Dataset) -> HttpResponseBase:
    base = base_url(request)
    return _download(
        request,
        dataset,
        what=f"zip:{base}",
        chunks=lambda: package_zip_chunks(dataset, base=base),
        content_type="application/zip",
        filename=dataset.zip_filename(),
    )


# --- public pages --------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    datasets = selectors.datasets_public()
    page = Paginator(datasets, 30).get_page(request.GET.get("pagina"))
    return render(
        request,
        "opendata/index.html",
        {"page": page, "datasets": page.object_list, "total": len(datasets)},
    )


def _dataset_page(request: HttpRequest, dataset: Dataset) -> HttpResponse:
    links = exercise_links(dataset.exercise) if dataset.exercise is not None else []
    if dataset.survey is not None:
        url = reverse("surveys:results", kwargs={"slug": dataset.survey.slug})
        links.append(Link(label=_("Resultados de la encuesta"), url=url))
    return render(
        request,
        "opendata/dataset.html",
        {
            "dataset": dataset,
            "tables": [
                {
                    "table": t,
                    "csv": dataset.resource_path(t, "csv"),
                    "excel": f"{dataset.resource_path(t, 'csv')}?{EXCEL_PARAMETER}=1",
                    "json": dataset.resource_path(t, "json"),
                }
                for t in dataset.tables
            ],
            "license": settings.OPENDATA_LICENSE,
            "links": links,
        },
    )


@require_safe
def slug_page(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """An exercise's or a survey's dataset page (``kind`` from the URL map)."""
    return _dataset_page(request, _slug_dataset(kind, slug))


@require_safe
def queries_page(request: HttpRequest) -> HttpResponse:
    return _dataset_page(request, _queries_dataset())


# --- downloads ---------------------------------------------------------------------------


@require_safe
def slug_resource(
    request: HttpRequest, kind: str, slug: str, name: str, fmt: str
) -> HttpResponseBase:
    return _resource(request, _slug_dataset(kind, slug), name, fmt)


@require_safe
def slug_package(request: HttpRequest, kind: str, slug: str) -> HttpResponseBase:
    return _package(request, _slug_dataset(kind, slug))


@require_safe
def slug_zip(request: HttpRequest, kind: str, slug: str) -> HttpResponseBase:
    return _zip(request, _slug_dataset(kind, slug))


@require_safe
def queries_resource(request: HttpRequest, name: str, fmt: str) -> HttpResponseBase:
    return _resource(request, _queries_dataset(), name, fmt)


@require_safe
def queries_package(request: HttpRequest) -> HttpResponseBase:
    return _package(request, _queries_dataset())


@require_safe
def queries_zip(request: HttpRequest) -> HttpResponseBase:
    return _zip(request, _queries_dataset())


CATALOG_CACHE_SECONDS = 300


@require_safe
def catalog_json(request: HttpRequest) -> HttpResponseBase:
    """The DCAT-US catalogue. Its content is a function of ``selectors.catalog_version()`` (a
    few aggregates), so the rendered JSON is cached under that version: a change to any
    published exercise or survey or to the queries dataset gives a new key at once; the time
    limit only bounds how long a renamed entity or topic takes to show."""
    base = base_url(request)
    version, modified = selectors.catalog_version()
    etag = _etag(
        "catalog", version, base, get_language(), SCHEMA_VERSION, settings.OPENDATA_LICENSE
    )
    if modified is not None:
        not_modified = _conditional(request, etag=etag, modified=modified)
        if not_modified is not None:
            return not_modified
    key = "opendata:catalog:" + etag.strip('"')
    body = cache.get(key)
    if body is None:
        body = json.dumps(
            catalog(selectors.datasets_public(), base_url=base), ensure_ascii=False
        ).encode("utf-8")
        cache.set(key, body, CATALOG_CACHE_SECONDS)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


# --- staff: the preliminary edition ------------------------------------------------------


@login_required
@staff_required
@tool_required("opendata:staff_settings")
@require_http_methods(["GET", "POST"])
def staff_settings(request: HttpRequest) -> HttpResponse:
    exercises = list(selectors.exercises_for_staff(request.user)[:200])
    if request.method == "POST":
        slug = request.POST.get("exercise", "")
        exercise = next((e for e in exercises if e.slug == slug), None)
        if exercise is None:
            raise Http404
        run_action(
            request,
            lambda: dataset_settings_update(
                exercise=exercise,
                preliminary=request.POST.get("preliminary") == "1",
                by=request.user,
                request=request,
            ),
            _("Se guardó la configuración de datos abiertos."),
        )
        return redirect("opendata:staff_settings")
    published_ids = set(
        selectors.published_exercises()
        .filter(pk__in=[e.pk for e in exercises])
        .values_list("pk", flat=True)
    )
    rows = []
    for exercise in exercises:
        settings_row = getattr(exercise, "dataset_settings", None)
        rows.append(
            {
                "exercise": exercise,
                "preliminary": bool(settings_row and settings_row.preliminary),
                "published": exercise.pk in published_ids,
                "results": not selectors.is_preliminary(exercise),
            }
        )
    return render(request, "opendata/staff_settings.html", {"rows": rows})
