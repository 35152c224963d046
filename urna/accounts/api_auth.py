"""Authentication of the staff API: a session (pages' login, CSRF-checked, with a confirmed TOTP
device when the deployment requires one) or a personal API token (``Authorization: Bearer
urna_…``, not CSRF-bound: a browser never sends it on its own)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from ninja.utils import check_csrf

from urna.accounts.permissions import otp_verified
from urna.accounts.selectors import api_token_user
from urna.core.errors import Unauthenticated


class ApiTokenAuth(HttpBearer):
    openapi_bearerFormat = "urna_<prefijo>_<secreto>"
    openapi_description = (
        "Token personal del equipo, creado en /cuenta/tokens-api/. "
        "Envíelo como «Authorization: Bearer urna_…»."
    )

    def __call__(self, request: HttpRequest) -> Any | None:
        # HttpBearer.__call__ logs an unexpected header's value in DEBUG: it may be a token.
        scheme, _sep, value = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, value.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = api_token_user(token)
        if user is None:
            raise Unauthenticated(
                _("El token de acceso no es válido, venció o fue revocado."),
                code="invalid_token",
            )
        # Endpoints and the permission module read request.user: scoping by entity follows.
        request.user = user
        return user


class StaffSessionAuth(SessionAuth):
    """The page session, as the staff pages take it: with TOTP confirmed when it is required."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if not otp_verified(user):
            raise Unauthenticated(
                _(
                    "Esta sesión no confirmó el código de verificación. Inicie sesión de nuevo "
                    "en /cuenta/entrar/ con el código de su aplicación autenticadora, o use un "
                    "token de acceso."
                ),
                code="otp_required",
            )
        return user


# Token first: a request that carries one is answered on the token alone, so a bearer POST is
# never refused by the session's CSRF check; without a token, the session (with CSRF) applies.
STAFF_AUTH = [ApiTokenAuth(), StaffSessionAuth()]


class PublicSessionCsrf:
    """The public endpoints' guard (the API's default ``auth``): anyone may call them, but a
    request carrying the session cookie of a logged-in person acts as that person (a
    contribution or a query filed under their account), so it needs the session's CSRF token,
    as the staff API's session does; otherwise another site could post through their browser,
    even as ``text/plain``, which needs no CORS preflight. Machines send no session cookie:
    for them nothing is looked up and no token is asked."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __call__(self, request: HttpRequest) -> bool:
        if request.method in self.SAFE_METHODS:
            return True
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return True
        if not request.user.is_authenticated:
            return True
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check Failed")  # answered in Spanish by urna.api
        return True


PUBLIC_AUTH = PublicSessionCsrf()
