"""Public pages that belong to no single domain: home, receipt status dispatch, health."""

import time
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from urna.core.receipts import STATUS_VIEWS, receipt_is_valid, receipt_normalise, receipt_page
from urna.exercises.selectors import exercise_list_open
from urna.jobs.selectors import queue_health


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"exercises": exercise_list_open()[:6]})


# The day the accessibility statement and the data-processing policy were last reviewed; change
# it with their text.
STATEMENT_REVIEWED = date(2026, 12, 4)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The public accessibility statement: target, how it is tested, known limits, contact."""
    return render(
        request,
        "site/accessibility.html",
        {"reviewed": STATEMENT_REVIEWED, "contact": settings.URNA_PRIVACY_EMAIL},
    )


def data_policy(request: HttpRequest) -> HttpResponse:
    """The personal-data processing policy (Ley 1581 de 2012, Decreto 1377 de 2013)."""
    return render(
        request,
        "site/data_policy.html",
        {
            "reviewed": STATEMENT_REVIEWED,
            "controller": settings.URNA_DATA_CONTROLLER,
            "contact": settings.URNA_PRIVACY_EMAIL,
            "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
        },
    )


def receipt_lookup(request: HttpRequest) -> HttpResponse:
    """The 'check my receipt' form posts here (GET), so it works without JavaScript. Nothing
    typed yet (the menu's link): the form, a 200; a code that is no receipt: the form with the
    error, a 404."""
    typed = request.GET.get("codigo", "").strip()
    code = receipt_normalise(typed)
    if receipt_is_valid(code):
        return redirect("site:receipt", receipt=code)
    return render(
        request, "site/receipt_not_found.html", {"code": typed}, status=404 if typed else 200
    )


@receipt_page
def receipt_status(request: HttpRequest, receipt: str) -> HttpResponse:
    code = receipt_normalise(receipt)
    if code != receipt and receipt_is_valid(code):
        return redirect("site:receipt", receipt=code)
    view = STATUS_VIEWS.get(code[:2])
    if view is None or not receipt_is_valid(code):
        return render(request, "site/receipt_not_found.html", {"code": receipt}, status=404)
    try:
        return view(request, code)
    except Http404:
        return render(request, "site/receipt_not_found.html", {"code": receipt}, status=404)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """What crawlers may index: the public pages, never the staff areas, accounts, the API or
    the metrics (a static template, so operators change it without code)."""
    return render(request, "site/robots.txt", content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict] = {}
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - health must report, not raise
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    try:
        cache.set("healthz", "1", 5)
        checks["cache"] = {
            "ok": cache.get("healthz") == "1",
            "backend": "redis" if settings.REDIS_URL else "locmem",
        }
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = {"ok": False, "error": exc.__class__.__name__}
    try:
        checks["queue"] = {"ok": True, **queue_health()}
    except Exception as exc:  # noqa: BLE001
        checks["queue"] = {"ok": False, "error": exc.__class__.__name__}
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {
            "status": "ok" if ok else "error",
            "checks": checks,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        },
        status=200 if ok else 503,
    )
