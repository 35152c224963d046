import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from urna.ops.instruments import LATENCY, METHODS, REQUESTS


def view_label(request: HttpRequest) -> str:
    """The URL's name (its route when it has none); ``static`` for the files WhiteNoise serves
    before any URL is matched; ``unmatched`` when no URL matched."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or "unnamed"
    if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


class RequestMetrics:
    """Counts every response by view, method and status, and times it. First in MIDDLEWARE, so
    the time includes every other middleware and a 500 is counted as one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_label(request)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response
