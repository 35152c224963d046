"""The public transparency dashboard ``/indicadores/`` and the downloads of its tables.

Filters (year, entity, department) are a GET form: the page works without JavaScript and each
view of it has its own address. Every table downloads as CSV (UTF-8 with a byte-order mark) and
JSON with the same filters.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from urna.core.errors import DomainError
from urna.indicators import selectors
from urna.indicators.dashboard import (
    TABLES,
    dashboard_build,
    export_tables,
    page_context,
    table_csv,
    table_json,
)
from urna.indicators.forms import DashboardFilters
from urna.indicators.selectors import Scope


def _filters(request: HttpRequest) -> tuple[DashboardFilters, int, Scope, list[int]]:
    """The form, the year and the scope a request asks for; on a bad filter, the form carries
    the error and the page shows the whole platform's current year."""
    available = selectors.years_available()
    entities = selectors.entities_with_data(available)
    form = DashboardFilters(request.GET or None, years=available, entities=entities)
    year, scope = available[0], Scope()
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["anio"] or year
        try:
            scope = selectors.scope_resolve(
                entity=form.cleaned_data["entidad"], department=form.cleaned_data["departamento"]
            )
        except DomainError as exc:
            name = "entidad" if exc.field == "entity" else "departamento"
            form.add_error(name, exc.message)
    return form, year, scope, available


def indicators_page(request: HttpRequest) -> HttpResponse:
    form, year, scope, available = _filters(request)
    board = dashboard_build(year=year, scope=scope, available=available)
    return render(
        request,
        "indicators/index.html",
        {
            "form": form,
            **page_context(board),
        },
    )


def table_export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if name not in TABLES or fmt not in ("csv", "json"):
        raise Http404
    form, year, scope, available = _filters(request)
    if form.errors:
        message = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    board = dashboard_build(year=year, scope=scope, available=available)
    columns, rows = export_tables(board)[name]
    suffix = (
        f"{scope.entity.slug}-"
        if scope.entity
        else (f"departamento-{scope.value}-" if scope.kind == "department" else "")
    )
    filename = f"indicadores-{name}-{suffix}{year}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(table_csv(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            table_json(board, name, columns, rows), content_type="application/json"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
