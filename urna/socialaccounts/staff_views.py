"""Staff pages of the registry: the accounts an officer may manage (the platform team every
entity's, an entity's staff their own), adding and editing them, recording a figure, importing
files of accounts or figures with the report of rejected rows, and the platform team's advice.

Thin: each page calls a service; an account outside the user's entities is a 404, however its
URL is typed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from urna.accounts.permissions import entity_ids_for, is_platform_staff, scope_queryset
from urna.accounts.permissions import staff_required as _staff_required
from urna.accounts.staff_tools import tool_required
from urna.core.spreadsheets import csv_download
from urna.core.web import run_action
from urna.entities.models import Entity
from urna.socialaccounts import imports, selectors, services
from urna.socialaccounts.forms import (
    AccountForm,
    AdviceForm,
    FigureForm,
    ImportForm,
    StaffFilterForm,
)
from urna.socialaccounts.models import SocialAccount, SocialImport
from urna.socialaccounts.services import MANAGE_ACTION

PAGE_SIZE = 50
DORMANT_DAYS = 90


def staff_required(view):
    return login_required(_staff_required(view))


def _managed(request: HttpRequest):
    qs = SocialAccount.objects.select_related("entity")
    return scope_queryset(qs, request.user, MANAGE_ACTION)


def _account(request: HttpRequest, pk: int) -> SocialAccount:
    account = _managed(request).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def _entities(request: HttpRequest) -> list[Entity]:
    allowed = entity_ids_for(request.user, MANAGE_ACTION)
    entities = Entity.objects.active().order_by("level", "name")
    if allowed is not None:
        entities = entities.filter(pk__in=allowed)
    return list(entities)


@staff_required
@tool_required("socialaccounts:staff_list")
def staff_list(request: HttpRequest) -> HttpResponse:
    form = StaffFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    accounts = selectors.staff_accounts(
        _managed(request), q=data.get("q", ""), network=data.get("red"), status=data.get("estado")
    )
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "socialaccounts/staff/list.html",
        {
            "form": form,
            "extra": query.urlencode(),
            "page": page,
            "imports": imports.imports_visible(request.user)[:10],
            "platform": is_platform_staff(request.user),
        },
    )


def _account_save(request: HttpRequest, form: AccountForm, account: SocialAccount | None):
    data = form.cleaned_data
    fields = {
        "entity": form.entities[data["entity"]],
        "network": data["network"],
        "handle": data["handle"],
        "profile_url": data["profile_url"],
        "name": data["name"],
        "verified": data["verified"],
        "status": data["status"],
    }
    if account is None:
        return run_action(
            request,
            lambda: services.account_create(by=request.user, **fields),
            _("Cuenta agregada al registro."),
            form=form,
        )
    return run_action(
        request,
        lambda: services.account_update(account=account, by=request.user, **fields),
        _("Cuenta guardada."),
        form=form,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    entities = _entities(request)
    if not entities:
        raise PermissionDenied
    form = AccountForm(request.POST or None, entities=entities)
    if request.method == "POST" and form.is_valid():
        saved = _account_save(request, form, None)
        if saved:
            return redirect("socialaccounts:staff_edit", pk=saved.pk)
    return render(
        request,
        "socialaccounts/staff/account_form.html",
        {"form": form, "account": None},
        status=400 if form.errors else 200,
    )


def _initial(account: SocialAccount) -> dict:
    fields = ("network", "handle", "profile_url", "name", "verified", "status")
    return {"entity": account.entity_id, **{f: getattr(account, f) for f in fields}}


@staff_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    form = AccountForm(request.POST or None, initial=_initial(account), entities=_entities(request))
    if request.method == "POST" and form.is_valid() and _account_save(request, form, account):
        return redirect("socialaccounts:staff_edit", pk=account.pk)
    return render(
        request,
        "socialaccounts/staff/account_form.html",
        {
            "form": form,
            "account": account,
            "figure_form": FigureForm(initial={"day": timezone.localdate()}),
            "figures": selectors.account_figures(account, limit=12),
        },
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def staff_figure(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    form = FigureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = run_action(
            request,
            lambda: services.figure_record(
                account=account,
                by=request.user,
                day=data["day"],
                followers=data["followers"],
                posts=data["posts"],
            ),
            _("Cifra registrada."),
            form=form,
        )
        if done:
            return redirect("socialaccounts:staff_edit", pk=account.pk)
    return render(
        request,
        "socialaccounts/staff/account_form.html",
        {
            "form": AccountForm(initial=_initial(account), entities=_entities(request)),
            "account": account,
            "figure_form": form,
            "figures": selectors.account_figures(account, limit=12),
        },
        status=400,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_import(request: HttpRequest) -> HttpResponse:
    if not _entities(request):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        done = run_action(
            request,
            lambda: imports.social_import_run(
                by=request.user, upload=upload, name=upload.name, kind=form.cleaned_data["kind"]
            ),
            form=form,
        )
        if done:
            return redirect("socialaccounts:import_detail", pk=done.pk)
    return render(
        request,
        "socialaccounts/staff/import_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _import(request: HttpRequest, pk: int) -> SocialImport:
    found = imports.imports_visible(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@staff_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    social_import = _import(request, pk)
    first = social_import.rejections.order_by("row_number")[:50]
    return render(
        request,
        "socialaccounts/staff/import_detail.html",
        {"social_import": social_import, "rejections": first},
    )


@staff_required
def import_rejections(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The rejected rows as CSV (with a BOM, so Excel reads the accents), streamed."""
    social_import = _import(request, pk)
    name = _("rechazos-redes-%(n)s.csv") % {"n": social_import.pk}
    return csv_download(imports.rejection_rows(social_import), filename=name)


@staff_required
def advice(request: HttpRequest) -> HttpResponse:
    """The platform team's advice to entities: dormant, unverified and stale accounts, and
    entities without any."""
    if not is_platform_staff(request.user):
        raise PermissionDenied
    form = AdviceForm(request.GET or None)
    days = (form.cleaned_data.get("dias") if form.is_valid() else None) or DORMANT_DAYS
    return render(
        request,
        "socialaccounts/staff/advice.html",
        {
            "form": form,
            "days": days,
            "advice": selectors.advice(today=timezone.localdate(), dormant_days=days),
        },
    )
