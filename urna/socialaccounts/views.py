"""Public pages of the registry: the directory, the check "¿Es oficial esta cuenta?" and one
account with its figures. Nothing here names staff: the registry holds institutions' accounts."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from urna.socialaccounts import selectors
from urna.socialaccounts.forms import CheckForm, DirectoryForm
from urna.territory.models import Department

PAGE_SIZE = 25


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """The accounts, searchable and filtered by network, level, department and entity."""
    departments = Department.objects.order_by("display_name")
    form = DirectoryForm(
        request.GET or None, departments=departments, entities=selectors.directory_entities()
    )
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.DirectoryFilters(
        q=data.get("q", ""),
        network=data.get("red", ""),
        level=data.get("nivel", ""),
        department=data.get("departamento", ""),
        entity=data.get("entidad"),
    )
    page = Paginator(selectors.directory(filters), PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "socialaccounts/directory.html",
        {
            "form": form,
            "check_form": CheckForm(),
            "page": page,
            "extra": query.urlencode(),
            "filtered": any(data.values()),
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


@require_GET
def check(request: HttpRequest) -> HttpResponse:
    """Answer whether a pasted address or @handle is an official account of the registry."""
    form = CheckForm(request.GET or None)
    lookup = selectors.account_lookup(form.cleaned_data["cuenta"]) if form.is_valid() else None
    return render(
        request,
        "socialaccounts/check.html",
        {"check_form": form, "lookup": lookup},
        status=400 if request.GET and not form.is_valid() else 200,
    )


@require_GET
def account(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.account_detail(pk)
    if found is None:
        raise Http404
    return render(
        request,
        "socialaccounts/account.html",
        {"account": found, "figures": selectors.account_figures(found)},
    )
