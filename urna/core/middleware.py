from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
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
