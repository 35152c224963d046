import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from whitenoise.middleware import WhiteNoiseMiddleware


class LanguageMiddleware:
    """Spanish (es-CO) unless the person chose another language with the language selector.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a Colombian on a
    borrowed or English-configured phone would get English pages; Urna's default is Spanish
    and English is a choice, kept in the language cookie that ``set_language`` writes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


API_PREFIX = "/api/"


def signed_webhook(view: Callable) -> Callable:
    """Mark a provider's webhook view. Its body is signed, so it is stored as sent (and cleaned by
    ``channels.services.inbound_store``), never refused by ``RejectNul``: a refusal would only
    make the provider retry the same message."""
    view.signed_webhook = True  # type: ignore[attr-defined]
    return view


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


class RejectNul:
    """Refuse a request that carries a NUL character (``%00``, ``\\u0000``) in its query string,
    JSON or form body, with a clear 400 in the person's language.

    No real text holds one, and PostgreSQL cannot store one in a text column: without this, a
    search or a form with ``%00`` was a server error on PostgreSQL and worked on SQLite.
    Multipart bodies (file uploads) are not read here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        # Checked once the URL is resolved, so the view's own marker (``signed_webhook``) decides.
        if not self._holds_nul(request, signed=getattr(view_func, "signed_webhook", False)):
            return None
        detail = _("La petición contiene un carácter nulo (NUL), que no es válido en un texto.")
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"code": "invalid", "detail": detail}, status=400)
        body = render_to_string("400.html", {"detail": detail}, request=request)
        return HttpResponseBadRequest(body)

    @staticmethod
    def _holds_nul(request: HttpRequest, *, signed: bool) -> bool:
        if "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if signed or request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.content_type or ""
        if content_type == "application/x-www-form-urlencoded":
            return b"%00" in request.body
        if content_type == "application/json" and b"\\u0000" in request.body:
            try:
                return _holds_nul(json.loads(request.body))
            except ValueError:
                return False  # the view answers malformed JSON
        return False


class PagesOnly:
    """Mixin: run this middleware for pages, and skip it for the JSON API under /api/.

    Static files, flash messages and frame options mean nothing to an API client; on the intake
    hot path (a thousand submissions a second) they cost several percent of each request.
    (CommonMiddleware stays for every path: it sets Content-Length, which spares the server a
    chunked response.) Subclasses keep their parent's class, so Django's checks still find it.
    Only for middleware without ``process_view``/``process_exception`` hooks, which the handler
    would still call for API requests.
    """

    sync_capable = True
    async_capable = False
    get_response: Callable[[HttpRequest], HttpResponse]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]


class StaticFiles(PagesOnly, WhiteNoiseMiddleware):
    pass


class Messages(PagesOnly, MessageMiddleware):
    pass


class FrameOptions(PagesOnly, XFrameOptionsMiddleware):
    pass
